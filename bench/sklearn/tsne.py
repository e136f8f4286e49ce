"""scikit-learn's TSNE on the bench's input, for `pnpm bench embed --peer`.

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/sklearn/tsne.py INPUT N D OUTPUT

INPUT holds N rows of D float32 values (little-endian, row-major); the embedding is written to
OUTPUT as N rows of 2 float64 values. Prints one JSON line: seconds (the fit alone), the final
KL divergence and the iterations run. Barnes-Hut (angle 0.5), perplexity 30, 1000 iterations, PCA
initialisation and learning rate 'auto', as the reference figures of the t-SNE issue.
Needs scikit-learn (Debian: python3-sklearn).
"""
import json
import sys
import time

import numpy as np
from sklearn.manifold import TSNE

path, n, d, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
x = np.fromfile(path, dtype="<f4").reshape(n, d)
model = TSNE(n_components=2, perplexity=30.0, n_iter=1000, init="pca", learning_rate="auto",
             method="barnes_hut", angle=0.5, random_state=0)
start = time.perf_counter()
y = model.fit_transform(x)
seconds = time.perf_counter() - start
y.astype("<f8").tofile(out)
print(json.dumps({"seconds": seconds, "kl": float(model.kl_divergence_), "iterations": int(model.n_iter_)}))

"""The peer of `pnpm bench conv --peer`: the convolutional autoencoder of the reference protocol,
trained in PyTorch on the 60,000 Fashion-MNIST training images.

Conv2d(1->16, 3, s2, p1), ReLU, Conv2d(16->32, 3, s2, p1), ReLU, Flatten, Linear(1568->32);
Linear(32->1568), ReLU, Unflatten(32x7x7), ConvTranspose2d(32->16, 3, s2, p1, op1), ReLU,
ConvTranspose2d(16->1, 3, s2, p1, op1), Sigmoid. BCE (mean), Adam 1e-3, batch 128, shuffled
each epoch. Prints one JSON line: samples/s per epoch, training loss per epoch, the test MSE per
pixel after the last epoch, peak RSS in MB and the build's configuration.

    python3 bench/torch/conv.py THREADS EPOCHS DATA_DIR [SEED]

THREADS is PyTorch's intra-op thread count (torch.set_num_threads); the caller also sets
OMP_NUM_THREADS and OPENBLAS_NUM_THREADS before Python starts (see bench/src/conv.ts, which
tries the settings and keeps the fastest).
"""
import gzip
import json
import os
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

threads, epochs, data_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
torch.set_num_threads(threads)
torch.manual_seed(seed)


def images(name):
    with gzip.open(os.path.join(data_dir, name)) as f:
        pixels = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 1, 28, 28)
    return torch.from_numpy(pixels.astype(np.float32) / 255)


x, test = images('train-images-idx3-ubyte.gz'), images('t10k-images-idx3-ubyte.gz')
model = nn.Sequential(
    nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
    nn.Flatten(), nn.Linear(1568, 32),
    nn.Linear(32, 1568), nn.ReLU(), nn.Unflatten(1, (32, 7, 7)),
    nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
    nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
rates, losses, rss = [], [], []
for epoch in range(epochs):
    order = torch.randperm(x.shape[0])
    start, total = time.perf_counter(), 0.0
    for i in range(0, x.shape[0], 128):
        batch = x[order[i:i + 128]]
        loss = nn.functional.binary_cross_entropy(model(batch), batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * batch.shape[0]
    rates.append(x.shape[0] / (time.perf_counter() - start))
    losses.append(total / x.shape[0])
    with open('/proc/self/statm') as f:
        rss.append(int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2 ** 20)
with torch.no_grad():
    test_mse = float(sum(((model(test[i:i + 1000]) - test[i:i + 1000]) ** 2).sum() for i in range(0, 10000, 1000))
                     / test.numel())
capability = next((l.split(':', 1)[1].strip() for l in torch.__config__.show().splitlines()
                   if 'CPU capability' in l), 'unknown')
print(json.dumps({
    'threads': threads,
    'kernel': f'PyTorch {torch.__version__} ({capability}, mkldnn {torch.backends.mkldnn.is_available()})',
    'rates': rates, 'loss': losses, 'rssMB': rss, 'testMse': test_mse,
    'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))

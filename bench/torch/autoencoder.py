"""The peer of `pnpm bench autoencoder --peer`: the same training run in PyTorch.

784-256-64-256-784 (ReLU, linear code, sigmoid output), MSE, Adam 1e-3, batch 256, over the
60,000 Fashion-MNIST training images, shuffled each epoch. Prints one JSON line: samples/s per
epoch, the training loss per epoch, peak RSS in MB, and the build's configuration.

    python3 bench/torch/autoencoder.py THREADS EPOCHS DATA_DIR

Threads: the products run on THREADS threads of the BLAS and everything else on one
(torch.set_num_threads(1)). The caller sets OPENBLAS_NUM_THREADS / MKL_NUM_THREADS before
Python starts, since the BLAS reads them when it loads. On the 2-vCPU development machine,
PyTorch's own intra-op threads fought the BLAS's for the two cores (see bench/README.md).
"""
import gzip
import json
import os
import resource
import sys
import time

import numpy as np
import torch

threads, epochs, data_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(1)
torch.manual_seed(1)
with gzip.open(os.path.join(data_dir, 'train-images-idx3-ubyte.gz')) as f:
    x = torch.from_numpy(np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255)
model = torch.nn.Sequential(
    torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 64),
    torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Linear(256, 784), torch.nn.Sigmoid())
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
rates, losses = [], []
for epoch in range(epochs):
    order = torch.randperm(x.shape[0])
    start, total = time.perf_counter(), 0.0
    for i in range(0, x.shape[0], 256):
        batch = x[order[i:i + 256]]
        loss = torch.nn.functional.mse_loss(model(batch), batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * batch.shape[0]
    rates.append(x.shape[0] / (time.perf_counter() - start))
    losses.append(total / x.shape[0])
capability = next((l.split(':', 1)[1].strip() for l in torch.__config__.show().splitlines()
                   if 'CPU capability' in l), 'unknown')


def loaded_blas():
    """The BLAS actually loaded, from this process's memory map: Debian's torch links the
    libblas.so.3 alternative, which is the slow reference BLAS unless OpenBLAS is installed."""
    try:
        with open('/proc/self/maps') as maps:
            paths = {line.split()[-1] for line in maps if '/' in line and 'blas' in line.split()[-1].lower()}
    except OSError:
        return 'unknown'
    openblas = sorted(os.path.basename(p) for p in paths if os.path.basename(p).startswith('libopenblas'))
    if openblas:
        return openblas[0]
    if any('/blas/' in p for p in paths):
        return 'reference BLAS (apt-get install libopenblas0-pthread for a fast one)'
    return ', '.join(sorted(os.path.basename(p) for p in paths)) or 'unknown'


blas = loaded_blas()
print(json.dumps({
    'threads': threads, 'kernel': f'PyTorch {torch.__version__} ({capability}, BLAS {blas})',
    'rates': rates, 'loss': losses,
    'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))

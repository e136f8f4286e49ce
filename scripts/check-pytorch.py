"""Loads latent's safetensors weights into the same architecture written in PyTorch, and compares.

Usage: /usr/bin/python3 scripts/check-pytorch.py WEIGHTS.safetensors CASE.json
CASE.json (written by scripts/check-pytorch.ts) holds the layer sizes, a few input rows and
latent's codes and reconstructions of them. Needs PyTorch (Debian: python3-torch); the
safetensors package is not needed: the format is an 8-byte header length, a JSON header naming
each tensor's dtype, shape and byte range, then the raw little-endian data.
"""
import json
import struct
import sys

import torch
import torch.nn as nn


def load_safetensors(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    tensors = {}
    for name, t in header.items():
        if name == '__metadata__':
            continue
        start, end = t['data_offsets']
        data = bytearray(raw[8 + n + start:8 + n + end])
        tensors[name] = torch.frombuffer(data, dtype=torch.float32).reshape(t['shape'])
    return tensors


def dense_stack(sizes, hidden, last):
    layers = []
    for i in range(len(sizes) - 1):
        layers += [nn.Linear(sizes[i], sizes[i + 1]), hidden() if i < len(sizes) - 2 else last()]
    return nn.Sequential(*layers)


class Autoencoder(nn.Module):  # latent's symmetric stack: ReLU, a linear code, a sigmoid output
    def __init__(self, sizes):
        super().__init__()
        self.encoder = dense_stack(sizes, nn.ReLU, nn.Identity)
        self.decoder = dense_stack(sizes[::-1], nn.ReLU, nn.Sigmoid)


torch.set_num_threads(1)
case = json.load(open(sys.argv[2]))
model = Autoencoder(case['sizes'])
model.load_state_dict(load_safetensors(sys.argv[1]))  # strict: every name and shape must match
x = torch.tensor(case['x']).reshape(-1, case['sizes'][0])
with torch.no_grad():
    codes = model.encoder(x)
    diffs = [(codes.flatten() - torch.tensor(case['codes'])).abs().max().item(),
             (model.decoder(codes).flatten() - torch.tensor(case['reconstruction'])).abs().max().item()]
print(f'check-pytorch: PyTorch {torch.__version__}; largest difference from latent: '
      f'codes {diffs[0]:.2e}, reconstructions {diffs[1]:.2e}')
sys.exit(0 if max(diffs) < 1e-5 else 1)

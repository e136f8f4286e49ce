/**
 * Exports one model of each kind to ONNX (a dense, a tied, a variational and a convolutional
 * autoencoder, each part; a network of every layer with an ONNX rule) into a temporary folder,
 * and runs the ONNX project's checker on them through scripts/check-onnx.py. Without Python 3
 * (or its onnx package) it says what it needs and exits 0: it is a check to run by hand, not a
 * test (the tests compare with ONNX Runtime, which needs no Python).
 *
 * Usage: node --conditions=@latent/source --import tsx scripts/check-onnx.ts [python]
 * (by default the first of python3 and /usr/bin/python3, Debian's, that imports onnx).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  AvgPool2d, Conv2d, ConvTranspose2d, Dense, Dropout, ELU, Flatten, GELU, Identity, LeakyReLU, MaxPool2d, ReLU,
  Sequential, Sigmoid, Softplus, Tanh, Unflatten, Upsample,
} from '@latent/nn'
import { Rng } from '@latent/tensor'
import {
  type Autoencoder, autoencoderToOnnx, buildAutoencoder, buildConvAutoencoder, buildVariational, exportOnnx,
} from '@latent/autoencoders'

const candidates = process.argv[2] ? [process.argv[2]] : ['python3', '/usr/bin/python3']
const python = candidates.find((p) => spawnSync(p, ['-c', 'import onnx']).status === 0) ?? candidates[0]
const rng = new Rng(0)
const models: Record<string, Autoencoder> = {
  dense: buildAutoencoder({ sizes: [64, 32, 8], activation: 'elu', rng }),
  tied: buildAutoencoder({ sizes: [64, 16, 4], activation: 'leakyRelu', tied: true, rng }),
  variational: buildVariational({ sizes: [64, 32, 8], activation: 'gelu', rng }),
  conv: buildConvAutoencoder({ image: [1, 28, 28], channels: [16, 32], dense: [32], rng }),
}
const layers = new Sequential(
  new Unflatten([2, 6, 6]), new Conv2d(2, 3, [3, 1], { padding: [1, 0], rng }), new Tanh(), new MaxPool2d(2),
  new Upsample([2, 3]), new AvgPool2d(3, { stride: 1, padding: 1 }),
  new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1, rng }), new Flatten(),
  new Dense(432, 10, { rng }), new GELU(), new GELU('tanh'), new Sigmoid(), new ReLU(), new Softplus(),
  new Softplus(2, 1), new LeakyReLU(0.2), new ELU(0.5), new Dropout(0.5, { rng }), new Identity(),
)

const dir = mkdtempSync(join(tmpdir(), 'latent-check-onnx-'))
try {
  const files: string[] = []
  const write = (name: string, bytes: Uint8Array): void => {
    files.push(join(dir, name))
    writeFileSync(files.at(-1)!, bytes)
  }
  for (const [name, model] of Object.entries(models)) {
    for (const part of ['encoder', 'decoder', 'model'] as const) {
      write(`${name}-${part}.onnx`, autoencoderToOnnx(model, part))
    }
  }
  write('layers.onnx', exportOnnx(layers))
  const script = fileURLToPath(new URL('check-onnx.py', import.meta.url))
  const r = spawnSync(python, [script, ...files], { stdio: 'inherit' })
  if (r.error) console.log(`check-onnx: skipped (needs ${python} with the onnx package: ${r.error.message})`)
  process.exitCode = r.error ? 0 : r.status ?? 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}

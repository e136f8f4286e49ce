/**
 * The path out to PyTorch, checked: trains a small autoencoder on the digits, writes its weights
 * as safetensors (what `latent export --format safetensors` writes), and has PyTorch load them
 * into the same architecture (scripts/check-pytorch.py) and compute the codes and
 * reconstructions of a few digits, which must equal latent's within 1e-5. Without Python or
 * PyTorch it says what it needs and exits 0: a check to run by hand, not a test.
 *
 * Usage: node --conditions=@latent/source --import tsx scripts/check-pytorch.ts [python]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Adam, encodeSafetensors } from '@latent/nn'
import * as T from '@latent/tensor'
import { buildAutoencoder, fit } from '@latent/autoencoders'
import { loadDigits } from '@latent/autoencoders/node'

const candidates = process.argv[2] ? [process.argv[2]] : ['/usr/bin/python3', 'python3']
const python = candidates.find((p) => spawnSync(p, ['-c', 'import torch']).status === 0)
if (!python) {
  console.log('check-pytorch: needs Python 3 with PyTorch (Debian: apt-get install python3-torch): skipped')
  process.exit(0)
}
const sizes = [64, 32, 8]
const { x } = loadDigits()
const model = buildAutoencoder({ sizes, rng: new T.Rng(0) })
fit(model, x, { epochs: 2, batchSize: 64, optimizer: new Adam(model.namedParameters()), rng: new T.Rng(1) })
const rows = T.slice(x, 0, 0, 5)
const dir = mkdtempSync(join(tmpdir(), 'latent-pytorch-'))
try {
  writeFileSync(join(dir, 'weights.safetensors'), encodeSafetensors(model.stateDict()))
  writeFileSync(join(dir, 'case.json'), JSON.stringify({
    sizes, x: [...rows.data], codes: [...model.encode(rows).data], reconstruction: [...model.reconstruct(rows).data],
  }))
  const script = fileURLToPath(new URL('./check-pytorch.py', import.meta.url))
  const r = spawnSync(python, [script, join(dir, 'weights.safetensors'), join(dir, 'case.json')],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } })
  process.stdout.write(r.stdout)
  process.stderr.write(r.stderr)
  process.exitCode = r.status ?? 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}

/**
 * The autoencoder training target: 784-256-64-256-784 (ReLU, sigmoid output, MSE, Adam 1e-3,
 * batch 256) over the 60,000 Fashion-MNIST training images, with `fit`, as a user would run it.
 * Reports samples/s per epoch and the peak resident memory of the whole run. Each thread count
 * runs in its own process, so that each peak RSS belongs to one run only.
 *
 *   pnpm bench autoencoder [--epochs N] [--threads 1,2] [--data-dir DIR]
 *
 * Needs Fashion-MNIST (Debian: apt-get install dataset-fashion-mnist); says so and exits
 * cleanly when it is missing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { getBackendInfo, Rng, setNumThreads } from '@latent/tensor'
import { Adam } from '@latent/nn'
import { buildAutoencoder, fit } from '@latent/autoencoders'
import { DEBIAN_FASHION_MNIST, loadMnistLike } from '@latent/autoencoders/node'
import { args, machine, printTable, writeJsonLines } from './harness.js'

const opts = args()
const dataDir = opts.get('data-dir') ?? DEBIAN_FASHION_MNIST
const epochs = Number(opts.get('epochs') ?? 2)

if (opts.has('child')) {
  const threads = Number(opts.get('child'))
  setNumThreads(threads)
  const { train } = loadMnistLike(dataDir)
  const ae = buildAutoencoder({ sizes: [784, 256, 64], loss: 'mse', rng: new Rng(1) })
  const optimizer = new Adam(ae.namedParameters(), { lr: 1e-3 })
  const history = fit(ae, train.x, { epochs, batchSize: 256, optimizer, rng: new Rng(2) })
  const rates = history.epochs.map((e) => train.x.shape[0] / e.seconds)
  const peakRssMB = process.resourceUsage().maxRSS / 1024
  console.log(JSON.stringify({ threads, kernel: getBackendInfo().kernel, rates, loss: history.epochs.map((e) => e.train.total), peakRssMB }))
  process.exit(0)
}

if (!existsSync(dataDir)) {
  console.log(`Fashion-MNIST not found in ${dataDir} (apt-get install dataset-fashion-mnist, or --data-dir DIR): skipped`)
  process.exit(0)
}

const rows: string[][] = []
const records: object[] = []
for (const threads of (opts.get('threads') ?? '1,2').split(',').map(Number)) {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', String(threads), '--epochs', String(epochs), '--data-dir', dataDir], { encoding: 'utf8' })
  if (child.status !== 0) throw new Error(`the ${threads}-thread run failed:\n${child.stderr}`)
  const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { threads: number; kernel: string; rates: number[]; loss: number[]; peakRssMB: number }
  const best = Math.max(...r.rates)
  rows.push([`${threads} thread${threads > 1 ? 's' : ''}`, r.rates.map((v) => v.toFixed(0)).join(', '), best.toFixed(0), r.peakRssMB.toFixed(0), r.loss.map((v) => v.toFixed(4)).join(', ')])
  records.push({ bench: 'autoencoder', ...r, ...machine() })
}
console.log(`784-256-64-256-784, MSE, Adam 1e-3, batch 256, ${epochs} epochs of 60,000 Fashion-MNIST images with fit()`)
printTable(['run', 'samples/s per epoch', 'best', 'peak RSS (MB)', 'train MSE per epoch'], rows)
writeJsonLines(opts.get('out') ?? 'results/autoencoder.jsonl', records)

/**
 * The autoencoder training target: 784-256-64-256-784 (ReLU, sigmoid output, MSE, Adam 1e-3,
 * batch 256) over the 60,000 Fashion-MNIST training images, with `fit`, as a user would run it.
 * Reports samples/s per epoch and the peak resident memory of the whole run (loading the data
 * included), and the reference product's GFLOP/s right after, since the machine's speed varies. Each thread count runs in its own process (autoencoder-run.mjs), on the built
 * packages with plain Node as a project importing them would: under tsx the loader alone adds
 * about 28 MB of resident memory.
 *
 *   pnpm build && pnpm bench autoencoder [--epochs N] [--threads 1,2] [--data-dir DIR]
 *
 * Needs Fashion-MNIST (Debian: apt-get install dataset-fashion-mnist); says so and exits
 * cleanly when it is missing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DEBIAN_FASHION_MNIST } from '@latent/autoencoders/node'
import { args, machine, printTable, writeJsonLines } from './harness.js'

const opts = args()
const dataDir = opts.get('data-dir') ?? DEBIAN_FASHION_MNIST
const epochs = Number(opts.get('epochs') ?? 2)

if (!existsSync(dataDir)) {
  console.log(`Fashion-MNIST not found in ${dataDir} (apt-get install dataset-fashion-mnist, or --data-dir DIR): skipped`)
  process.exit(0)
}

const built = fileURLToPath(new URL('../../packages/autoencoders/dist/index.js', import.meta.url))
if (!existsSync(built)) {
  console.log('the packages are not built: run pnpm build first')
  process.exit(1)
}
const runner = fileURLToPath(new URL('./autoencoder-run.mjs', import.meta.url))

const rows: string[][] = []
const records: object[] = []
for (const threads of (opts.get('threads') ?? '1,2').split(',').map(Number)) {
  const child = spawnSync(process.execPath, [runner, String(threads), String(epochs), dataDir], { encoding: 'utf8' })
  if (child.status !== 0) throw new Error(`the ${threads}-thread run failed:\n${child.stderr}`)
  const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { threads: number; kernel: string; rates: number[]; loss: number[]; peakRssMB: number; referenceGflops: number }
  const best = Math.max(...r.rates)
  rows.push([`${threads} thread${threads > 1 ? 's' : ''}`, r.rates.map((v) => v.toFixed(0)).join(', '), best.toFixed(0), r.peakRssMB.toFixed(0), r.loss.map((v) => v.toFixed(4)).join(', '), r.referenceGflops.toFixed(1)])
  records.push({ bench: 'autoencoder', ...r, ...machine() })
}
console.log(`784-256-64-256-784, MSE, Adam 1e-3, batch 256, ${epochs} epochs of 60,000 Fashion-MNIST images with fit()`)
printTable(['run', 'samples/s per epoch', 'best', 'peak RSS (MB)', 'train MSE per epoch', 'reference product GFLOP/s'], rows)
console.log('reference product: 256x784 @ 784x256 in an arena, measured right after training, with the run\'s threads (how fast the shared machine was)')
writeJsonLines(opts.get('out') ?? 'results/autoencoder.jsonl', records)

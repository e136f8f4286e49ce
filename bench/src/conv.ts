/**
 * The convolutional autoencoder's training speed (the reference protocol's model: two stride-2
 * 3x3 convolutions of 16 and 32 channels, a 32-d code, mirrored with transposed convolutions;
 * BCE, Adam 1e-3, batch 128) over the 60,000 Fashion-MNIST training images, with `fit`, each
 * thread count in its own process (conv-run.mjs) on the built packages. Reports samples/s per
 * epoch, peak RSS, the RSS and the live memory (after a collection) at the end of each epoch, and
 * the test MSE per pixel after training.
 *
 * With --peer, PyTorch trains the same model right after each of ours (bench/torch/conv.py); on
 * more than one thread it runs every setting of its own threads and OpenBLAS's and the table keeps
 * the fastest, so the ratio is against PyTorch's best setting that round.
 *
 *   pnpm build && pnpm bench conv [--epochs N] [--threads 1,2] [--peer] [--rounds N] [--python PATH] [--data-dir DIR]
 *
 * Needs Fashion-MNIST (Debian: apt-get install dataset-fashion-mnist) and, for --peer, PyTorch
 * (Debian: python3-torch); says so and skips what is missing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DEBIAN_FASHION_MNIST } from '@latent/autoencoders/node'
import { args, machine, median, printTable, writeJsonLines } from './harness.js'

const opts = args()
const dataDir = opts.get('data-dir') ?? DEBIAN_FASHION_MNIST
const epochs = Number(opts.get('epochs') ?? 2)
if (!existsSync(dataDir)) {
  console.log(`Fashion-MNIST not found in ${dataDir} `
    + '(apt-get install dataset-fashion-mnist, or --data-dir DIR): skipped')
  process.exit(0)
}
if (!existsSync(fileURLToPath(new URL('../../packages/autoencoders/dist/index.js', import.meta.url)))) {
  console.log('the packages are not built: run pnpm build first')
  process.exit(1)
}
const runner = fileURLToPath(new URL('./conv-run.mjs', import.meta.url))
const torchScript = fileURLToPath(new URL('../torch/conv.py', import.meta.url))

interface Run {
  threads: number; kernel: string; rates: number[]; loss: number[]; rssMB?: number[]; liveMB?: number[]
  testMse: number; peakRssMB: number
}

function run(label: string, command: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Run {
  process.stdout.write(`${label}...`)
  const start = performance.now()
  const child = spawnSync(command, argv, { encoding: 'utf8', env })
  process.stdout.write(` ${((performance.now() - start) / 1000).toFixed(0)} s\n`)
  if (child.error || child.status !== 0) throw new Error(`${label} failed:\n${child.error?.message ?? child.stderr}`)
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Run
}

const python = ((): string | undefined => {
  if (!opts.has('peer')) return undefined
  const candidate = opts.get('python') ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')
  const probe = spawnSync(candidate, ['-c', 'import torch, numpy'], { encoding: 'utf8' })
  if (!probe.error && probe.status === 0) return candidate
  console.log(`PyTorch (with NumPy) not found for ${candidate} `
    + '(Debian: apt-get install python3-torch): the peer is skipped')
  return undefined
})()

/** PyTorch's thread settings for n threads: its own intra-op threads and OpenBLAS's. */
const settings = (n: number): [number, number][] => (n === 1 ? [[1, 1]] : [[n, 1], [1, n], [n, n]])

const rounds = Number(opts.get('rounds') ?? 1)
const threadCounts = (opts.get('threads') ?? '1,2').split(',').map(Number)
const rows: string[][] = []
const records: object[] = []
const ratios = new Map<number, number[]>(threadCounts.map((t) => [t, []]))
const best = (r: Run): number => Math.max(...r.rates)
const row = (round: number, name: string, r: Run, ratio = ''): string[] => [
  String(round), name, r.rates.map((v) => v.toFixed(0)).join(', '), best(r).toFixed(0), r.peakRssMB.toFixed(0),
  r.rssMB?.map((v) => v.toFixed(0)).join(', ') ?? '-', r.liveMB?.map((v) => v.toFixed(1)).join(', ') ?? '-',
  r.loss.map((v) => v.toFixed(4)).join(', '), r.testMse.toFixed(5), ratio,
]
for (let round = 1; round <= rounds; round++) {
  for (const threads of threadCounts) {
    const plural = `${threads} thread${threads > 1 ? 's' : ''}`
    const ours = run(`round ${round}: latent on ${plural}`, process.execPath,
      ['--expose-gc', runner, String(threads), String(epochs), dataDir])
    records.push({ bench: 'conv', round, ...ours, ...machine() })
    if (!python) {
      rows.push(row(round, `latent, ${plural}`, ours))
      continue
    }
    const peers = settings(threads).map(([own, blas]) => {
      const env = {
        ...process.env, OMP_NUM_THREADS: String(own), OPENBLAS_NUM_THREADS: String(blas), MKL_NUM_THREADS: String(blas),
      }
      const r = run(`round ${round}: PyTorch, ${own} thread(s), OpenBLAS ${blas}`, python,
        [torchScript, String(own), String(epochs), dataDir], env)
      records.push({ bench: 'conv-peer', round, torchThreads: own, blasThreads: blas, ...r, ...machine() })
      return { r, name: `PyTorch, ${plural} (torch ${own}, OpenBLAS ${blas})` }
    })
    const fastest = peers.reduce((a, b) => (best(b.r) > best(a.r) ? b : a))
    const ratio = best(ours) / best(fastest.r)
    ratios.get(threads)!.push(ratio)
    rows.push(row(round, `latent, ${plural}`, ours, ratio.toFixed(2)), row(round, fastest.name, fastest.r))
  }
}
console.log('conv autoencoder (16, 32 channels, 32-d code), BCE, Adam 1e-3, batch 128, '
  + `${epochs} epochs of 60,000 Fashion-MNIST images`)
printTable(['round', 'run', 'samples/s per epoch', 'best', 'peak RSS (MB)', 'RSS after each epoch',
  'live MB after each epoch', 'train BCE per epoch', 'test MSE',
  'latent / PyTorch'], rows)
for (const [threads, v] of ratios) {
  if (v.length > 0) {
    console.log(`${threads} thread(s): latent / PyTorch's best setting, median ${median(v).toFixed(2)} `
      + `(${v.map((x) => x.toFixed(2)).join(', ')})`)
  }
}
writeJsonLines(opts.get('out') ?? 'results/conv.jsonl', records)

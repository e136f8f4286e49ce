/**
 * The autoencoder training target: 784-256-64-256-784 (ReLU, sigmoid output, MSE, Adam 1e-3,
 * batch 256) over the 60,000 Fashion-MNIST training images, with `fit`, as a user would run it.
 * Reports samples/s per epoch, the training's products as a fraction of the WASM FMA peak
 * measured right after each run (samples/s x 2.605 MFLOP per sample, over the peak times the
 * threads), the peak resident memory of the whole run (loading the data included), and the
 * reference product's GFLOP/s right after, since the machine's speed varies. The images are
 * held as bytes (ByteRows) and converted a batch at a time, as the command line trains.
 * Each thread count runs in its own process (autoencoder-run.mjs), on the built packages with
 * plain Node as a project importing them would: under tsx the loader alone adds about 28 MB of
 * resident memory.
 *
 * With --peer, PyTorch runs the same training (bench/torch/autoencoder.py) right after each of
 * ours, and the table gives the ratio of the best epochs of the two runs of each round: a
 * comparison that holds however fast the shared machine is that minute. It needs Python with
 * PyTorch and NumPy (Debian: apt-get install python3-torch, and libopenblas0-pthread for a fast
 * BLAS; --python PATH picks the interpreter, /usr/bin/python3 by default) and says so and
 * skips the peer when they are missing.
 *
 * With --loop hand (or --loop fit,hand), latent also trains with the loop a user writes by hand
 * (the nn README's: zeroGrad, backward and step inside placeTraining's steps); with both, the
 * table ends with each round's ratio of the two.
 *
 *   pnpm build && pnpm bench autoencoder [--epochs N] [--threads 1,2] [--loop fit,hand] [--data-dir DIR]
 *     [--peer] [--rounds N] [--python PATH] [--images bytes|float]
 *
 * Needs Fashion-MNIST (Debian: apt-get install dataset-fashion-mnist); says so and exits
 * cleanly when it is missing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DEBIAN_FASHION_MNIST } from '@latent/autoencoders/node'
import { getBackendInfo } from '@latent/tensor'
import { FLOPS_PER_SAMPLE, peakGflops, peakModule } from './fma-peak.js'
import { args, machine, median, printTable, writeJsonLines } from './harness.js'

const opts = args()
const dataDir = opts.get('data-dir') ?? DEBIAN_FASHION_MNIST
const epochs = Number(opts.get('epochs') ?? 2)

if (!existsSync(dataDir)) {
  console.log(`Fashion-MNIST not found in ${dataDir} ` +
    '(apt-get install dataset-fashion-mnist, or --data-dir DIR): skipped')
  process.exit(0)
}

const built = fileURLToPath(new URL('../../packages/autoencoders/dist/index.js', import.meta.url))
if (!existsSync(built)) {
  console.log('the packages are not built: run pnpm build first')
  process.exit(1)
}
const runner = fileURLToPath(new URL('./autoencoder-run.mjs', import.meta.url))
const torchScript = fileURLToPath(new URL('../torch/autoencoder.py', import.meta.url))

interface Run {
  threads: number; loop?: string; kernel: string; rates: number[]; loss: number[]; peakRssMB: number
  referenceGflops?: number
  /** The WASM FMA peak of one core, measured by this process right after the run. */
  fmaPeakGflops?: number
}

getBackendInfo() // relaxed SIMD set up before the peak loop is compiled
const fmaPeak = peakModule(true)
/** The median of five peak measurements, now. */
const peakNow = (): number => median(Array.from({ length: 5 }, () => peakGflops(fmaPeak)))
/** Training's products as a fraction of the FMA peak of all its threads (samples/s x 2.605 MFLOP). */
const ofPeak = (r: Run): string => (r.fmaPeakGflops === undefined ? '-'
  : `${(100 * Math.max(...r.rates) * FLOPS_PER_SAMPLE / (r.fmaPeakGflops * 1e9 * r.threads)).toFixed(0)}%`)

/** Runs one training process and returns the JSON line it prints last. */
function run(label: string, command: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Run {
  process.stdout.write(`${label}...`) // a run takes 10 to 30 s
  const start = performance.now()
  const child = spawnSync(command, argv, { encoding: 'utf8', env })
  process.stdout.write(` ${((performance.now() - start) / 1000).toFixed(0)} s\n`)
  if (child.error || child.status !== 0) throw new Error(`${label} failed:\n${child.error?.message ?? child.stderr}`)
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Run
}

/** The Python that has PyTorch, or why the peer is skipped. */
function findPeer(): { python: string } | { missing: string } {
  const python = opts.get('python') ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')
  const probe = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' })
  const missing = `PyTorch (with NumPy) not found for ${python} (Debian: apt-get install python3-torch; ` +
    'or --python PATH): the peer is skipped'
  if (probe.error || probe.status !== 0) return { missing }
  return { python }
}

const peer = opts.has('peer') ? findPeer() : undefined
if (peer && 'missing' in peer) console.log(peer.missing)
const python = peer && 'python' in peer ? peer.python : undefined
let peerKernel = ''
const rounds = Number(opts.get('rounds') ?? 1)
const threadCounts = (opts.get('threads') ?? '1,2').split(',').map(Number)
const loops = (opts.get('loop') ?? 'fit').split(',')
const images = opts.get('images') ?? 'bytes'
if (images !== 'bytes' && images !== 'float') throw new Error(`--images: expected bytes or float, got ${images}`)
if (loops.some((l) => l !== 'fit' && l !== 'hand')) {
  throw new Error(`--loop: expected fit, hand or fit,hand, got ${opts.get('loop')}`)
}
const handOverFit = new Map<number, number[]>(threadCounts.map((t) => [t, []]))
const rows: string[][] = []
const records: object[] = []
const ratios = new Map<number, number[]>(threadCounts.map((t) => [t, []]))
const row = (name: string, r: Run, round: number, ratio = ''): string[] => [
  ...(rounds > 1 ? [String(round)] : []), name, r.rates.map((v) => v.toFixed(0)).join(', '),
  Math.max(...r.rates).toFixed(0), ofPeak(r), r.peakRssMB.toFixed(0),
  r.loss.map((v) => v.toFixed(4)).join(', '), r.referenceGflops?.toFixed(1) ?? '-', ...(python ? [ratio] : []),
]
for (let round = 1; round <= rounds; round++) {
  for (const threads of threadCounts) {
    const plural = `${threads} thread${threads > 1 ? 's' : ''}`
    const prefix = rounds > 1 ? `round ${round}/${rounds}: ` : ''
    const runs = loops.map((loop) => {
      const label = `${prefix}latent${loop === 'hand' ? ' (hand-written loop)' : ''} on ${plural}`
      const r = run(label, process.execPath, [runner, String(threads), String(epochs), dataDir, loop, images])
      r.fmaPeakGflops = peakNow()
      records.push({ bench: 'autoencoder', round, ...r, ...machine() })
      return r
    })
    if (runs.length === 2) handOverFit.get(threads)!.push(Math.max(...runs[1].rates) / Math.max(...runs[0].rates))
    const ours = runs[0]
    const name = (r: Run): string => `latent${r.loop === 'hand' ? ' (hand loop)' : ''}, ${plural}`
    if (!python) {
      for (const r of runs) rows.push(row(name(r), r, round))
      continue
    }
    // The products on `threads` BLAS threads, the rest on one (see bench/torch/autoencoder.py).
    const env = {
      ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads),
    }
    const theirs = run(`${rounds > 1 ? `round ${round}/${rounds}: ` : ''}PyTorch on ${plural}`, python,
      [torchScript, String(threads), String(epochs), dataDir], env)
    peerKernel = theirs.kernel
    const ratio = Math.max(...ours.rates) / Math.max(...theirs.rates)
    ratios.get(threads)!.push(ratio)
    for (const r of runs) {
      rows.push(row(name(r), r, round, (Math.max(...r.rates) / Math.max(...theirs.rates)).toFixed(2)))
    }
    rows.push(row(`PyTorch, ${plural}`, theirs, round))
    records.push({ bench: 'autoencoder-peer', round, ...theirs, ratio, ...machine() })
  }
}
console.log(`784-256-64-256-784, MSE, Adam 1e-3, batch 256, ${epochs} epochs of 60,000 Fashion-MNIST images with fit()`)
printTable([
  ...(rounds > 1 ? ['round'] : []), 'run', 'samples/s per epoch', 'best', 'of FMA peak', 'peak RSS (MB)',
  'train MSE per epoch',
  'reference product GFLOP/s', ...(python ? ['latent / PyTorch'] : []),
], rows)
console.log('reference product: 256x784 @ 784x256 in an arena, measured right after training, ' +
  'with the run\'s threads (how fast the shared machine was)')
console.log(`of FMA peak: best samples/s x ${(FLOPS_PER_SAMPLE / 1e6).toFixed(3)} MFLOP over the WASM FMA peak of ` +
  'one core (measured right after the run) times the threads')
if (python) {
  console.log(`PyTorch: ${peerKernel}; latent / PyTorch is the ratio of the best epochs of a round's two runs`)
  for (const [threads, v] of ratios) {
    if (rounds > 1) console.log(`${threads} thread(s): median ratio ${median(v).toFixed(2)} over ${v.length} rounds ` +
      `(${Math.min(...v).toFixed(2)} to ${Math.max(...v).toFixed(2)})`)
  }
}
for (const [threads, v] of handOverFit) {
  if (v.length > 0) console.log(`${threads} thread(s): hand-written loop / fit, best epochs: ` +
    `${v.map((x) => x.toFixed(3)).join(', ')} (median ${median(v).toFixed(3)})`)
}
writeJsonLines(opts.get('out') ?? 'results/autoencoder.jsonl', records)

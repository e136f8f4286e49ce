/**
 * The ceiling of one core right now, next to the kernel. On a shared machine the speed of a core
 * moves by up to 2x within minutes, so a GFLOP/s figure means little without the peak measured
 * beside it. Interleaved in rounds, medians over rounds:
 * - WASM FMA peak: 12 independent chains of f32x4.relaxed_madd (emitted with the project's
 *   emitter), enough to cover the FMA latency on both FMA pipes, no memory traffic;
 * - WASM mul+add peak: the same with f32x4.mul and f32x4.add (the plain SIMD build's ceiling);
 * - native FMA peak: bench/native/peak.c, the same chains as machine code, when a C compiler
 *   (`cc`) is present; otherwise the column says so;
 * - the FMA build's kernel alone on operands already packed: small enough to stay in L1, and
 *   the reference product's panels (what packing and the driver cost is the gap to the product);
 * - the reference product 256x784 @ 784x256 on one thread, operands in an arena, with each
 *   build, and its share of the matching WASM peak;
 * - training with fit (784-256-64-256-784, batch 256, Adam) on one thread, as GFLOP/s of its
 *   products (samples/s x 2.605 MFLOP) and as a fraction of the WASM FMA peak.
 *
 *   pnpm bench peak [--rounds N] [--out results/peak.jsonl]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildAutoencoder, fit } from '@latent/autoencoders'
import { Adam } from '@latent/nn'
import { createGemmBackend, getBackendInfo, Rng, setNumThreads } from '@latent/tensor'
import { buildGemmModule, FMA_5X8 } from '../../packages/tensor/src/kernels/wasm/gemm_kernel.js'
import { FLOPS_PER_SAMPLE, ITERATIONS, peakGflops, peakModule } from './fma-peak.js'
import { args, machine, median, printTable, writeJsonLines } from './harness.js'

const opts = args()
const rounds = Number(opts.get('rounds') ?? 7)
const out = opts.get('out') ?? 'results/peak.jsonl'
/** The native peak program, compiled once; undefined (with the reason) without a C compiler. */
function nativePeak(): { run: () => number } | { missing: string } {
  const source = fileURLToPath(new URL('../native/peak.c', import.meta.url))
  const binary = join(mkdtempSync(join(tmpdir(), 'latent-peak-')), 'peak')
  const compiled = spawnSync('cc', ['-O2', '-mfma', '-o', binary, source], { encoding: 'utf8' })
  if (compiled.error || compiled.status !== 0) {
    const reason = compiled.error?.message ?? compiled.stderr.trim().split('\n')[0]
    return { missing: `no native figure: cc -O2 -mfma failed (${reason})` }
  }
  return { run: () => Number(spawnSync(binary, [String(5 * ITERATIONS)], { encoding: 'utf8' }).stdout.split(' ')[0]) }
}

/** The reference product with one build, in an arena: GFLOP/s of the median of a few calls. */
function referenceProduct(fma: boolean): () => number {
  const g = createGemmBackend('wasm', { fma, threads: 1 })
  const arena = g.createArena(4 * (2 * 256 * 784 + 256 * 256) + 256)
  const [a, b, c] = [arena.allocate(256 * 784)!, arena.allocate(784 * 256)!, arena.allocate(256 * 256)!]
  a.set(new Rng(1).uniform([256 * 784]).data)
  b.set(new Rng(2).uniform([784 * 256]).data)
  const product = (): void =>
    g.gemm({ m: 256, n: 256, k: 784, a, aOffset: 0, transA: false, b, bOffset: 0, transB: false, c, cOffset: 0 })
  for (let i = 0; i < 5; i++) product()
  return () => {
    const times: number[] = []
    for (let i = 0; i < 15; i++) {
      const start = performance.now()
      product()
      times.push(performance.now() - start)
    }
    return (2 * 256 * 256 * 784) / (median(times) * 1e6)
  }
}

/**
 * The FMA build's kernel alone: its gemm over panels already packed (panelsM panels of MR = 4
 * rows, panelsN of NR = 8 columns, kc deep), in a memory of its own; no packing, no driver.
 */
function kernelAlone(panelsM: number, panelsN: number, kc: number): () => number {
  const { mr, nr } = FMA_5X8
  const floats = kc * (mr * panelsM + nr * panelsN) + mr * nr * panelsM * panelsN
  const pages = Math.ceil((4 * floats + 4096) / 65536)
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages })
  const module = buildGemmModule(FMA_5X8, { module: 'env', field: 'memory', initial: pages, maximum: pages })
  const { gemm } = new WebAssembly.Instance(new WebAssembly.Module(module.toBytes()), { env: { memory } })
    .exports as { gemm: (...args: number[]) => void }
  // Byte offsets of packed A, packed B and C, above the first 4 KB.
  const ap = 4096
  const bp = ap + 4 * kc * mr * panelsM
  const c = bp + 4 * kc * nr * panelsN
  new Float32Array(memory.buffer, ap, (c - ap) / 4).fill(0.001)
  const flops = 2 * mr * nr * panelsM * panelsN * kc
  const calls = Math.max(1, Math.round(1e8 / flops))
  return () => {
    const start = performance.now()
    for (let i = 0; i < calls; i++) gemm(ap, bp, c, nr * panelsN, panelsM, panelsN, kc, 0)
    return (calls * flops) / ((performance.now() - start) * 1e6)
  }
}

/**
 * The autoencoder's training step as `pnpm bench autoencoder` runs it (784-256-64-256-784, MSE,
 * Adam, batch 256, fit), on one thread over 32 batches of random images: GFLOP/s of its products.
 */
function fitOnOneThread(): () => number {
  setNumThreads(1)
  const x = new Rng(5).uniform([32 * 256, 784])
  const model = buildAutoencoder({ sizes: [784, 256, 64], loss: 'mse', rng: new Rng(6) })
  const optimizer = new Adam(model.namedParameters(), { lr: 1e-3 })
  const epoch = (): number => {
    const history = fit(model, x, { epochs: 1, batchSize: 256, optimizer, rng: new Rng(7) })
    return (x.shape[0] * FLOPS_PER_SAMPLE) / (history.epochs[0].seconds * 1e9)
  }
  epoch() // warm-up
  return epoch
}

getBackendInfo() // sets up relaxed SIMD under Node 20 before the FMA module is compiled
const wasmFma = peakModule(true)
const wasmMulAdd = peakModule(false)
wasmFma(ITERATIONS / 10)
wasmMulAdd(ITERATIONS / 10)
const native = nativePeak()
const fmaProduct = referenceProduct(true)
const simdProduct = referenceProduct(false)
// Operands that stay in L1 (2 x 2 tiles over k = 256: 24 KB), and the reference product's panels
// (64 x 32 tiles over k = 784).
const kernelInL1 = kernelAlone(2, 2, 256)
const kernelProductPanels = kernelAlone(64, 32, 784)
const training = fitOnOneThread()

const columns = [
  'WASM FMA peak', 'WASM mul+add peak', 'native FMA peak', 'FMA kernel alone, operands in L1',
  'FMA kernel alone, product panels', 'product, FMA build', 'product, SIMD build', 'training with fit, one thread',
] as const
const samples: Record<(typeof columns)[number], number[]> = Object.fromEntries(columns.map((c) => [c, []])) as never
for (let r = 0; r < rounds; r++) {
  samples['WASM FMA peak'].push(peakGflops(wasmFma))
  samples['WASM mul+add peak'].push(peakGflops(wasmMulAdd))
  if ('run' in native) samples['native FMA peak'].push(native.run())
  samples['FMA kernel alone, operands in L1'].push(kernelInL1())
  samples['FMA kernel alone, product panels'].push(kernelProductPanels())
  samples['product, FMA build'].push(fmaProduct())
  samples['product, SIMD build'].push(simdProduct())
  samples['training with fit, one thread'].push(training())
}
const m = Object.fromEntries(columns.map((c) => [c, median(samples[c])])) as Record<(typeof columns)[number], number>
const spread = (c: (typeof columns)[number]): string => (samples[c].length
  ? `${Math.min(...samples[c]).toFixed(1)}-${Math.max(...samples[c]).toFixed(1)}`
  : '-')

console.log(`one core's ceiling and the kernel, GFLOP/s, median of ${rounds} interleaved rounds (${machine().cpu})`)
printTable(['measure', 'GFLOP/s', 'spread'],
  columns.map((c) => [c, Number.isNaN(m[c]) ? '-' : m[c].toFixed(1), spread(c)]))
if ('missing' in native) console.log(native.missing)
console.log(`the FMA build's product at ${(100 * m['product, FMA build'] / m['WASM FMA peak']).toFixed(0)}% ` +
  'of the WASM FMA peak, ' +
  `the SIMD build's at ${(100 * m['product, SIMD build'] / m['WASM mul+add peak']).toFixed(0)}% of the mul+add peak`)
const fitRate = m['training with fit, one thread'] * 1e9 / FLOPS_PER_SAMPLE
console.log(`training with fit (784-256-64-256-784, batch 256, Adam): ${fitRate.toFixed(0)} samples/s, ` +
  `${(100 * m['training with fit, one thread'] / m['WASM FMA peak']).toFixed(0)}% of the WASM FMA peak ` +
  `(${(FLOPS_PER_SAMPLE / 1e6).toFixed(3)} MFLOP per sample)`)
writeJsonLines(out, [{ bench: 'peak', ...machine(), rounds, ...m }])

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
 *   build, and its share of the matching WASM peak.
 *
 *   pnpm bench peak [--rounds N] [--out results/peak.jsonl]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createGemmBackend, getBackendInfo, Rng } from '@latent/tensor'
import { ModuleBuilder, type Instr } from '../../packages/tensor/src/kernels/wasm/emitter.js'
import { buildGemmModule, FMA_4X8 } from '../../packages/tensor/src/kernels/wasm/gemm_kernel.js'
import { args, machine, median, printTable, writeJsonLines } from './harness.js'

const opts = args()
const rounds = Number(opts.get('rounds') ?? 7)
const out = opts.get('out') ?? 'results/peak.jsonl'
const CHAINS = 12
const ITERATIONS = 20_000_000 // about 0.05 to 0.1 s per measurement

/**
 * peak(n): n iterations of CHAINS independent multiply-adds of 4 lanes; returns a lane of their sum
 * (keeps them live).
 */
function peakModule(fma: boolean): (n: number) => number {
  const acc = Array.from({ length: CHAINS }, (_, i) => `acc${i}`)
  const get = (n: string): Instr => ['local.get', n]
  const step = (a: string): Instr[] => fma
    ? [get(a), get('x'), get('y'), ['f32x4.relaxed_madd'], ['local.set', a]]
    : [get(a), get('x'), ['f32x4.mul'], get('y'), ['f32x4.add'], ['local.set', a]]
  const bytes = new ModuleBuilder().addFunction({
    name: 'peak',
    params: [['n', 'i32']],
    results: ['f64'],
    locals: [...acc, 'x', 'y'].map((v) => [v, 'v128'] as const),
    body: [
      ['f32.const', 0.999], ['f32x4.splat'], ['local.set', 'x'],
      ['f32.const', 0.0001], ['f32x4.splat'], ['local.set', 'y'],
      ...acc.flatMap((a, i): Instr[] => [['f32.const', i], ['f32x4.splat'], ['local.set', a]]),
      ['loop', 'k'],
      ...acc.flatMap(step),
      get('n'), ['i32.const', 1], ['i32.sub'], ['local.tee', 'n'], ['br_if', 'k'],
      ['end'],
      get('acc0'), ...acc.slice(1).flatMap((a): Instr[] => [get(a), ['f32x4.add']]),
      ['f64x2.promote_low_f32x4'], ['f64x2.extract_lane', 0],
    ],
  }).toBytes()
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes))
  return instance.exports.peak as (n: number) => number
}

/** GFLOP/s of one call of a peak function (8 flops per multiply-add of 4 lanes). */
function peakGflops(peak: (n: number) => number): number {
  const start = performance.now()
  peak(ITERATIONS)
  return (ITERATIONS * CHAINS * 8) / ((performance.now() - start) * 1e6)
}

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
  const { mr, nr } = FMA_4X8
  const floats = kc * (mr * panelsM + nr * panelsN) + mr * nr * panelsM * panelsN
  const pages = Math.ceil((4 * floats + 4096) / 65536)
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages })
  const module = buildGemmModule(FMA_4X8, { module: 'env', field: 'memory', initial: pages, maximum: pages })
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

const columns = [
  'WASM FMA peak', 'WASM mul+add peak', 'native FMA peak', 'FMA kernel alone, operands in L1',
  'FMA kernel alone, product panels', 'product, FMA build', 'product, SIMD build',
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
writeJsonLines(out, [{ bench: 'peak', ...machine(), rounds, ...m }])

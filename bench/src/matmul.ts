/**
 * Matrix-product throughput in GFLOP/s (2·m·n·k per product), every kernel side by side in one
 * run: a naive i-k-j loop, the JS kernel, both WASM builds on one and two threads, and the peer,
 * TensorFlow.js's WASM backend (XNNPACK, SIMD build, one thread). Shapes: tiny products, the
 * products of a 784-256-64 autoencoder forward (A·B) and backward (Aᵀ·dY, dY·Bᵀ), 512³ and 1024³.
 *
 *   pnpm bench matmul [--quick] [--rounds N] [--out results/matmul.jsonl]
 *
 * Our kernels are called through their GemmBackend interface, on plain Float32Arrays (every
 * call copies the operands into WASM memory and the result out) and, in the "in place"
 * columns, on tensors in an arena of the kernel's memory (no copies, like tfjs, whose operands
 * live in its WASM memory; it is measured through `tf.matMul` plus `dataSync`). Measurements
 * are interleaved in rounds (see harness.ts); each figure is the median over rounds.
 */
import { createGemmBackend, Rng, type StandaloneGemm } from '@latent/tensor'
import { args, machine, measureRounds, printTable, writeJsonLines } from './harness.js'
import { loadTf } from './tfjs.js'

/** The textbook loop, the baseline every kernel is compared with. C = op(A) op(B). */
function naiveGemm(
  m: number, n: number, k: number, a: Float32Array, transA: boolean, b: Float32Array, transB: boolean, c: Float32Array,
): void {
  // Element strides of op(A) (rows, columns) and op(B): a transpose only swaps them.
  const [ai, ap] = transA ? [1, m] : [k, 1]
  const [bp, bj] = transB ? [1, k] : [n, 1]
  c.fill(0)
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * ai + p * ap]
      for (let j = 0; j < n; j++) c[i * n + j] += av * b[p * bp + j * bj]
    }
  }
}

interface Case { label: string; m: number; n: number; k: number; transA: boolean; transB: boolean; naive: boolean }

/** For a forward product [m,k]·[k,n]: the product itself and the two products its backward pass needs. */
function withBackward(m: number, k: number, n: number): Case[] {
  return [
    { label: `${m}x${k} @ ${k}x${n}`, m, n, k, transA: false, transB: false, naive: true },
    // dW = Xᵀ·dY: X is [m,k], dY is [m,n]; the product is k x n over m.
    { label: `(${m}x${k})ᵀ @ ${m}x${n}`, m: k, n, k: m, transA: true, transB: false, naive: true },
    // dX = dY·Wᵀ: dY is [m,n], W is [k,n]; the product is m x k over n.
    { label: `${m}x${n} @ (${k}x${n})ᵀ`, m, n: k, k: n, transA: false, transB: true, naive: true },
  ]
}

const cube = (s: number, naive: boolean): Case =>
  ({ label: `${s}x${s} @ ${s}x${s}`, m: s, n: s, k: s, transA: false, transB: false, naive })
const SHAPES: Case[] = [
  cube(8, true), cube(64, true), ...withBackward(256, 784, 256), ...withBackward(256, 256, 64),
  ...withBackward(512, 512, 512), cube(1024, false),
]

const opts = args()
const quick = opts.has('quick')
const rounds = Number(opts.get('rounds') ?? (quick ? 2 : 5))
const perRound = { maxTime: quick ? 0.1 : 0.3, minSamples: 3 }
const out = opts.get('out') ?? 'results/matmul.jsonl'

const tf = await loadTf('wasm')
const ours: Record<string, StandaloneGemm> = {
  'JS 4x4': createGemmBackend('js'),
  'SIMD 5x8': createGemmBackend('wasm', { fma: false, threads: 1 }),
  'SIMD 5x8 x2': createGemmBackend('wasm', { fma: false, threads: 2 }),
  'FMA 4x8': createGemmBackend('wasm', { fma: true, threads: 1 }),
  'FMA 4x8 x2': createGemmBackend('wasm', { fma: true, threads: 2 }),
}
const inPlace: Record<string, StandaloneGemm> = {
  'SIMD 5x8 in place': ours['SIMD 5x8'],
  'FMA 4x8 in place': ours['FMA 4x8'],
  'FMA 4x8 in place x2': ours['FMA 4x8 x2'],
}
const arenas = Object.fromEntries(Object.entries(inPlace).map(([name, b]) => [name, b.createArena(40 << 20)]))
// Workers start asynchronously; wait until they can take work.
for (let t = 0; t < 500 && (ours["SIMD 5x8 x2"].readyWorkers < 1 || ours["FMA 4x8 x2"].readyWorkers < 1); t++) {
  await new Promise((r) => setTimeout(r, 20))
}
for (const [name, b] of Object.entries(ours)) {
  if (name.endsWith('x2') && b.readyWorkers !== 1) throw new Error(`${name}: its worker did not start`)
}

const rng = new Rng(1)
const info = machine()
const columns = ['naive i-k-j', ...Object.keys(ours), ...Object.keys(inPlace), 'tfjs-wasm']
const rows: (string | number)[][] = []
const records: object[] = []
for (const c of SHAPES) {
  const a = rng.uniform([c.m * c.k], -1, 1).data as Float32Array
  const b = rng.uniform([c.k * c.n], -1, 1).data as Float32Array
  const out = new Float32Array(c.m * c.n)
  const args = {
    m: c.m, n: c.n, k: c.k, a, aOffset: 0, transA: c.transA, b, bOffset: 0, transB: c.transB, c: out, cOffset: 0,
  }
  const ta = tf.tensor(a, c.transA ? [c.k, c.m] : [c.m, c.k])
  const tb = tf.tensor(b, c.transB ? [c.n, c.k] : [c.k, c.n])
  const cases: Record<string, () => void> = {}
  if (c.naive) cases['naive i-k-j'] = () => naiveGemm(c.m, c.n, c.k, a, c.transA, b, c.transB, out)
  for (const [name, backend] of Object.entries(ours)) cases[name] = () => backend.gemm(args)
  for (const [name, backend] of Object.entries(inPlace)) {
    const arena = arenas[name]
    arena.reset()
    const [ra, rb, rc] = [arena.allocate(a.length)!, arena.allocate(b.length)!, arena.allocate(out.length)!]
    ra.set(a)
    rb.set(b)
    cases[name] = () => backend.gemm({ ...args, a: ra, b: rb, c: rc })
  }
  cases['tfjs-wasm'] = () => {
    const r = tf.matMul(ta, tb, c.transA, c.transB)
    r.dataSync()
    r.dispose()
  }
  const m = measureRounds(cases, rounds, perRound)
  ta.dispose()
  tb.dispose()
  const flops = 2 * c.m * c.n * c.k
  const gf = (name: string): number | undefined => (m[name] ? flops / m[name].median / 1e9 : undefined)
  const fmt = (v: number | undefined): string => (v === undefined ? '-' : v >= 10 ? v.toFixed(1) : v.toFixed(2))
  rows.push([
    c.label, ...columns.map((k) => fmt(gf(k))),
    fmt(gf('FMA 4x8')! / gf('tfjs-wasm')!), fmt(gf('FMA 4x8 in place')! / gf('tfjs-wasm')!),
    fmt(gf('FMA 4x8 x2')! / gf('FMA 4x8')!), fmt(gf('FMA 4x8')! / gf('JS 4x4')!),
  ])
  for (const [kernel, r] of Object.entries(m)) {
    records.push({
      bench: 'matmul', kernel, shape: c.label, m: c.m, n: c.n, k: c.k, transA: c.transA, transB: c.transB,
      gflops: flops / r.median / 1e9, gflopsSlowestRound: flops / r.max / 1e9,
      gflopsFastestRound: flops / r.min / 1e9, rounds: r.samples, ...info,
    })
  }
  console.error(`measured ${c.label}`)
}
for (const a of Object.values(arenas)) a.dispose()
for (const b of Object.values(ours)) b.close()
printTable(['product', ...columns, 'FMA/tfjs', 'in place/tfjs', 'x2/x1', 'FMA/JS'], rows)
console.log(`GFLOP/s, median over ${rounds} interleaved rounds. x2 = two threads (the caller and one worker).`)
writeJsonLines(out, records)
console.log(`JSON lines appended to bench/${out}`)

/**
 * Matrix-product throughput in GFLOP/s (2·m·n·k per product) of the project's kernels
 * against a naive i-k-j loop, on the shapes a 784-256-64 autoencoder uses, forward (A·B) and
 * backward (Aᵀ·dY for weight gradients, dY·Bᵀ for input gradients).
 *
 *   pnpm --filter @latent/bench matmul [--quick] [--out results/matmul.jsonl]
 */
import { matmul, Rng, type Tensor } from '@latent/tensor'
import { args, machine, measure, printTable, writeJsonLines } from './harness.js'

/** The textbook loop, the baseline every kernel is compared with. C = op(A) op(B). */
function naiveGemm(m: number, n: number, k: number, a: Float32Array, transA: boolean, b: Float32Array, transB: boolean, c: Float32Array): void {
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

interface Case { label: string; m: number; n: number; k: number; transA: boolean; transB: boolean }

/** For a forward product [m,k]·[k,n]: the product itself and the two products its backward pass needs. */
function withBackward(m: number, k: number, n: number): Case[] {
  return [
    { label: `${m}x${k} @ ${k}x${n}`, m, n, k, transA: false, transB: false },
    // dW = Xᵀ·dY: X is [m,k], dY is [m,n]; the product is k x n over m.
    { label: `(${m}x${k})ᵀ @ ${m}x${n}`, m: k, n, k: m, transA: true, transB: false },
    // dX = dY·Wᵀ: dY is [m,n], W is [k,n]; the product is m x k over n.
    { label: `${m}x${n} @ (${k}x${n})ᵀ`, m, n: k, k: n, transA: false, transB: true },
  ]
}

export const SHAPES: Case[] = [...withBackward(256, 784, 256), ...withBackward(256, 256, 64), ...withBackward(512, 512, 512)]

function operands(c: Case, rng: Rng): [Tensor, Tensor] {
  return [rng.uniform(c.transA ? [c.k, c.m] : [c.m, c.k], -1, 1), rng.uniform(c.transB ? [c.n, c.k] : [c.k, c.n], -1, 1)]
}

const opts = args()
const quick = opts.has('quick')
const out = opts.get('out') ?? 'results/matmul.jsonl'
const rng = new Rng(1)
const rows: (string | number)[][] = []
const records: object[] = []
const info = machine()
for (const c of SHAPES) {
  const [a, b] = operands(c, rng)
  const flops = 2 * c.m * c.n * c.k
  const cNaive = new Float32Array(c.m * c.n)
  const naive = measure(() => naiveGemm(c.m, c.n, c.k, a.data as Float32Array, c.transA, b.data as Float32Array, c.transB, cNaive), { maxTime: quick ? 0.3 : 1.5, minSamples: quick ? 3 : 10 })
  const js = measure(() => matmul(a, b, { transposeA: c.transA, transposeB: c.transB }), { maxTime: quick ? 0.3 : 1.5, minSamples: quick ? 3 : 10 })
  const gf = (t: number): number => flops / t / 1e9
  rows.push([c.label, gf(naive.median).toFixed(2), gf(js.median).toFixed(2), `${gf(js.max).toFixed(2)}-${gf(js.min).toFixed(2)}`, (naive.median / js.median).toFixed(2)])
  for (const [kernel, m] of [['naive-ikj', naive], ['js-4x4', js]] as const) {
    records.push({ bench: 'matmul', kernel, threads: 1, shape: c.label, m: c.m, n: c.n, k: c.k, transA: c.transA, transB: c.transB, gflops: gf(m.median), gflopsMin: gf(m.max), gflopsMax: gf(m.min), samples: m.samples, ...info })
  }
}
printTable(['product', 'naive i-k-j', 'JS 4x4', 'JS spread', 'speed-up'], rows)
console.log('GFLOP/s, median of samples (spread: slowest-fastest sample)')
writeJsonLines(out, records)
console.log(`JSON lines appended to bench/${out}`)

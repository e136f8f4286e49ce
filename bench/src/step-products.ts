/**
 * The eleven matrix products of one training step of the 784-256-64-256-784 autoencoder at
 * batch 256 (forward x·Wᵀ, weight gradients gᵀ·x, input gradients g·W), alone: how much of a
 * step the products take, to set against `pnpm bench autoencoder` run just before or after.
 * Operands in ordinary memory (copied into WASM memory per product) and resident in an arena;
 * and the reference product 256x784 @ 784x256 alone, to tell how fast the machine is that hour.
 *
 *   pnpm bench step-products [--threads N]
 */
import * as T from '@latent/tensor'
import { Rng, setNumThreads } from '@latent/tensor'
import { args, printTable } from './harness.js'

const opts = args()
setNumThreads(Number(opts.get('threads') ?? 1))
const rng = new Rng(1)
// [m, n, k, transposeA, transposeB], in the order a step runs them
const PRODUCTS: [number, number, number, boolean, boolean][] = [
  [256, 256, 784, false, true], [256, 64, 256, false, true], [256, 256, 64, false, true],
  [256, 784, 256, false, true], [784, 256, 256, true, false], [256, 256, 784, false, false],
  [256, 64, 256, true, false], [256, 64, 256, false, false], [64, 256, 256, true, false],
  [256, 256, 64, false, false], [256, 784, 256, true, false],
]
const arena = new T.Arena(64 << 20)
const rows: string[][] = []
for (const resident of [false, true, false, true]) {
  const ops = PRODUCTS.map(([m, n, k, ta, tb]) => {
    const make = (s: number[]): T.Tensor => (resident ? arena.copy(rng.uniform(s)) : rng.uniform(s))
    const a = make(ta ? [k, m] : [m, k])
    const b = make(tb ? [n, k] : [k, n])
    const c = resident ? arena.zeros([m, n]) : T.zeros([m, n])
    return { run: () => T.matmul(a, b, { transposeA: ta, transposeB: tb, out: c }), flops: 2 * m * n * k }
  })
  const times: number[] = []
  for (let r = 0; r < 60; r++) {
    const t = performance.now()
    for (const o of ops) o.run()
    if (r >= 10) times.push(performance.now() - t) // 10 warm-up rounds
  }
  times.sort((x, y) => x - y)
  const median = times[times.length >> 1]
  const flops = ops.reduce((s, o) => s + o.flops, 0)
  rows.push([resident ? 'resident (arena)' : 'ordinary memory', median.toFixed(2), (flops / median / 1e6).toFixed(1)])
  arena.reset()
}
{
  const a = rng.uniform([256, 784])
  const b = rng.uniform([784, 256])
  const c = T.zeros([256, 256])
  const times: number[] = []
  for (let r = 0; r < 60; r++) {
    const t = performance.now()
    T.matmul(a, b, { out: c })
    if (r >= 10) times.push(performance.now() - t)
  }
  times.sort((x, y) => x - y)
  const median = times[times.length >> 1]
  rows.push(['256x784 @ 784x256 alone', median.toFixed(2), ((2 * 256 * 784 * 256) / median / 1e6).toFixed(1)])
}
console.log(`the 11 products of one step, ${T.getBackendInfo().kernel}, ${T.getBackendInfo().threads} thread(s); ` +
  'median of 50')
printTable(['operands', 'ms', 'GFLOP/s'], rows)

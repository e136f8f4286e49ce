/**
 * Elementwise work in ordinary memory (JavaScript loops) against tensors in an arena (the SIMD
 * kernels): an add and a sigmoid of 200,704 floats (256 x 784), a bias broadcast over a batch of
 * 256, the column sums of a 256 x 784 gradient and its total, and one Adam step over the parameters of the 784-256-64-256-784 autoencoder.
 * Median of 50 rounds after 10 warm-up rounds, in ns per float (per parameter for Adam).
 *
 *   pnpm bench elementwise
 */
import * as T from '@latent/tensor'
import { Arena, Rng, withArena } from '@latent/tensor'
import { Adam, Parameter } from '@latent/nn'
import { Value } from '@latent/autodiff'
import { printTable } from './harness.js'

T.setNumThreads(1)
const rng = new Rng(1)
const arena = new Arena(64 << 20)
// Outputs go to a second arena emptied after every round, as a training step's arena is: its
// pages stay warm (fresh WASM pages cost a page fault each on first touch).
const scratch = new Arena(16 << 20)

function nsPer(count: number, fn: () => void): number {
  const times: number[] = []
  for (let r = 0; r < 60; r++) {
    const t = performance.now()
    fn()
    if (r >= 10) times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return (times[times.length >> 1] * 1e6) / count
}

/** The same work on ordinary tensors and on arena copies (outputs made in the arena). */
function both(name: string, count: number, make: () => T.Tensor[], op: (...xs: T.Tensor[]) => void): string[] {
  const plain = make()
  const resident = plain.map((t) => arena.copy(t))
  const js = nsPer(count, () => op(...plain))
  const simd = nsPer(count, () => {
    withArena(scratch, () => op(...resident))
    scratch.reset()
  })
  arena.reset()
  return [name, js.toFixed(2), simd.toFixed(2), (js / simd).toFixed(1)]
}

const rows = [
  both('add, 256x784', 256 * 784, () => [rng.normal([256, 784]), rng.normal([256, 784])], (a, b) => void T.add(a, b)),
  both('sigmoid, 256x784', 256 * 784, () => [rng.normal([256, 784])], (a) => void T.sigmoid(a)),
  both('bias [256] over a batch of 256', 256 * 256, () => [rng.normal([256])], (b) => void T.broadcastTo(b, [256, 256])),
  both('column sums of 256x784 (bias gradient)', 256 * 784, () => [rng.normal([256, 784])], (g) => void T.sum(g, { axis: 0 })),
  both('sum of 256x784 (a loss)', 256 * 784, () => [rng.normal([256, 784])], (x) => void T.sum(x)),
]

// Adam: parameters of the autoencoder with a gradient each; resident = all in the arena.
const shapes = [[256, 784], [256], [64, 256], [64], [256, 64], [256], [784, 256], [784]]
const count = shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0)
const adam = (resident: boolean): number => {
  const params = shapes.map((s) => {
    const p = new Parameter(resident ? arena.copy(rng.normal(s)) : rng.normal(s))
    p.grad = new Value(resident ? arena.copy(rng.normal(s)) : rng.normal(s))
    return p
  })
  const opt = new Adam(params, { lr: 1e-3 })
  const step = (): void => (resident ? withArena(arena, () => opt.step()) : opt.step())
  const ns = nsPer(count, step)
  arena.reset()
  return ns
}
const adamJs = adam(false)
const adamSimd = adam(true)
rows.push([`Adam step, ${count} parameters`, adamJs.toFixed(2), adamSimd.toFixed(2), (adamJs / adamSimd).toFixed(1)])

console.log(`elementwise work, ns per float, median of 50 rounds (${T.getBackendInfo().kernel})`)
printTable(['work', 'ordinary memory (JS)', 'arena (SIMD)', 'ratio'], rows)

/**
 * Elementwise work in ordinary memory (JavaScript loops) against tensors in an arena (the SIMD
 * kernels): an add and a sigmoid of 200,704 floats (256 x 784), a bias broadcast over a batch of
 * 256, the column sums of a 256 x 784 gradient and its total, and one Adam step over the parameters
 * of the 784-256-64-256-784 autoencoder.
 * Median of 50 rounds after 10 warm-up rounds, in ns per float (per parameter for Adam).
 *
 * Then one thread against two, where long kernels are split between the threads: an add and a
 * sigmoid of 16k to 200k floats and the Adam step, each timed right after a 256x784 @ 784x256
 * product, as in a training step (its inputs have left the nearest caches by then). Medians of
 * 15 rounds that alternate the thread counts. Every size is split here (LATENT_SPLIT_QUADS=1,
 * set below), to show where splitting starts to pay: the measurement behind the default
 * threshold (WasmGemm.elementwiseParallelQuads, 8192 quads).
 *
 * Then the MSE loss of a 256x784 batch, forward and backward, fused (mseLoss) against composed
 * (mean(square(sub(x, y)))), on one thread, each right after a product, 15 alternating rounds.
 *
 * Last, what the split does for training on two threads: `fit` of the 784-256-64-256-784
 * autoencoder (batch 256, Adam, MSE) on 10,240 random rows, with the default threshold and with
 * no split, alternating over 10 rounds (the second epoch of each fit).
 *
 *   pnpm bench elementwise
 */
import * as T from '@latent/tensor'
import { Arena, Rng, withArena } from '@latent/tensor'
import { Adam, mseLoss, Parameter } from '@latent/nn'
import * as A from '@latent/autodiff'
import { Value } from '@latent/autodiff'
import { buildAutoencoder, fit } from '@latent/autoencoders'
import { median, printTable } from './harness.js'

// Split every kernel with a range, whatever its length (read when the backend starts, below).
process.env.LATENT_SPLIT_QUADS = '1'
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
  both('bias [256] over a batch of 256', 256 * 256, () => [rng.normal([256])],
    (b) => void T.broadcastTo(b, [256, 256])),
  both('column sums of 256x784 (bias gradient)', 256 * 784, () => [rng.normal([256, 784])],
    (g) => void T.sum(g, { axis: 0 })),
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

// One thread against two. Every call is timed right after a product, and the rounds alternate.
const sizes = [16384, 32768, 65536, 200704]
const inputs = sizes.map((n) => [arena.copy(rng.normal([n])), arena.copy(rng.normal([n]))])
const [pa, pb] = [arena.copy(rng.normal([256, 784])), arena.copy(rng.normal([784, 256]))]
const adamParams = shapes.map((s) => {
  const p = new Parameter(arena.copy(rng.normal(s)))
  p.grad = new Value(arena.copy(rng.normal(s)))
  return p
})
const adamOpt = new Adam(adamParams, { lr: 1e-3 })
const work: [string, number, () => void][] = [
  ...sizes.flatMap((n, i): [string, number, () => void][] => [
    [`add, ${n} floats`, n, () => void T.add(inputs[i][0], inputs[i][1])],
    [`sigmoid, ${n} floats`, n, () => void T.sigmoid(inputs[i][0])],
  ]),
  [`Adam step, ${count} parameters`, count, () => adamOpt.step()],
]
const afterProduct = (fn: () => void): number => {
  const times: number[] = []
  for (let r = 0; r < 12; r++) {
    withArena(scratch, () => T.matmul(pa, pb))
    const t = performance.now()
    withArena(scratch, fn)
    if (r >= 2) times.push(performance.now() - t)
    scratch.reset()
  }
  return median(times)
}
/** Uses `threads` threads, once their workers are ready (or after 5 s). */
const useThreads = (threads: number): void => {
  T.setNumThreads(threads)
  const sleeper = new Int32Array(new SharedArrayBuffer(4))
  for (let wait = 0; T.getBackendInfo().readyWorkers < threads - 1 && wait < 5000; wait++) {
    Atomics.wait(sleeper, 0, 0, 1)
  }
}
const perThreads: Record<number, number[][]> = { 1: work.map(() => []), 2: work.map(() => []) }
for (let round = 0; round < 15; round++) {
  for (const threads of [1, 2]) {
    useThreads(threads)
    work.forEach(([, , fn], i) => perThreads[threads][i].push(afterProduct(fn)))
  }
}
console.log('\none thread against two (long kernels split), µs per call right after a product, median of 15 rounds')
printTable(['work', '1 thread', '2 threads', 'speedup'], work.map(([name], i) => {
  const [one, two] = [median(perThreads[1][i]), median(perThreads[2][i])]
  return [name, (1000 * one).toFixed(1), (1000 * two).toFixed(1), (one / two).toFixed(2)]
}))

// The MSE loss, forward and backward, fused and composed, on one thread.
T.setNumThreads(1)
const [reconstruction, batch] = [arena.copy(rng.uniform([256, 784])), arena.copy(rng.uniform([256, 784]))]
const losses: [string, (x: Value) => Value][] = [
  ['fused: mseLoss(x, y)', (x) => mseLoss(x, batch)],
  ['composed: mean(square(sub(x, y)))', (x) => A.mean(A.square(A.sub(x, batch)))],
]
const lossTimes = losses.map((): number[] => [])
for (let round = 0; round < 15; round++) {
  losses.forEach(([, loss], i) =>
    lossTimes[i].push(afterProduct(() => A.backward(loss(new Value(reconstruction, { requiresGrad: true }))))))
}
console.log('\nthe MSE loss of 256x784, forward and backward, µs right after a product, median of 15 rounds, 1 thread')
printTable(['loss', 'µs'], losses.map(([name], i) => [name, (1000 * median(lossTimes[i])).toFixed(0)]))

// Training on two threads, with the default split and without any (a threshold no call reaches).
// The backend is rebuilt for each setting, since the threshold is read when it starts.
const rows2 = rng.uniform([256 * 40, 784])
const trainRates: Record<string, number[]> = { split: [], 'no split': [] }
for (let round = 0; round < 10; round++) {
  for (const [setting, quads] of [['split', ''], ['no split', String(2 ** 30)]]) {
    process.env.LATENT_SPLIT_QUADS = quads
    T.setBackend('auto')
    useThreads(2)
    const ae = buildAutoencoder({ sizes: [784, 256, 64], loss: 'mse', rng: new Rng(1) })
    const history = fit(ae, rows2, {
      epochs: 2, batchSize: 256, optimizer: new Adam(ae.namedParameters(), { lr: 1e-3 }), rng: new Rng(2),
    })
    trainRates[setting].push(rows2.shape[0] / history.epochs[1].seconds)
  }
}
console.log('\ntraining on 2 threads, samples/s (second epoch), median of 10 alternating rounds')
const [withSplit, without] = [median(trainRates.split), median(trainRates['no split'])]
const spread = (v: number[]): string => `${Math.min(...v).toFixed(0)}-${Math.max(...v).toFixed(0)}`
printTable(['elementwise kernels', 'samples/s', 'spread'], [
  ['split (default)', withSplit.toFixed(0), spread(trainRates.split)],
  ['on the calling thread', without.toFixed(0), spread(trainRates['no split'])],
])
console.log(`speedup ${(withSplit / without).toFixed(3)}`)

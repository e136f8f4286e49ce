/**
 * Autodiff costs, one thread:
 *  1. forward, and forward + backward, of each primitive on [256, 256] float32 inputs;
 *  2. the bookkeeping overhead of a training step: an MLP 784-256-64-256-784 (ReLU, sigmoid
 *     output, MSE) at batch 256, forward and backward through autodiff, against the very same
 *     tensor kernels called by hand in the same order (expand for the biases, sums for their
 *     gradients, and so on), so the difference is the graph and nothing else;
 *  3. the contractive penalty: a step of an autoencoder 784-128-32-128-784 at batch 64 with the
 *     exact penalty of its two-layer encoder (dense-stack path, and the general double-backward
 *     path), and of a one-layer 784-128 sigmoid encoder with the fused closed form, each against
 *     the same step without the penalty.
 *
 *   pnpm bench autodiff [--quick] [--only primitives|overhead|contractive]
 */
import * as T from '@latent/tensor'
import { Rng, setNumThreads, type Tensor } from '@latent/tensor'
import * as A from '@latent/autodiff'
import { Value } from '@latent/autodiff'
import { denseContractive, denseStackPenalty } from '@latent/autoencoders'
import { args, machine, measureRounds, printTable, writeJsonLines } from './harness.js'

setNumThreads(1)
const opts = args()
const quick = opts.has('quick')
const only = opts.get('only') // 'primitives' | 'overhead' | 'contractive'
const rounds = quick ? 2 : 5
const perRound = { maxTime: quick ? 0.1 : 0.3, minSamples: 5 }
const rng = new Rng(1)
const info = machine()
const records: object[] = []

// ---- 1. primitives
if (!only || only === 'primitives') {
  const n = 256
  const x = () => new Value(rng.normal([n, n]), { requiresGrad: true })
  const pos = () => new Value(rng.uniform([n, n], 0.5, 2), { requiresGrad: true })
  const cases: [string, () => Value[], (...v: Value[]) => Value][] = [
    ['neg', () => [x()], A.neg], ['exp', () => [x()], A.exp],
    ['log', () => [pos()], A.log], ['log1p', () => [pos()], A.log1p],
    ['sqrt', () => [pos()], A.sqrt], ['tanh', () => [x()], A.tanh],
    ['sigmoid', () => [x()], A.sigmoid], ['softplus', () => [x()], A.softplus],
    ['relu', () => [x()], A.relu], ['add', () => [x(), x()], A.add],
    ['sub', () => [x(), x()], A.sub], ['mul', () => [x(), x()], A.mul],
    ['div', () => [x(), pos()], A.div], ['pow', () => [pos(), x()], A.pow], ['maximum', () => [x(), x()], A.maximum],
    ['where', () => [x(), x()], (a, b) => A.where(T.greater(a.data, 0), a, b)],
    ['sum (axis 0)', () => [x()], (a) => A.sum(a, { axis: 0 })],
    ['max (axis 1)', () => [x()], (a) => A.max(a, { axis: 1 })],
    ['reshape', () => [x()], (a) => A.reshape(a, [n * n])], ['permute', () => [x()], (a) => A.transpose(a)],
    ['expand [256] to [256,256]', () => [new Value(rng.normal([n]), { requiresGrad: true })],
      (a) => A.expand(a, [n, n])],
    ['slice', () => [x()], (a) => A.slice(a, 1, 0, n / 2)],
    ['pad', () => [x()], (a) => A.pad(a, { axis: 1, before: 8, after: 8 })],
    ['concat', () => [x(), x()], (a, b) => A.concat([a, b], 1)],
    ['gather (256 rows)', () => [x()], (a) => A.gather(a, rng.permutation(n))],
    ['scatterAdd', () => [x()], (a) => A.scatterAdd(a, { indices: rng.permutation(n), axis: 0, size: n })],
    ['matmul 256³', () => [x(), x()], (a, b) => A.matmul(a, b)],
    ['contractiveDense (sigmoid)', () => [x(), x()],
      (z, w) => denseContractive(z, w, 'sigmoid', { reduction: 'none' })],
  ]
  const rows: string[][] = []
  for (const [name, make, f] of cases) {
    const inputs = make()
    const probe = f(...inputs)
    const seed = T.ones(probe.shape)
    const m = measureRounds({
      forward: () => A.noGrad(() => f(...inputs)),
      'forward + backward': () => A.gradients([f(...inputs)], inputs, { seeds: [seed] }),
    }, rounds, perRound)
    rows.push([name, (m.forward.median * 1e6).toFixed(1), (m['forward + backward'].median * 1e6).toFixed(1)])
    records.push({
      bench: 'autodiff-primitive', primitive: name, forwardUs: m.forward.median * 1e6,
      forwardBackwardUs: m['forward + backward'].median * 1e6, ...info,
    })
  }
  console.log('1. Primitives on [256, 256] float32 (µs, median):')
  printTable(['primitive', 'forward', 'forward + backward'], rows)
}

const dense = (fanIn: number, fanOut: number): [Tensor, Tensor] =>
  [rng.normal([fanOut, fanIn], 0, Math.sqrt(2 / fanIn)), rng.normal([fanOut], 0, 0.01)]
// ---- 2. bookkeeping overhead of an MLP step
if (!only || only === 'overhead') {
  const batch = 256
  const sizes = [784, 256, 64, 256, 784]
  const params = sizes.slice(1).map((s, i) => dense(sizes[i], s))
  const x = rng.uniform([batch, 784])
  const leaves = params.flat().map((t) => new Value(t, { requiresGrad: true }))

  const viaAutodiff = (): void => {
    let h: Value = new Value(x)
    for (let l = 0; l < 4; l++) {
      const z = A.add(A.matmul(h, leaves[2 * l], { transposeB: true }), leaves[2 * l + 1])
      h = l === 3 ? A.sigmoid(z) : A.relu(z)
    }
    A.backward(A.mean(A.square(A.sub(h, x))))
    for (const p of leaves) p.zeroGrad()
  }

  // The same kernels, by hand, in the order autodiff runs them.
  const byHand = (): void => {
    const hs: Tensor[] = [x]
    const zs: Tensor[] = []
    for (let l = 0; l < 4; l++) {
      const [w, b] = params[l]
      const prod = T.matmul(hs[l], w, { transposeB: true })
      const z = T.add(prod, T.broadcastTo(b, prod.shape)) // autodiff expands a bias that needs a gradient
      zs.push(z)
      hs.push(l === 3 ? T.sigmoid(z) : T.relu(z))
    }
    const y = hs[4]
    const diff = T.sub(y, x)
    const sq = T.mul(diff, diff)
    const total = T.sum(sq)
    T.div(total, sq.size)
    // backward of mean(square(diff)): div, sum (reshape + expand), mul (two uses, added)
    const gTotal = T.div(T.ones([]), sq.size)
    const gSq = T.broadcastTo(T.reshape(gTotal, [1, 1]), sq.shape)
    let g = T.add(T.mul(gSq, diff), T.mul(gSq, diff))
    // sigmoid'(z) = y(1 - y), then the layers in reverse
    g = T.mul(g, T.mul(y, T.sub(1, y)))
    for (let l = 3; l >= 0; l--) {
      const [w] = params[l]
      T.sum(g, { axis: 0, keepdims: true }) // bias gradient (expand's VJP), then reshape
      T.matmul(g, hs[l], { transposeA: true }) // dW
      if (l > 0) {
        const gh = T.matmul(g, w) // dX
        g = T.mul(gh, T.greater(zs[l - 1], 0)) // relu'
      }
    }
  }
  // Steps allocate tens of megabytes, so garbage collection adds noise: more rounds here.
  const m = measureRounds({ autodiff: viaAutodiff, 'by hand': byHand }, 3 * rounds, perRound)
  const overhead = (m.autodiff.median - m['by hand'].median) / m.autodiff.median
  console.log('\n2. MLP 784-256-64-256-784, batch 256, forward + backward (ms, median):')
  printTable(['autodiff', 'same kernels by hand', 'bookkeeping overhead'], [[
    (m.autodiff.median * 1e3).toFixed(2), (m['by hand'].median * 1e3).toFixed(2), `${(overhead * 100).toFixed(1)}%`,
  ]])
  records.push({
    bench: 'autodiff-overhead', autodiffMs: m.autodiff.median * 1e3, byHandMs: m['by hand'].median * 1e3,
    overhead, ...info,
  })
}

// ---- 3. contractive penalty
if (!only || only === 'contractive') {
  const batch = 64
  const x = rng.uniform([batch, 784])
  const rows: string[][] = []
  for (const activation of ['relu', 'sigmoid'] as const) {
    const act = activation === 'relu' ? A.relu : A.sigmoid
    const layers = [[784, 128], [128, 32], [32, 128], [128, 784]]
      .map(([i, o]) => dense(i, o).map((t) => new Value(t, { requiresGrad: true })))
    const encoderLayers = layers.slice(0, 2).map(([weight, bias]) => ({ weight, bias, activation: act }))
    const decode = (h: Value): Value => {
      const z = A.add(A.matmul(h, layers[2][0], { transposeB: true }), layers[2][1])
      return A.sigmoid(A.add(A.matmul(act(z), layers[3][0], { transposeB: true }), layers[3][1]))
    }
    const encode = (v: Value): Value => encoderLayers.reduce((h, l) =>
      l.activation(A.add(A.matmul(h, l.weight, { transposeB: true }), l.bias)), v)
    const step = (penalty: 'none' | 'stack' | 'general') => (): void => {
      let h: Value
      let p: Value | undefined
      if (penalty === 'stack') ({ output: h, penalty: p } = denseStackPenalty(x, encoderLayers))
      else if (penalty === 'general') ({ output: h, penalty: p } = A.jacobianPenalty(encode, x))
      else h = encode(new Value(x))
      const recon = A.mean(A.square(A.sub(decode(h), x)))
      A.backward(p ? A.add(recon, A.mul(p, 0.1)) : recon)
      for (const l of layers) for (const v of l) v.zeroGrad()
    }
    const m = measureRounds({ plain: step('none'), stack: step('stack'), general: step('general') }, rounds,
      { ...perRound, minSamples: 3 })
    const r = (k: 'stack' | 'general'): string => `${(m[k].median / m.plain.median).toFixed(2)}x`
    rows.push([`784-128-32 ${activation}, exact (dense-stack path)`,
      (m.plain.median * 1e3).toFixed(2), (m.stack.median * 1e3).toFixed(2), r('stack')])
    rows.push([`784-128-32 ${activation}, exact (double backward, any encoder)`,
      (m.plain.median * 1e3).toFixed(2), (m.general.median * 1e3).toFixed(2), r('general')])
    records.push({
      bench: 'contractive', encoder: `784-128-32 ${activation}`, plainMs: m.plain.median * 1e3,
      stackMs: m.stack.median * 1e3, generalMs: m.general.median * 1e3, ...info,
    })
  }
  // one sigmoid layer, closed form
  const [w, b] = dense(784, 128).map((t) => new Value(t, { requiresGrad: true }))
  const [w2, b2] = dense(128, 784).map((t) => new Value(t, { requiresGrad: true }))
  const step = (withPenalty: boolean) => (): void => {
    const z = A.add(A.matmul(new Value(x), w, { transposeB: true }), b)
    const y = A.sigmoid(A.add(A.matmul(A.sigmoid(z), w2, { transposeB: true }), b2))
    const recon = A.mean(A.square(A.sub(y, x)))
    A.backward(withPenalty ? A.add(recon, A.mul(denseContractive(z, w, 'sigmoid'), 0.1)) : recon)
    for (const v of [w, b, w2, b2]) v.zeroGrad()
  }
  const m = measureRounds({ plain: step(false), closed: step(true) }, rounds, perRound)
  rows.push(['784-128 sigmoid, closed form (fused op)', (m.plain.median * 1e3).toFixed(2),
    (m.closed.median * 1e3).toFixed(2), `${(m.closed.median / m.plain.median).toFixed(2)}x`])
  records.push({
    bench: 'contractive', encoder: '784-128 sigmoid closed form', plainMs: m.plain.median * 1e3,
    closedMs: m.closed.median * 1e3, ...info,
  })
  console.log('\n3. Contractive penalty, autoencoder step at batch 64 (ms, median):')
  printTable(['encoder and penalty', 'plain step', 'step with penalty', 'ratio'], rows)
}
writeJsonLines('results/autodiff.jsonl', records)

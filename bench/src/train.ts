/**
 * Training throughput, samples per second: the autoencoder-shaped MLP 784-256-64-256-784 (ReLU,
 * sigmoid output, MSE, Adam 1e-3, batch 256) on random data, a full step each time (forward,
 * backward, update). Ours on one and two threads, and tfjs-layers (trainOnBatch) on its WASM and
 * CPU backends, in the same run.
 *
 *   pnpm bench train [--quick] [--steps N]
 */
import * as A from '@latent/autodiff'
import { getBackendInfo, Rng, setNumThreads, Tensor } from '@latent/tensor'
import { Adam, Dense, mseLoss, ReLU, Sequential, Sigmoid } from '@latent/nn'
import { args, machine, printTable, writeJsonLines } from './harness.js'
import { loadTf } from './tfjs.js'

const opts = args()
const quick = opts.has('quick')
const steps = Number(opts.get('steps') ?? (quick ? 10 : 40))
const rounds = quick ? 2 : 5
const batch = 256
const sizes = [784, 256, 64, 256, 784]
const rng = new Rng(1)
const data = rng.uniform([batch * 8, 784])
const info = machine()

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** samples/s of `steps` calls of `step(i)`, median over rounds, after a warm-up round. */
async function throughput(
  step: (i: number) => void | Promise<void>,
): Promise<{ median: number; min: number; max: number }> {
  const rates: number[] = []
  for (let r = 0; r <= rounds; r++) {
    const t = performance.now()
    for (let i = 0; i < steps; i++) await step(i)
    const rate = (steps * batch) / ((performance.now() - t) / 1000)
    if (r > 0) rates.push(rate) // round 0 warms up
  }
  return { median: median(rates), min: Math.min(...rates), max: Math.max(...rates) }
}

const rows: string[][] = []
const records: object[] = []

for (const threads of [1, 2]) {
  setNumThreads(threads)
  await new Promise((r) => setTimeout(r, 300))
  const layers = sizes.slice(1)
    .flatMap((s, i) => [new Dense(sizes[i], s, { rng }), i === 3 ? new Sigmoid() : new ReLU()])
  const model = new Sequential(...layers)
  const opt = new Adam(model.namedParameters(), { lr: 1e-3 })
  const batches = Array.from({ length: 8 }, (_, b) =>
    new A.Value(new Tensor(data.data.subarray(b * batch * 784, (b + 1) * batch * 784), [batch, 784])))
  const m = await throughput((i) => {
    const x = batches[i % 8]
    opt.zeroGrad()
    A.backward(mseLoss(model.forward(x), x))
    opt.step()
  })
  const name = `latent, ${threads} thread${threads > 1 ? 's' : ''} (${getBackendInfo().kernel})`
  rows.push([name, m.median.toFixed(0), `${m.min.toFixed(0)}-${m.max.toFixed(0)}`])
  records.push({ bench: 'train', framework: 'latent', threads, samplesPerSecond: m.median, ...info })
}

for (const backend of ['wasm', 'cpu'] as const) {
  const tf = await loadTf(backend)
  const layersMod = await import('@tensorflow/tfjs-layers')
  const model = layersMod.sequential()
  sizes.slice(1).forEach((s, i) => model.add(layersMod.layers.dense({
    units: s, inputShape: i === 0 ? [784] : undefined, activation: i === 3 ? 'sigmoid' : 'relu',
  })))
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' })
  const xs = Array.from({ length: 8 }, (_, b) =>
    tf.tensor2d(data.data.subarray(b * batch * 784, (b + 1) * batch * 784) as Float32Array, [batch, 784]))
  const m = await throughput(async (i) => {
    await model.trainOnBatch(xs[i % 8], xs[i % 8])
  })
  rows.push([`tfjs-layers 4.22, ${backend} backend`, m.median.toFixed(0), `${m.min.toFixed(0)}-${m.max.toFixed(0)}`])
  records.push({ bench: 'train', framework: `tfjs-layers-${backend}`, threads: 1, samplesPerSecond: m.median, ...info })
  for (const x of xs) x.dispose()
}
console.log(`MLP 784-256-64-256-784, batch ${batch}, Adam, MSE: samples/s, ` +
  `median of ${rounds} rounds of ${steps} steps`)
printTable(['trainer', 'samples/s', 'spread'], rows)
writeJsonLines('results/train.jsonl', records)

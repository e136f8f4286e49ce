/**
 * Where a training step's time goes: V8's sampling CPU profile (through node:inspector) of `fit`
 * on the 784-256-64-256-784 autoencoder (ReLU, sigmoid output, MSE, Adam 1e-3, batch 256) over
 * random data, after a warm-up epoch. Self time per step, grouped, then the top functions. The
 * WASM functions carry their names (the emitter writes a name section).
 *
 * The profile is the calling thread's: with two threads, the worker's share of the products does
 * not appear, and the calling thread's waits for it show as `waitUntil`, `runTasks` and `now`.
 * It runs on the built packages (as a project importing them would), so that the profile shows
 * the library's code rather than the source transpiler's helpers: build first.
 *
 * With --model conv, the convolutional autoencoder of the conv bench (batch 128, BCE) instead.
 *
 *   pnpm build && pnpm bench profile [--model dense|conv] [--threads N] [--batches N] [--top N]
 */
import { Session } from 'node:inspector/promises'
import { getBackendInfo, Rng, setNumThreads } from '@latent/tensor'
import { Adam } from '@latent/nn'
import { buildAutoencoder, buildConvAutoencoder, fit } from '@latent/autoencoders'
import { args, printTable } from './harness.js'

const opts = args()
const threads = Number(opts.get('threads') ?? 1)
const batches = Number(opts.get('batches') ?? 100)
const top = Number(opts.get('top') ?? 25)

interface ProfileNode {
  id: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

setNumThreads(threads)
const conv = opts.get('model') === 'conv'
const batchSize = conv ? 128 : 256
const x = new Rng(1).uniform([batchSize * batches, 784])
const model = conv
  ? buildConvAutoencoder({ image: [1, 28, 28], channels: [16, 32], dense: [32], loss: 'bce', rng: new Rng(2) })
  : buildAutoencoder({ sizes: [784, 256, 64], loss: 'mse', rng: new Rng(2) })
const optimizer = new Adam(model.namedParameters(), { lr: 1e-3 })
fit(model, x, { epochs: 1, batchSize, optimizer, rng: new Rng(3) }) // warm-up: compiled code, arenas

const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.setSamplingInterval', { interval: 100 }) // µs
await session.post('Profiler.start')
const history = fit(model, x, { epochs: 1, batchSize, optimizer, rng: new Rng(4) })
const { profile } = (await session.post('Profiler.stop')) as { profile: Profile }
session.disconnect()

/** The group a function's time counts to, from its name and script. */
function group(fn: string, url: string): string {
  if (url.startsWith('wasm://')) {
    if (fn.startsWith('tile_')) return 'products: the tile loop (WASM)'
    if (fn.startsWith('pack_')) return 'products: packing (WASM)'
    if (fn.startsWith('gemm')) return 'products: panel loops (WASM)'
    if (fn === 'im2col' || fn === 'col2im') return 'convolution windows: im2col, col2im (WASM)'
    return 'elementwise kernels (WASM SIMD)'
  }
  if (/kernels\/(wasm\/|gemm)/.test(url)) return 'products and pool: driver and waits (JS)'
  if (url === '') {
    return fn === 'now' ? 'products and pool: driver and waits (JS)' : 'V8: garbage collector, builtins, idle'
  }
  return 'JavaScript: graph, ops, optimizer, batches'
}

// Self time of every function (all its nodes), in µs, and of every group. Time under the
// inspector's own calls (stopping the profiler) is left out.
const byNode = new Map<number, number>()
profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const parent = new Map<number, ProfileNode>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node)
const underInspector = (node: ProfileNode): boolean => {
  for (let n: ProfileNode | undefined = node; n; n = parent.get(n.id)) {
    if (n.callFrame.url.includes('inspector')) return true
  }
  return false
}
const self = new Map<string, number>()
const groups = new Map<string, number>()
for (const node of profile.nodes) {
  if (underInspector(node)) continue
  const { functionName, url } = node.callFrame
  const fn = functionName || '(anonymous)'
  const key = `${fn} (${url.startsWith('wasm://') ? 'wasm' : url.split('/').slice(-2).join('/') || 'V8'})`
  const us = byNode.get(node.id) ?? 0
  self.set(key, (self.get(key) ?? 0) + us)
  groups.set(group(fn, url), (groups.get(group(fn, url)) ?? 0) + us)
}

const steps = batches
const total = [...self.values()].reduce((a, b) => a + b, 0)
const ms = (us: number): string => (us / 1000 / steps).toFixed(3)
const pct = (us: number): string => ((100 * us) / total).toFixed(1)

const info = getBackendInfo()
console.log(`one training step, ${(total / 1000 / steps).toFixed(2)} ms of profiled time ` +
  `(${(x.shape[0] / history.epochs[0].seconds).toFixed(0)} samples/s), ` +
  `${info.kernel}, ${info.threads} thread(s), ${batches} batches`)
printTable(['where', 'ms per step', '%'],
  [...groups].sort((a, b) => b[1] - a[1]).map(([g, us]) => [g, ms(us), pct(us)]))
console.log(`\nthe ${top} functions with the most self time`)
printTable(['function', 'ms per step', '%'],
  [...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => [k, ms(us), pct(us)]))
process.exit(0)

// @ts-check
/**
 * The training worker of the page `latent serve` serves. It loads the data from the server,
 * trains the autoencoder the page asks for and sends back progress, the numbers behind each
 * picture (the page draws them), and at the end the checkpoint. Training never runs on the
 * page's thread; the kernels' own workers (threads over shared WASM memory) start from here.
 *
 * A run is the one `latent train` makes with the same options (src/cli/experiment/run.ts): validation
 * rows from the same fixed permutation, weights from the spec's seed, shuffling from seed + 1. So
 * its losses equal the command line's and Node's `fit`'s (scripts/browser-serve.mjs checks it),
 * and the checkpoint is a run checkpoint that every `latent` command reads (`--resume` too).
 *
 * Module workers do not read the page's import map: the server rewrites the bare '@latent/...'
 * names below, and those in the packages, to the URLs the import map gives.
 */
import * as T from '@latent/tensor'
import { Adam, serializeCheckpoint } from '@latent/nn'
import {
  AnomalyDetector, auroc, buildModel, defaultSpec, fitAsync, latent2d, tsne, umap, VariationalAutoencoder,
} from '@latent/autoencoders'

/** @typedef {import('@latent/autoencoders').Autoencoder} Autoencoder */
/** @typedef {{ x: T.Tensor, labels: Int32Array }} Split */

/**
 * The 2-D views of the codes that the page offers (its "latent view" menu), by name, each drawn
 * after every epoch. t-SNE and UMAP of 1,500 codes take a few seconds of the worker per epoch.
 * @type {Record<string, { label: string, map: (model: Autoencoder, x: T.Tensor) => T.Tensor }>}
 */
const VIEWS = {
  linear: { label: 'linear (2 principal components of the codes)', map: (model, x) => latent2d(model, x) },
  tsne: { label: 't-SNE of the codes', map: (model, x) => tsne(model.encode(x), { seed: 0 }).embedding },
  umap: { label: 'UMAP of the codes', map: (model, x) => umap(model.encode(x), { seed: 0 }).embedding },
}

/** At most this many test images in the latent view, and rows scored for the anomaly histogram. */
const LATENT_ROWS = 1500
const SCORED_ROWS = 5000

const post = (/** @type {any} */ message, /** @type {Transferable[]} */ transfer = []) =>
  /** @type {any} */ (self).postMessage(message, transfer)
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** The rows of a split whose label is not `holdout`, in order (as loadSplits leaves them). */
function without(/** @type {Split} */ split, /** @type {number | null} */ holdout) {
  if (holdout === null) return split
  const keep = Int32Array.from([...split.labels.keys()].filter((i) => split.labels[i] !== holdout))
  return { x: T.gather(split.x, keep), labels: Int32Array.from(keep, (i) => split.labels[i]) }
}

/** The first `n` rows of a split. */
function first(/** @type {Split} */ split, /** @type {number} */ n) {
  const rows = Math.min(n, split.x.shape[0])
  return { x: T.slice(split.x, 0, 0, rows), labels: split.labels.subarray(0, rows) }
}

/** A tensor as plain numbers for the page (a copy: a tensor may live in shared WASM memory). */
const plain = (/** @type {T.Tensor} */ t) => ({ data: Float32Array.from(t.data), shape: [...t.shape] })

/** The data, as /data.json describes and /data.bin holds it (web-server.ts). */
async function loadData() {
  const meta = await (await fetch('/data.json')).json()
  const bytes = await (await fetch('/data.bin')).arrayBuffer()
  const { rows, features } = meta
  const n = rows.train + rows.test
  if (bytes.byteLength !== n * (features + 1) * 4) {
    throw new Error(`/data.bin has ${bytes.byteLength} bytes, expected ${n * (features + 1) * 4}`)
  }
  const pixels = new Float32Array(bytes, 0, n * features)
  const labels = new Int32Array(bytes, pixels.byteLength, n)
  const split = (/** @type {number} */ from, /** @type {number} */ count) => ({
    x: new T.Tensor(pixels.slice(from * features, (from + count) * features), [count, features]),
    labels: labels.slice(from, from + count),
  })
  return { meta, train: split(0, rows.train), test: split(rows.train, rows.test) }
}

/**
 * The numbers behind the pictures of the model as it is. Drawing must not change the run: the
 * model's generators (a VAE's samples draw from the ε generator) are put back as they were.
 */
function pictures(/** @type {Autoencoder} */ model, /** @type {any} */ run) {
  const generators = Object.values(model.generators())
  const states = generators.map((g) => g.getState())
  try {
    const shown = first(run.normalTest, 12)
    const latent = first(run.test, LATENT_ROWS)
    const scored = first(run.test, SCORED_ROWS)
    const detector = new AnomalyDetector(model).fit(first(run.train, SCORED_ROWS).x, { quantile: 0.95 })
    const scores = detector.scores(scored.x)
    const labels = run.holdout === null ? undefined : Uint8Array.from(scored.labels, (l) => (l === run.holdout ? 1 : 0))
    /** @type {Record<string, any>} */
    const out = {
      originals: plain(shown.x),
      reconstructions: plain(model.reconstruct(shown.x)),
      latent: {
        points: plain(VIEWS[run.view].map(model, latent.x)), labels: latent.labels, view: VIEWS[run.view].label,
      },
      anomaly: {
        scores, labels, threshold: detector.threshold, auroc: labels?.includes(1) ? auroc(scores, labels) : undefined,
      },
    }
    if (model instanceof VariationalAutoencoder) {
      out.samples = plain(model.sample(24))
      out.interpolation = plain(model.interpolate(T.slice(shown.x, 0, 0, 1), T.slice(shown.x, 0, 1, 2), 10))
    }
    return out
  } finally {
    generators.forEach((g, i) => g.setState(states[i]))
  }
}

/** Set by the Stop button: training stops after the current batch. */
let signal = { aborted: false }

/** Trains the model the page's form describes, posting progress, pictures and the checkpoint. */
async function train(/** @type {any} */ data, /** @type {any} */ options) {
  const { meta } = data
  const started = performance.now()
  const holdout = options.holdout
  const run = {
    train: without(data.train, holdout), test: data.test, normalTest: without(data.test, holdout), holdout,
    view: options.view in VIEWS ? options.view : 'linear',
  }
  const spec = { ...defaultSpec(options.variant, options.sizes), seed: options.seed }
  if (spec.sizes[0] !== meta.features) {
    throw new Error(`the first size must be the data's width, ${meta.features} (got ${spec.sizes[0]})`)
  }
  const model = buildModel(spec)
  const optimizer = new Adam(model.namedParameters(), { lr: options.lr })
  const n = run.train.x.shape[0]
  const nVal = Math.floor(n * meta.defaults.validation)
  const order = new T.Rng(2).permutation(n)
  const xTrain = nVal > 0 ? T.gather(run.train.x, order.subarray(nVal)) : run.train.x
  const xVal = nVal > 0 ? T.gather(run.train.x, order.subarray(0, nVal)) : undefined
  const shuffle = new T.Rng(spec.seed + 1)
  const config = {
    spec, data: { ...meta.source, ...(holdout === null ? {} : { holdout }) }, epochs: options.epochs,
    batchSize: options.batchSize, optimizer: 'adam', lr: options.lr, validation: meta.defaults.validation,
  }
  post({ type: 'start', spec, rows: { train: n - nVal, validation: nVal }, backend: T.getBackendInfo() })

  /** @type {import('@latent/autoencoders').EpochRecord[]} */
  const history = []
  /** @type {Uint8Array | undefined} */
  let checkpoint
  /** @type {[number, number][]} */
  let points = []
  let last = 0
  let samples = 0
  const result = await fitAsync(model, xTrain, {
    epochs: options.epochs, batchSize: options.batchSize, optimizer, rng: shuffle, validation: xVal, signal,
    callbacks: {
      onBatchEnd: (b) => {
        samples += b.samples
        points.push([b.epoch - 1 + b.batch / b.batches, b.parts.total])
        if (performance.now() - last < 100 && b.batch < b.batches) return
        last = performance.now()
        const rate = samples / ((last - started) / 1000)
        const { epoch, batch, batches } = b
        post({ type: 'progress', epoch, batch, batches, points, loss: b.parts.total, rate })
        points = []
      },
      onEpochEnd: (record) => {
        // As `latent train`: weights that overflowed while the loss stayed finite are never kept.
        const bad = model.namedParameters().find(([, p]) => !p.data.data.every(Number.isFinite))
        if (bad) throw new Error(`training diverged: weight '${bad[0]}' is not finite; try a lower learning rate`)
        history.push(record)
        const generators = Object.fromEntries(Object.entries(model.generators()).map(([k, g]) => [k, g.getState()]))
        const latent = {
          format: 1, config, epoch: record.epoch, history, rng: { shuffle: shuffle.getState(), model: generators },
        }
        checkpoint = serializeCheckpoint(model, { optimizer, metadata: { latent: JSON.stringify(latent) } })
        post({ type: 'epoch', record, pictures: pictures(model, run) })
      },
    },
  })
  const bytes = checkpoint?.slice().buffer
  const where = result.diverged
  const diverged = where && `the loss was ${where.total} at epoch ${where.epoch}, batch ${where.batch}`
  const done = {
    type: 'done', stopped: result.stopped, diverged, history, seconds: (performance.now() - started) / 1000,
    checkpoint: bytes, backend: T.getBackendInfo(),
  }
  post(done, bytes ? [bytes] : [])
}

/** Starts the kernels' workers and waits (up to 5 s) until they are ready: the page shows what training gets. */
async function backend() {
  const starting = () => T.getBackendInfo().readyWorkers < T.getBackendInfo().threads - 1
  for (let waited = 0; waited < 5000 && starting() && !T.getBackendInfo().threadError; waited += 20) await sleep(20)
  return T.getBackendInfo()
}

const ready = loadData()
let running = false
self.onmessage = async (/** @type {MessageEvent} */ e) => {
  if (e.data.type === 'stop') signal.aborted = true
  if (e.data.type !== 'train' || running) return
  running = true
  signal = { aborted: false }
  try {
    await train(await ready, e.data.options)
  } catch (error) {
    post({ type: 'error', message: String(/** @type {Error} */ (error)?.message ?? error) })
  } finally {
    running = false
  }
}
try {
  const views = Object.fromEntries(Object.entries(VIEWS).map(([name, v]) => [name, v.label]))
  await ready
  post({ type: 'ready', backend: await backend(), isolated: self.crossOriginIsolated, views })
} catch (error) {
  const message = String(/** @type {Error} */ (error)?.message ?? error)
  post({ type: 'error', message: `the worker could not start: ${message}` })
}

// @ts-check
/**
 * The page of `latent serve`: a form for the model, a worker that trains it (worker.js), and the
 * pictures, drawn here by the project's own SVG functions (@latent/autoencoders, through the
 * import map) from the numbers the worker sends after every epoch.
 *
 * With ?auto=1 it trains at once, taking the form's fields from the address (variant, sizes, lr,
 * epochs, batch, seed, holdout: a class number or 'none', view); `window.latentRun` is then a
 * promise of the run's summary (scripts/browser-serve.mjs reads it through the DevTools protocol).
 */
import { histogram, imageGrid, lineChart, scatter, VARIANTS } from '@latent/autoencoders'

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id))
const form = /** @type {HTMLFormElement} */ ($('form'))
const field = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name))
const trainButton = /** @type {HTMLButtonElement} */ ($('train'))
const stopButton = /** @type {HTMLButtonElement} */ ($('stop'))
const download = /** @type {HTMLAnchorElement} */ ($('download'))
const bar = /** @type {HTMLProgressElement} */ ($('bar'))
const params = new URLSearchParams(location.search)

/** Loss parts' colours, as the command line's loss pictures have them. */
const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f']

/** The current run, as the worker reports it. */
let run = {
  /** @type {any} */ meta: undefined,
  /** @type {any} */ spec: undefined,
  epochs: 0,
  /** @type {[number, number][]} */ batches: [],
  /** @type {any[]} */ history: [],
}
/** @type {(summary: any) => void} */
let finish = () => {}

function status(/** @type {string} */ text, error = false) {
  $('status').textContent = text
  $('status').classList.toggle('error', error)
}

/** Puts an SVG document (a string from the plot functions) into a panel. */
function draw(/** @type {string} */ id, /** @type {string | undefined} */ svg) {
  $(id).innerHTML = svg === undefined ? '' : svg.replace(/^<\?xml[^>]*>\s*/, '')
}

/** The loss curves: every batch's total (grey), and each part per epoch (solid: training, dashed: validation). */
function drawLoss() {
  const { history, batches } = run
  /** @type {import('@latent/autoencoders').Series[]} */
  const series = batches.length ? [{ name: 'total, each batch', points: batches, color: '#bab0ac' }] : []
  /** Each epoch's figure of a part, of the training or the validation set. */
  const perEpoch = (/** @type {string} */ set, /** @type {string} */ part) =>
    history.map((e) => /** @type {[number, number]} */ ([e.epoch, e[set][part]]))
  for (const [i, name] of Object.keys(history[0]?.train ?? {}).entries()) {
    const colour = COLOURS[i % COLOURS.length]
    series.push({ name: `${name} (train)`, points: perEpoch('train', name), color: colour })
    if (history[0].validation) {
      series.push({ name: `${name} (validation)`, points: perEpoch('validation', name), color: colour, dashed: true })
    }
  }
  if (series.length === 0) return
  const logY = series.every((s) => s.points.every(([, v]) => v > 0))
  draw('loss', lineChart(series, { title: `${run.spec.variant}: loss`, xLabel: 'epoch', yLabel: 'loss', logY }))
}

let lossQueued = false
/** Redraws the loss curves at most once a frame. */
function queueLoss() {
  if (lossQueued) return
  lossQueued = true
  requestAnimationFrame(() => {
    lossQueued = false
    drawLoss()
  })
}

/**
 * Rows `from` to `to` of a matrix.
 * @param {{ data: Float32Array, shape: number[] }} m
 * @param {number} from
 * @param {number} to
 */
const rows = (m, from, to) => {
  const width = m.shape[1]
  return { data: m.data.subarray(from * width, to * width), shape: [to - from, width] }
}

/** The pictures of one epoch, from the worker's numbers. */
function drawPictures(/** @type {any} */ p, /** @type {number} */ epoch) {
  const { image, classes } = run.meta
  const name = `${run.spec.variant}, epoch ${epoch}`
  draw('reconstructions', imageGrid([
    { label: 'original', images: p.originals }, { label: 'reconstruction', images: p.reconstructions },
  ], image, { title: `${name}: test images (top) and reconstructions` }))
  draw('latent', scatter(p.latent.points, p.latent.labels, { title: `${name}: codes of test images, ${p.latent.view}`,
    classes }))
  const auroc = p.anomaly.auroc === undefined ? '' : `, AUROC ${p.anomaly.auroc.toFixed(3)}`
  draw('anomaly', histogram(p.anomaly.scores, {
    title: `${name}: reconstruction error of test images${auroc}`, threshold: p.anomaly.threshold,
    labels: p.anomaly.labels, xLabel: 'mean squared error (threshold: 95% of training images below)',
  }))
  draw('samples', p.samples && imageGrid([
    { label: 'samples', images: rows(p.samples, 0, 12) }, { label: '', images: rows(p.samples, 12, 24) },
  ], image, { title: `${name}: samples from the prior` }))
  draw('interpolation', p.interpolation && imageGrid([{ label: 'interpolation', images: p.interpolation }], image,
    { title: `${name}: decoded codes on the line between two test images` }))
}

/** What the worker says. */
function onMessage(/** @type {MessageEvent} */ e) {
  const m = e.data
  if (m.type === 'ready') {
    const b = m.backend
    const plural = (/** @type {number} */ n, /** @type {string} */ what) => `${n} ${what}${n === 1 ? '' : 's'}`
    const threads = `${plural(b.threads, 'thread')} (${plural(b.readyWorkers, 'worker')} ready)`
    $('backend').textContent = `training worker: kernel ${b.kernel}, ${threads}, ` +
      `relaxed SIMD ${b.relaxedSimd ? 'yes' : 'no'}, ` +
      (m.isolated ? 'cross-origin isolated (shared memory)' : 'not cross-origin isolated: one thread') +
      (b.threadError ? `; the worker pool failed: ${b.threadError}` : '')
    $('backend').className = m.isolated ? 'isolated' : 'plain'
    for (const [name, label] of Object.entries(m.views)) field('view').append(new Option(label, name))
    if (params.has('view')) field('view').value = /** @type {string} */ (params.get('view'))
    trainButton.disabled = false
    if (params.get('auto') === '1') form.requestSubmit()
  } else if (m.type === 'start') {
    run = { ...run, spec: m.spec, batches: [], history: [] }
    download.hidden = true
    for (const id of ['loss', 'reconstructions', 'latent', 'anomaly', 'samples', 'interpolation']) draw(id, undefined)
    status(`training ${m.spec.variant} ${m.spec.sizes.join('-')} on ${m.rows.train} images ` +
      `(${m.rows.validation} for validation)…`)
  } else if (m.type === 'progress') {
    run.batches.push(...m.points)
    bar.value = (m.epoch - 1 + m.batch / m.batches) / run.epochs
    status(`epoch ${m.epoch} of ${run.epochs}, batch ${m.batch} of ${m.batches}: loss ${m.loss.toPrecision(4)}, ` +
      `${Math.round(m.rate)} images/s`)
    queueLoss()
  } else if (m.type === 'epoch') {
    run.history.push(m.record)
    drawPictures(m.pictures, m.record.epoch)
    queueLoss()
  } else if (m.type === 'done') {
    const last = m.history.at(-1)
    const how = m.stopped === 'completed' ? 'done' : m.stopped === 'diverged' ? `diverged (${m.diverged})` : 'stopped'
    const validation = last?.validation ? `, validation ${last.validation.total.toPrecision(4)}` : ''
    const loss = last ? `: loss ${last.train.total.toPrecision(4)}${validation} after epoch ${last.epoch}`
      : ' before the first epoch ended'
    status(`${how} in ${m.seconds.toFixed(1)} s${loss}`, m.stopped === 'diverged')
    if (m.checkpoint) {
      URL.revokeObjectURL(download.href)
      download.href = URL.createObjectURL(new Blob([m.checkpoint], { type: 'application/octet-stream' }))
      download.textContent = `Download checkpoint (epoch ${last.epoch})`
      download.hidden = false
    }
    idle()
    drawLoss()
    bar.value = m.stopped === 'completed' ? 1 : bar.value
    finish({ stopped: m.stopped, history: m.history, backend: m.backend, isolated: crossOriginIsolated,
      checkpointBytes: m.checkpoint?.byteLength ?? 0 })
  } else if (m.type === 'error') {
    status(m.message, true)
    idle()
    finish({ error: m.message })
  }
}

function idle() {
  trainButton.disabled = false
  stopButton.disabled = true
}

/** The form's values as the worker takes them; throws a message for a bad field. */
function options() {
  const number = (/** @type {string} */ name, integer = true) => {
    const v = Number(field(name).value)
    if (field(name).value.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < 0) {
      throw new Error(`${name}: expected a ${integer ? 'whole ' : ''}number, got '${field(name).value}'`)
    }
    return v
  }
  const sizes = field('sizes').value.split(',').map((s) => Number(s))
  if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new Error(`sizes: expected at least two positive integers like 64,32,8, got '${field('sizes').value}'`)
  }
  const holdout = field('holdout').value
  return {
    variant: field('variant').value, sizes, lr: number('lr', false), epochs: number('epochs'),
    batchSize: number('batch'), seed: number('seed'), holdout: holdout === 'none' ? null : Number(holdout),
    view: field('view').value,
  }
}

await setUp()
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
worker.onmessage = onMessage
worker.onerror = (/** @type {ErrorEvent} */ e) => {
  status(`the training worker failed: ${e.message}`, true)
  finish({ error: e.message })
}

form.onsubmit = (/** @type {SubmitEvent} */ e) => {
  e.preventDefault()
  let o
  try {
    o = options()
  } catch (error) {
    status(/** @type {Error} */ (error).message, true)
    return
  }
  run.epochs = o.epochs
  bar.value = 0
  trainButton.disabled = true
  stopButton.disabled = false
  Object.assign(window, { latentRun: new Promise((resolve) => { finish = resolve }) })
  worker.postMessage({ type: 'train', options: o })
}
stopButton.onclick = () => {
  stopButton.disabled = true
  status('stopping after the current batch…')
  worker.postMessage({ type: 'stop' })
}

/** The form, filled with `latent train`'s defaults (from the server) and the address's parameters. */
async function setUp() {
  const meta = await (await fetch('/data.json')).json()
  run.meta = meta
  const { defaults, classes, rows: count, features, image } = meta
  $('data').textContent = `${meta.name}: ${count.train} training and ${count.test} test images ` +
    `of ${image.join('×')} pixels (${features} features), ${classes.length} classes`
  for (const v of VARIANTS) field('variant').append(new Option(v, v))
  field('holdout').append(new Option('none', 'none'))
  for (const [i, c] of classes.entries()) field('holdout').append(new Option(c, String(i)))
  const values = {
    variant: 'vanilla', sizes: defaults.sizes.join(','), lr: defaults.lr, epochs: defaults.epochs,
    batch: defaults.batchSize, seed: defaults.seed, holdout: String(classes.length - 1),
  }
  for (const [name, value] of Object.entries(values)) field(name).value = params.get(name) ?? String(value)
}

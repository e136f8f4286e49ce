// Drives the page of `latent serve` in headless Chromium: for each variant, the page trains 3
// epochs on the digits in its worker (?auto=1), and this script checks that the page was
// cross-origin isolated with the worker pool running, that the loss went down, that every picture
// was drawn (the latent view by t-SNE, UMAP and the linear projection in turn), and that the
// per-epoch losses (every part, training and validation) are those of Node's `fit` on the same
// split, spec, seed, batch size and learning rate, bit for bit. The
// variational page's checkpoint (the download link) is read back in Node: a run checkpoint at
// epoch 3 whose weights are the Node run's, which `latent eval` reads and `latent train --resume`
// continues to the Node run of 4 epochs. Then Stop is pressed during a long run; last, a
// screenshot of a longer run: docs/serve.png.
//
//   pnpm build && node scripts/browser-serve.mjs
//
// Needs Chromium (Debian: apt-get install chromium; or CHROMIUM=/path/to/chrome); without it, it
// says so and exits cleanly. Not part of CI. It talks to the browser over the DevTools protocol
// on a pipe (--remote-debugging-pipe: JSON messages ended by a NUL byte), so it needs no package.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findChromium, startChromium, within } from './chromium.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const EPOCHS = 3
const SCREENSHOT_EPOCHS = 40
const RUN = { seed: 1, lr: 0.003, batch: 32, holdout: 9, sizes: [64, 32, 8] }
const PANELS = ['loss', 'reconstructions', 'latent', 'anomaly']
const VIEWS = [
  { name: 'tsne', title: 't-SNE' }, { name: 'umap', title: 'UMAP' }, { name: 'linear', title: 'principal' },
]

const browser = findChromium()
if (!browser) {
  console.log('browser serve test: Chromium not found (apt-get install chromium, or set CHROMIUM): skipped')
  process.exit(0)
}
if (!existsSync(join(root, 'packages', 'autoencoders', 'dist', 'cli', 'web-server.js'))) {
  console.error('browser serve test: the packages are not built: run pnpm build first')
  process.exit(1)
}
const dist = (path) => join(root, 'packages', 'autoencoders', 'dist', path)
const { checkBuilt, startWebServer } = await import(dist('cli/web-server.js'))
const { loadSplits, openCheckpoint, RUN_OPTIONS } = await import(dist('cli/experiment/index.js'))
const { main } = await import(dist('cli/main.js'))
const T = await import('@latent/tensor')
const { Adam } = await import('@latent/nn')
const { buildModel, defaultSpec, fit, VARIANTS } = await import('@latent/autoencoders')

checkBuilt()
const web = await startWebServer({ splits: loadSplits({ data: 'digits' }), source: { data: 'digits' }, port: 0 })

/** Chromium with the DevTools protocol on a pipe: `send` a command, optionally to a page's session. */
function launch() {
  const { chrome, stop } = startChromium(browser, ['--hide-scrollbars', '--remote-debugging-pipe', 'about:blank'],
    ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], 'browser serve test')
  const pending = new Map()
  const events = []
  let nextId = 1
  let buffer = ''
  chrome.stdio[4].setEncoding('utf8')
  chrome.stdio[4].on('data', (chunk) => {
    buffer += chunk
    for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
      const message = JSON.parse(buffer.slice(0, end))
      buffer = buffer.slice(end + 1)
      if (message.method === 'Runtime.exceptionThrown' || message.method === 'Runtime.consoleAPICalled') {
        events.push(message)
      }
      const waiting = pending.get(message.id)
      if (!waiting) continue
      pending.delete(message.id)
      if (message.error) waiting.reject(new Error(`${waiting.method}: ${message.error.message}`))
      else waiting.resolve(message.result)
    }
  })
  const send = (method, params = {}, sessionId = undefined) => new Promise((resolve, reject) => {
    const id = nextId++
    pending.set(id, { resolve, reject, method })
    chrome.stdio[3].write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0')
  })
  return { send, close: stop, events }
}

/**
 * Opens the page with `query` in a new tab 1280 px wide; `finished()` waits for its run (?auto=1)
 * and gives the run's summary. If no run ends in time, the error has the page's status line and
 * the exceptions thrown in it.
 */
async function openPage(chrome, query) {
  const { targetId } = await chrome.send('Target.createTarget', { url: 'about:blank' })
  const { sessionId } = await chrome.send('Target.attachToTarget', { targetId, flatten: true })
  const send = (method, params) => chrome.send(method, params, sessionId)
  const evaluate = async (expression) => {
    const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })
    if (r.exceptionDetails) {
      throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`)
    }
    return r.result.value
  }
  await send('Runtime.enable')
  await send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false })
  await send('Page.navigate', { url: `${web.url}?${new URLSearchParams(query)}` })
  const finished = () => {
    const run = evaluate(`new Promise((resolve) => { const t = setInterval(() => {
      if (window.latentRun) { clearInterval(t); resolve(window.latentRun) } }, 50) })`)
    return within(120_000, `the ${query.variant} page`, run).catch(async (e) => {
      const thrown = chrome.events.filter((m) => m.sessionId === sessionId && m.method === 'Runtime.exceptionThrown')
        .map((m) => m.params.exceptionDetails.exception?.description ?? m.params.exceptionDetails.text)
      const state = await evaluate(`document.getElementById('status').textContent`).catch(() => 'unknown')
      throw new Error(`${e.message}; its status line: ${state}${thrown.length ? `; thrown: ${thrown.join('; ')}` : ''}`)
    })
  }
  return { send, evaluate, finished, close: () => chrome.send('Target.closeTarget', { targetId }) }
}

/** Saves a screenshot of the whole page (1280 px wide). */
async function screenshot(page, file) {
  const { cssContentSize } = await page.send('Page.getLayoutMetrics')
  const height = Math.ceil(cssContentSize.height)
  await page.send('Emulation.setDeviceMetricsOverride', { width: 1280, height, deviceScaleFactor: 1, mobile: false })
  const { data } = await page.send('Page.captureScreenshot', { format: 'png' })
  writeFileSync(file, Buffer.from(data, 'base64'))
  return height
}

/** The run `latent train` (and so the page) makes, in Node: the same split, seeds and order. */
function inNode(splits, variant, epochs = EPOCHS) {
  const spec = { ...defaultSpec(variant, RUN.sizes), seed: RUN.seed }
  const model = buildModel(spec)
  const x = splits.train.x
  const n = x.shape[0]
  const nVal = Math.floor(n * RUN_OPTIONS.validation.default)
  const order = new T.Rng(2).permutation(n)
  const history = fit(model, T.gather(x, order.subarray(nVal)), {
    epochs, batchSize: RUN.batch, optimizer: new Adam(model.namedParameters(), { lr: RUN.lr }),
    rng: new T.Rng(RUN.seed + 1), validation: T.gather(x, order.subarray(0, nVal)),
  })
  return { history: history.epochs, model }
}

/** Every loss figure of a history, named: 'epoch 2 validation kl' → value. */
const figures = (history) => new Map(history.flatMap((e) => ['train', 'validation']
  .flatMap((set) => Object.entries(e[set] ?? {}).map(([part, v]) => [`epoch ${e.epoch} ${set} ${part}`, v]))))

const problems = []
const lines = []
const splits = loadSplits({ data: 'digits', holdout: RUN.holdout })
const chrome = launch()
try {
  for (const [index, variant] of VARIANTS.entries()) {
    // The latent views take turns; the view draws with the generators' states restored, so it
    // must not move the losses.
    const view = VIEWS[index % VIEWS.length]
    const page = await openPage(chrome, { auto: 1, variant, epochs: EPOCHS, sizes: RUN.sizes.join(','), lr: RUN.lr,
      batch: RUN.batch, seed: RUN.seed, holdout: RUN.holdout, view: view.name })
    const result = await page.finished()
    if (result.error) {
      problems.push(`${variant}: the page reported: ${result.error}`)
      await page.close()
      continue
    }
    const panels = await page.evaluate(`Object.fromEntries([...document.querySelectorAll('.panel')]
      .map((p) => [p.id, p.querySelectorAll('svg').length]))`)
    const wanted = variant === 'variational' ? [...PANELS, 'samples', 'interpolation'] : PANELS
    const missing = wanted.filter((id) => panels[id] !== 1)
    if (missing.length > 0) problems.push(`${variant}: no picture in ${missing.join(', ')}`)
    const title = await page.evaluate(`document.querySelector('#latent svg')?.textContent ?? ''`)
    if (!title.includes(view.title)) {
      problems.push(`${variant}: the latent view is not ${view.title}: '${title.slice(0, 80)}'`)
    }
    const losses = result.history.map((e) => e.train.total)
    if (result.history.length !== EPOCHS || result.stopped !== 'completed') {
      problems.push(`${variant}: ${result.history.length} epochs, stopped: ${result.stopped}`)
    }
    if (!(losses.at(-1) < losses[0])) problems.push(`${variant}: the loss did not go down (${losses.join(', ')})`)
    if (!result.isolated) problems.push(`${variant}: the page is not cross-origin isolated`)
    const { backend } = result
    if (!(backend.threads > 1 && backend.readyWorkers === backend.threads - 1)) {
      problems.push(`${variant}: the worker pool did not run ` +
        `(threads ${backend.threads}, ready ${backend.readyWorkers}` +
        `${backend.threadError ? `, ${backend.threadError}` : ''})`)
    }

    const node = inNode(splits, variant)
    const [ours, theirs] = [figures(result.history), figures(node.history)]
    const differing = [...theirs].filter(([k, v]) => !Object.is(ours.get(k), v))
    const worst = Math.max(0, ...differing.map(([k, v]) => Math.abs(ours.get(k) / v - 1)))
    if (ours.size !== theirs.size || differing.length > 0) {
      problems.push(`${variant}: ${differing.length} of ${theirs.size} loss figures differ from Node's ` +
        `(relative difference up to ${worst.toExponential(2)}; first: ${differing[0]?.[0]})`)
    }
    const nodeLosses = node.history.map((e) => e.train.total)
    lines.push(`  ${variant.padEnd(12)} browser ${losses.map((v) => v.toFixed(6)).join(', ')}` +
      `  node ${nodeLosses.map((v) => v.toFixed(6)).join(', ')}  ` +
      (differing.length === 0 ? `equal (all ${theirs.size} figures, bit for bit)` : `${differing.length} differ`))
    if (variant === 'variational') {
      lines.unshift(`  page: kernel ${backend.kernel}, ` +
        `${backend.threads} threads (${backend.readyWorkers} pool worker ready), ` +
        `relaxed SIMD ${backend.relaxedSimd}, cross-origin isolated ${result.isolated}; ` +
        `node: kernel ${T.getBackendInfo().kernel}, ${T.getBackendInfo().threads} threads`)
      // The download link's checkpoint: a run checkpoint that `latent` reads, holding the Node run's weights.
      const base64 = await page.evaluate(`(async () => {
        const bytes = new Uint8Array(await (await fetch(document.getElementById('download').href)).arrayBuffer())
        let s = ''
        for (const b of bytes) s += String.fromCharCode(b)
        return btoa(s) })()`)
      const folder = mkdtempSync(join(tmpdir(), 'latent-serve-'))
      try {
        writeFileSync(join(folder, 'checkpoint.safetensors'), Buffer.from(base64, 'base64'))
        const opened = openCheckpoint(folder)
        const weights = new Map(node.model.namedParameters())
        const same = opened.model.namedParameters()
          .every(([name, p]) => p.data.data.every((v, i) => Object.is(v, weights.get(name).data.data[i])))
        if (opened.meta.epoch !== EPOCHS || !same) {
          problems.push(`the page's checkpoint holds epoch ${opened.meta.epoch}, weights equal to Node's: ${same}`)
        }
        // `latent eval` reads it; `latent train --resume` continues it as if the run had gone on.
        let said = ''
        const io = { stdout: { write: (s) => void (said += s) }, stderr: { write: (s) => void (said += s) },
          signal: { aborted: false } }
        const evaluated = await main(['eval', '--checkpoint', folder, '--json'], io)
        const resume = ['train', '--out', folder, '--resume', '--epochs', String(EPOCHS + 1), '--quiet']
        const resumed = await main(resume, io)
        if (evaluated !== 0 || resumed !== 0) problems.push(`latent eval or train --resume failed on it: ${said}`)
        const summary = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8'))
        const longer = figures(inNode(splits, variant, EPOCHS + 1).history)
        const continued = figures(summary.history)
        const agree = [...longer].every(([k, v]) => Object.is(continued.get(k), v))
        if (!agree) {
          problems.push(`latent train --resume from the page's checkpoint differs from Node's run of ${EPOCHS + 1}`)
        }
        lines.push(`  checkpoint from the page: ${Buffer.from(base64, 'base64').length} bytes, epoch ` +
          `${opened.meta.epoch}, weights equal Node's: ${same}; latent eval reads it: test MSE ` +
          `${JSON.parse(said).testMse.toFixed(4)}; latent train --resume to epoch ${EPOCHS + 1} equals Node's ` +
          `run of ${EPOCHS + 1} epochs: ${agree}`)
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    }
    await page.close()
  }
  // Stop: training ends after the current batch, with the checkpoint of the last whole epoch.
  const long = await openPage(chrome, { auto: 1, variant: 'vanilla', epochs: 1000 })
  await long.evaluate(`new Promise((resolve) => { const t = setInterval(() => {
    if (/epoch [3-9]/.test(document.getElementById('status').textContent)) { clearInterval(t); resolve() } }, 20) })`)
  await long.evaluate(`document.getElementById('stop').click()`)
  const stopped = await long.finished()
  const link = await long.evaluate(`document.getElementById('download').textContent`)
  const epochs = stopped.history?.length
  if (stopped.stopped !== 'interrupted' || !(epochs >= 2) || link !== `Download checkpoint (epoch ${epochs})`) {
    problems.push(`Stop: the run ended ${stopped.stopped} after ${epochs} epochs, the link says '${link}'`)
  }
  lines.push(`  Stop during epoch ${epochs + 1} of 1000: stopped ${stopped.stopped}, '${link}'`)
  await long.close()

  // The picture for the README: the same page, trained longer.
  const page = await openPage(chrome, { auto: 1, variant: 'variational', epochs: SCREENSHOT_EPOCHS,
    sizes: RUN.sizes.join(','), lr: RUN.lr, batch: RUN.batch, seed: RUN.seed, holdout: RUN.holdout })
  await page.finished()
  const height = await screenshot(page, join(root, 'docs', 'serve.png'))
  lines.push(`  screenshot of the variational page after ${SCREENSHOT_EPOCHS} epochs: ` +
    `docs/serve.png (1280 x ${height})`)
  await page.close()
} finally {
  await chrome.close()
  await web.close()
}

const version = spawnSync(browser, ['--version'], { encoding: 'utf8' }).stdout.trim()
console.log(`browser: ${version}; ${EPOCHS} epochs on the digits per variant, losses per epoch (training total):`)
for (const line of lines) console.log(line)
if (problems.length > 0) {
  console.error(`browser serve test FAILED:\n- ${problems.join('\n- ')}`)
  process.exit(1)
}
console.log('browser serve test: passed')
process.exit(0)

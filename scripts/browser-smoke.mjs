// Runs the built packages in headless Chromium, as web pages that import them through an import
// map: a product on the JS kernel and on the WASM kernel, the worker pool (Web Workers over shared
// WASM memory, which needs a cross-origin-isolated page: the server sends COOP and COEP for
// /isolated.html), and a short seeded training run; then the same in an ordinary page
// (/plain.html: no SharedArrayBuffer, so one thread and no arenas, and asking for threads is a
// clear error); then the scenario in Node, whose losses must equal the isolated page's.
//
//   pnpm build && node scripts/browser-smoke.mjs
//
// Needs Chromium (Debian: apt-get install chromium; or CHROMIUM=/path/to/chrome). Without it, it
// says so and exits cleanly. Not part of CI (CI has Node and npm only).
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findChromium, startChromium, within } from './chromium.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const PACKAGES = ['tensor', 'autodiff', 'nn', 'autoencoders']

const browser = findChromium()
if (!browser) {
  console.log('browser smoke test: Chromium not found (apt-get install chromium, or set CHROMIUM): skipped')
  process.exit(0)
}
for (const name of PACKAGES) {
  if (!existsSync(join(root, 'packages', name, 'dist', 'index.js'))) {
    console.error('browser smoke test: the packages are not built: run pnpm build first')
    process.exit(1)
  }
}

const importMap = { imports: Object.fromEntries(PACKAGES.map((n) => [`@latent/${n}`, `/packages/${n}/dist/index.js`])) }
const page = `<!doctype html><meta charset="utf-8"><title>latent smoke</title>
<script type="importmap">${JSON.stringify(importMap)}</script>
<script type="module">
  const post = (body) => fetch('/result', { method: 'POST', body: JSON.stringify(body) })
  try {
    const { scenario } = await import('/scripts/browser/scenario.mjs')
    await post({
      crossOriginIsolated: globalThis.crossOriginIsolated, userAgent: navigator.userAgent, ...(await scenario()),
    })
  } catch (e) {
    await post({ error: String(e?.stack ?? e) })
  }
</script>`

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' }
let resolveResult
const server = createServer((req, res) => {
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname))
  if (req.method === 'POST' && path === '/result') {
    let body = ''
    req.on('data', (d) => { body += d })
    req.on('end', () => { res.end('ok'); resolveResult(JSON.parse(body)) })
    return
  }
  if (path === '/isolated.html' || path === '/plain.html') {
    if (path === '/isolated.html') {
      // Cross-origin isolation, so that the page may share WASM memory with workers.
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp')
    }
    res.setHeader('Content-Type', 'text/html')
    res.end(page)
    return
  }
  const allowed = path === '/scripts/browser/scenario.mjs'
    || PACKAGES.some((n) => path.startsWith(`/packages/${n}/dist/`))
  const file = join(root, path)
  if (!allowed || !existsSync(file)) {
    res.statusCode = 404
    res.end()
    return
  }
  res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream')
  res.end(readFileSync(file))
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const origin = `http://127.0.0.1:${server.address().port}`

/** Opens one page in a fresh headless Chromium and returns what its scenario posted. */
async function runPage(name) {
  const result = new Promise((resolve) => { resolveResult = resolve })
  const { stop } = startChromium(browser, [`${origin}/${name}`], 'ignore', 'browser smoke test')
  try {
    return await within(120_000, `the result of ${name}`, result)
  } finally {
    await stop()
  }
}
const isolated = await runPage('isolated.html')
const plain = await runPage('plain.html')
server.close()
for (const [name, r] of [['isolated.html', isolated], ['plain.html', plain]]) {
  if (r.error) {
    console.error(`browser smoke test: ${name} failed:\n${r.error}`)
    process.exit(1)
  }
}

const { scenario } = await import('./browser/scenario.mjs')
const inNode = await scenario()

const problems = []
const common = (name, r) => {
  if (!r.simd || !r.kernel.startsWith('wasm-')) problems.push(`${name}: no WASM SIMD kernel (${r.kernel})`)
  if (!(r.worstVsJs < 1e-4)) problems.push(`${name}: WASM and JS products differ by ${r.worstVsJs}`)
  if (!(r.losses.at(-1) < r.losses[0])) {
    problems.push(`${name}: training did not lower the loss (${r.losses.join(', ')})`)
  }
}
common('isolated.html', isolated)
common('plain.html', plain)
if (!isolated.crossOriginIsolated) problems.push('isolated.html is not cross-origin isolated')
if (!isolated.workerReady || isolated.threads !== 2 || isolated.threadError) {
  problems.push(`isolated.html: the worker pool did not run (threads ${isolated.threads}, ` +
    `ready ${isolated.workerReady}, error ${isolated.threadError})`)
}
if (isolated.threadsAgree !== true) problems.push('isolated.html: two threads and one gave different products')
if (isolated.elementwiseAgree !== true) {
  problems.push('isolated.html: elementwise kernels split between two threads gave other results than on one')
}
if (!isolated.arenasResident) problems.push('isolated.html: arenas are not in WASM memory')
if (plain.crossOriginIsolated) problems.push('plain.html is cross-origin isolated')
if (plain.defaultThreads !== 1 || plain.threads !== 1) {
  problems.push(`plain.html: expected one thread by default, got ${plain.defaultThreads} (now ${plain.threads})`)
}
if (!plain.refusal?.includes('cross-origin-isolated')) {
  problems.push(`plain.html: asking for two threads should fail clearly, got ${plain.refusal}`)
}
if (plain.arenasResident) problems.push('plain.html: arenas claim WASM memory without shared memory')
const worstLoss = Math.max(...isolated.losses.map((v, i) => Math.abs(v / inNode.losses[i] - 1)))
if (isolated.kernel === inNode.kernel && !(worstLoss <= 1e-6)) {
  problems.push(`the same kernel in Node gave other losses (relative difference ${worstLoss})`)
}

console.log(`browser: ${isolated.userAgent}`)
for (const [name, r] of [['isolated.html', isolated], ['plain.html', plain]]) {
  console.log(`  ${name}: kernel ${r.kernel} (relaxed SIMD ${r.relaxedSimd}), ` +
    `cross-origin isolated ${r.crossOriginIsolated}, threads ${r.threads} (default ${r.defaultThreads}), ` +
    `arenas in WASM memory ${r.arenasResident}`)
  const agreement = r.threadsAgree === null
    ? `two threads refused: ${r.refusal}`
    : `2 threads equal 1 thread: ${r.threadsAgree} (products), ${r.elementwiseAgree} (split elementwise kernels)`
  console.log(`    WASM vs JS product: largest difference ${r.worstVsJs.toExponential(2)}; ${agreement}`)
  console.log(`    training losses: ${r.losses.map((v) => v.toFixed(6)).join(', ')}`)
}
const lossNote = worstLoss === 0
  ? 'identical to isolated.html\'s'
  : `differ from isolated.html's by ${worstLoss.toExponential(2)} relative`
console.log(`node: kernel ${inNode.kernel}; losses ${lossNote}`)
if (problems.length > 0) {
  console.error(`browser smoke test FAILED:\n- ${problems.join('\n- ')}`)
  process.exit(1)
}
console.log('browser smoke test: passed')
process.exit(0)

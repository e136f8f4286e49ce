// Imports every package's built entry point the way another project would (plain Node, no
// TypeScript, no source condition) and runs one call of each; for the tensor package, a product
// on the WASM kernel with two threads, checked against the JS kernel. Run after `pnpm build`.
import { readFileSync } from 'node:fs'

const names = ['tensor', 'autodiff', 'nn', 'autoencoders']
for (const name of names) {
  const manifest = JSON.parse(readFileSync(new URL(`../packages/${name}/package.json`, import.meta.url), 'utf8'))
  const entry = manifest.exports['.'].default
  const mod = await import(new URL(`../packages/${name}/${entry}`, import.meta.url).href)
  if (typeof mod !== 'object') throw new Error(`@latent/${name}: ${entry} did not load`)
}
const T = await import(new URL('../packages/tensor/dist/index.js', import.meta.url).href)
const c = T.matmul(T.tensor([[1, 2]]), T.tensor([[3], [4]]))
if (c.item() !== 11) throw new Error(`@latent/tensor from dist: expected 11, got ${c.item()}`)

T.setBackend('wasm')
T.setNumThreads(2)
for (let t = 0; t < 500 && T.getBackendInfo().readyWorkers < 1; t++) await new Promise((r) => setTimeout(r, 20))
const rng = new T.Rng(1)
const a = rng.uniform([300, 200])
const b = rng.uniform([250, 200])
const wasm = T.matmul(a, b, { transposeB: true })
const info = T.getBackendInfo()
if (info.threads !== 2 || info.readyWorkers !== 1 || info.threadError) {
  throw new Error(`@latent/tensor from dist: the worker pool did not run: ${JSON.stringify(info)}`)
}
T.setBackend('js')
const js = T.matmul(a, b, { transposeB: true })
const worst = wasm.data.reduce((w, v, i) => Math.max(w, Math.abs(v - js.data[i])), 0)
if (!(worst < 1e-4)) throw new Error(`@latent/tensor from dist: WASM and JS products differ by ${worst}`)
console.log(`dist smoke test: ${names.length} packages import from their built entry points; ` +
  `${info.kernel} on 2 threads agrees with JS`)

// The built `latent` executable runs from plain Node (no tsx, no source condition).
const { execFileSync } = await import('node:child_process')
const bin = new URL('../packages/autoencoders/dist/cli/bin.js', import.meta.url)
const out = JSON.parse(execFileSync(process.execPath, [bin.pathname, 'info', '--json'], { encoding: 'utf8' }))
if (!out.kernel) throw new Error(`latent info from dist printed no kernel: ${JSON.stringify(out)}`)
console.log(`dist smoke test: the built latent CLI runs (latent info: ${out.kernel})`)

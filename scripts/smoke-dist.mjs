// Imports every package's built entry point the way another project would (plain Node, no
// TypeScript, no source condition) and runs one call of each. Run after `pnpm build`.
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
console.log(`dist smoke test: ${names.length} packages import from their built entry points`)

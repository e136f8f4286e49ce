#!/usr/bin/env node
// The `latent` executable: a committed entry point, so that installing the workspace links it
// before anything is built; it runs the built command line (pnpm build makes dist/).
import { existsSync } from 'node:fs'

const built = new URL('../dist/cli/bin.js', import.meta.url)
if (existsSync(built)) await import(built.href)
else {
  console.error('latent: the command line is not built yet; run pnpm build in the repository first')
  process.exitCode = 1
}

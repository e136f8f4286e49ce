#!/usr/bin/env node
/**
 * The `latent` executable. Ctrl-C asks training to stop after the current batch (the
 * checkpoint of the last whole epoch stays intact); a second Ctrl-C exits at once.
 */
import { main } from './main.js'

// Through a package manager's script (`pnpm latent ...`), the process starts in the repository's
// root; INIT_CWD is the folder the user typed the command in, which relative paths are about.
const typedIn = process.env.INIT_CWD
if (typedIn && process.env.npm_lifecycle_event && typedIn !== process.cwd()) process.chdir(typedIn)

const signal: { aborted: boolean; notice?: string } = { aborted: false }
process.on('SIGINT', () => {
  if (signal.aborted) process.exit(130)
  signal.aborted = true
  process.stderr.write(`\n${signal.notice ?? 'stopping after the current batch'} (Ctrl-C again to quit now)\n`)
})
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal })
process.exit(code)

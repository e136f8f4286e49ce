#!/usr/bin/env node
/**
 * The `latent` executable. Ctrl-C asks training to stop after the current batch (the
 * checkpoint of the last whole epoch stays intact); a second Ctrl-C exits at once.
 */
import { main } from './main.js'

const signal = { aborted: false }
process.on('SIGINT', () => {
  if (signal.aborted) process.exit(130)
  signal.aborted = true
  process.stderr.write('\nstopping after the current batch (Ctrl-C again to quit now)\n')
})
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal })
process.exit(code)

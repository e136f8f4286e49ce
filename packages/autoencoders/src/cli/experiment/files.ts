/**
 * Output files: each written atomically, and only once all of their contents exist, so that a
 * failing command leaves no half-written run behind.
 */
import { mkdirSync, statSync } from 'node:fs'
import { UsageError } from './data.js'
import { basename, dirname, join } from 'node:path'
import { writeFileAtomic } from '@latent/nn/node'

/**
 * Throws unless `dir` is a folder or does not exist yet (mkdir would say EEXIST of a file).
 * @example checkFolder('runs/dae')
 */
export function checkFolder(dir: string): void {
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw new UsageError(`${dir} is a file: name a folder for the output`)
  }
}

/**
 * Writes files into a folder, each atomically; nothing is written until all contents exist.
 * @example writeAll('runs/ae', { 'summary.json': '{}\n', 'loss.svg': svg })
 */
export function writeAll(dir: string, files: Record<string, string | Uint8Array>): void {
  checkFolder(dir)
  mkdirSync(dir, { recursive: true })
  for (const [name, content] of Object.entries(files)) {
    writeFileAtomic(join(dir, name), typeof content === 'string' ? new TextEncoder().encode(content) : content)
  }
}

/**
 * Writes one file (text, or bytes) atomically, making its folder if needed.
 * @example writeFile('codes.csv', 'z0,z1,label\n')
 */
export function writeFile(path: string, content: string | Uint8Array): void {
  writeAll(dirname(path), { [basename(path)]: content })
}

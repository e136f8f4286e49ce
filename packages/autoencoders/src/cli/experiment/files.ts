/**
 * Output files: each written atomically, and only once all of their contents exist, so that a
 * failing command leaves no half-written run behind.
 */
import { mkdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { writeFileAtomic } from '@latent/nn/node'

/**
 * Writes files into a folder, each atomically; nothing is written until all contents exist.
 * @example writeAll('runs/ae', { 'summary.json': '{}\n', 'loss.svg': svg })
 */
export function writeAll(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true })
  for (const [name, content] of Object.entries(files)) {
    writeFileAtomic(join(dir, name), new TextEncoder().encode(content))
  }
}

/**
 * Writes one file atomically, making its folder if needed.
 * @example writeFile('codes.csv', 'z0,z1,label\n')
 */
export function writeFile(path: string, content: string): void {
  writeAll(dirname(path), { [basename(path)]: content })
}

/**
 * Line length: no line of source, test, bench or script code longer than 120 characters, so the
 * code reads without scrolling and a diff shows what changed. Fails listing every long line.
 *
 * Usage: tsx scripts/line-length.ts [root]. Exits 1 when a line is too long.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const MAX_LINE = 120
const CODE = /\.(ts|mts|mjs|js|py)$/
const SKIP = new Set(['node_modules', 'dist', '__snapshots__', 'fixtures', 'results'])

/** The code files under `dir`, recursively. */
function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (SKIP.has(name) || name.startsWith('.')) return []
    if (statSync(path).isDirectory()) return codeFiles(path)
    return CODE.test(name) ? [path] : []
  })
}

/** Every line longer than `max` under the project's code folders, as 'file:line (length)'. */
export function longLines(root: string, max = MAX_LINE): string[] {
  const packages = readdirSync(join(root, 'packages'))
    .flatMap((p) => ['src', 'test'].map((d) => join(root, 'packages', p, d)))
  const folders = [...packages, join(root, 'bench'), join(root, 'scripts')].filter((d) => {
    try {
      return statSync(d).isDirectory()
    } catch {
      return false
    }
  })
  return folders.flatMap(codeFiles).flatMap((file) => readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (
    [...line].length > max ? [`${relative(root, file)}:${i + 1} (${[...line].length})`] : []
  )))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..')
  const long = longLines(root)
  if (long.length > 0) {
    console.error(`${long.length} lines longer than ${MAX_LINE} characters:\n${long.join('\n')}`)
    process.exit(1)
  }
  console.log(`line length: every line of code is at most ${MAX_LINE} characters`)
}

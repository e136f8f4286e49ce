/**
 * Every public name has an example. Each function, class and constant that a package's entry
 * points (src/index.ts, src/node/index.ts) export, and each public method and getter of an
 * exported class, carries a doc comment with `@example`; a class may carry it on its
 * constructor, and `forward` and `describe` (documented once, on Module) are exempt.
 *
 * It reads declarations line by line, written as this code base writes them (one declaration
 * per line, methods indented by two spaces), not TypeScript's syntax tree.
 *
 * Usage: tsx scripts/doc-examples.ts [root]. Exits 1 and lists every name without an example.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listPackages } from './workspace.js'

const EXEMPT_METHODS = new Set(['constructor', 'forward', 'describe'])

/** The names an entry point exports (types aside), each with the file that declares it. */
function exportedNames(entry: string): Map<string, string> {
  const names = new Map<string, string>()
  const text = readFileSync(entry, 'utf8')
  const source = (spec: string): string => join(dirname(entry), spec.replace(/\.js$/, '.ts'))
  for (const m of text.matchAll(/export \{([^}]*)\} from '([^']+)'/g)) {
    for (const part of m[1].split(',').map((p) => p.trim())) {
      if (part && !part.startsWith('type ')) names.set(part.split(' as ')[0].trim(), source(m[2]))
    }
  }
  for (const m of text.matchAll(/export \* from '([^']+)'/g)) {
    const declared = /^export (?:abstract )?(?:async )?(?:function|class|const) (\w+)/gm
    for (const d of readFileSync(source(m[1]), 'utf8').matchAll(declared)) names.set(d[1], source(m[1]))
  }
  return names
}

/** The doc comment that ends on the line before `i`, or ''. */
function docBefore(lines: string[], i: number): string {
  if (i < 1 || !lines[i - 1].trim().endsWith('*/')) return ''
  let k = i - 1
  while (k > 0 && !lines[k].includes('/**')) k--
  return lines.slice(k, i).join('\n')
}

/** `path:line name` for every public declaration under `root` without an example. */
export function missingExamples(root: string): string[] {
  const missing: string[] = []
  for (const p of listPackages(root)) {
    for (const entry of ['src/index.ts', 'src/node/index.ts'].map((e) => join(p.dir, e)).filter(existsSync)) {
      for (const [name, file] of exportedNames(entry)) {
        const lines = readFileSync(file, 'utf8').split('\n')
        const at = lines.findIndex((l) =>
          new RegExp(`^export (abstract )?(async )?(function|class|const) ${name}\\b`).test(l))
        if (at < 0) continue
        const where = (i: number, what: string): string => `${relative(root, file)}:${i + 1} ${what}`
        if (!/^export (abstract )?class/.test(lines[at])) {
          if (!docBefore(lines, at).includes('@example')) missing.push(where(at, name))
          continue
        }
        const end = lines.findIndex((l, i) => i > at && l.startsWith('}'))
        const body = lines.slice(0, end < 0 ? lines.length : end)
        const ctor = body.findIndex((l, i) => i > at && /^ {2}constructor\(/.test(l))
        if (!docBefore(lines, at).includes('@example') && !(ctor > 0 && docBefore(lines, ctor).includes('@example'))) {
          missing.push(where(at, `class ${name}`))
        }
        body.forEach((l, i) => {
          const m = /^ {2}(?:(?:static|override|async|get) )*(\w+)\(.*\)(?:: [^{]+)? \{$/.exec(l)
          if (i > at && m && !EXEMPT_METHODS.has(m[1]) && !docBefore(lines, i).includes('@example')) {
            missing.push(where(i, `${name}.${m[1]}`))
          }
        })
      }
    }
  }
  return missing
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..')
  const missing = missingExamples(root)
  if (missing.length > 0) {
    console.error(`${missing.length} public names without an @example in their doc comment:\n${missing.join('\n')}`)
    process.exit(1)
  }
  console.log('doc examples: every public function, class, constant and method has one')
}

/**
 * Dependency check: the engine has no runtime dependencies, and imports only go down the
 * layers tensor <- autodiff <- nn <- autoencoders.
 *
 * For every package under packages/:
 *  - every entry of `dependencies` is a `workspace:` package of a lower layer;
 *  - every import in src/ is relative, a lower-layer @latent package listed in `dependencies`,
 *    or a `node:` built-in in a file under a Node-only folder (src/node/ or src/cli/). The rest
 *    of each package must run in a browser.
 *
 * Usage: tsx scripts/check-deps.ts [root]. Exits 1 and lists every violation.
 */
import { readFileSync } from 'node:fs'
import { join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LAYERS, listPackages, rel, sourceFiles } from './workspace.js'

// Runtime imports only: `import type ...` and `typeof import('...')` are erased by the compiler.
const IMPORT = new RegExp([
  /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/,
  /(?<!typeof\s)import\(\s*['"]([^'"]+)['"]\s*\)/,
  /(?:^|\n)\s*import\s+['"]([^'"]+)['"]/,
].map((r) => r.source).join('|'), 'g')
const NODE_ONLY_DIRS = [`${sep}src${sep}node${sep}`, `${sep}src${sep}cli${sep}`]

export function checkDeps(root: string): string[] {
  const problems: string[] = []
  for (const pkg of listPackages(root)) {
    const layer = LAYERS.indexOf(pkg.name as (typeof LAYERS)[number])
    if (layer < 0) {
      problems.push(`${pkg.name}: not one of the layers ${LAYERS.join(', ')}`)
      continue
    }
    const deps = pkg.manifest.dependencies ?? {}
    for (const [dep, version] of Object.entries(deps)) {
      if (!version.startsWith('workspace:')) {
        problems.push(`${pkg.name}: runtime dependency ${dep}@${version} is not a workspace package`)
      } else if (
        !(LAYERS.indexOf(dep as (typeof LAYERS)[number]) < layer && LAYERS.includes(dep as (typeof LAYERS)[number]))
      ) {
        problems.push(`${pkg.name}: depends on ${dep}, which is not a lower layer`)
      }
    }
    for (const file of sourceFiles(join(pkg.dir, 'src'))) {
      const text = readFileSync(file, 'utf8')
      const nodeOnly = NODE_ONLY_DIRS.some((d) => file.includes(d))
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2] ?? m[3]
        const where = `${rel(root, file)}: import '${spec}'`
        if (spec.startsWith('.')) continue
        if (spec.startsWith('node:')) {
          if (!nodeOnly) problems.push(`${where}: Node built-ins are allowed only under src/node/ or src/cli/`)
          continue
        }
        // A subpath ('@latent/nn/node') belongs to its package; '/node' entry points need Node.
        const name = spec.split('/').slice(0, 2).join('/')
        const subpath = spec.slice(name.length)
        const target = LAYERS.indexOf(name as (typeof LAYERS)[number])
        if (target < 0) problems.push(`${where}: not a workspace package (runtime dependencies are not allowed)`)
        else if (target >= layer) problems.push(`${where}: imports upward or sideways ` +
          `(${pkg.name} may import only lower layers)`)
        else if (!(name in deps)) problems.push(`${where}: ${name} is not listed in dependencies`)
        else if (subpath === '/node' && !nodeOnly) problems.push(`${where}: a Node-only entry point, ` +
          'allowed only under src/node/ or src/cli/')
      }
    }
  }
  return problems
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..')
  const problems = checkDeps(root)
  if (problems.length > 0) {
    console.error(`dependency check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    process.exit(1)
  }
  console.log(`dependency check: ${listPackages(root).length} packages, ` +
    'runtime dependencies only on lower workspace layers')
}

/**
 * Line budget: the core stays small enough to read. Counts the lines of code in each
 * package's src/ (blank lines and comment-only lines do not count) and fails when a package
 * outgrows its budget. Also prints how many differentiable primitives autodiff defines.
 *
 * Usage: tsx scripts/line-budget.ts [root]. Exits 1 when a budget is exceeded.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { listPackages, sourceFiles } from './workspace.js'

/** Lines of code allowed per package. Raise a budget only with a reason in the commit message. */
export const BUDGETS: Record<string, number> = {
  '@latent/tensor': 3435,
  '@latent/autodiff': 935,
  '@latent/nn': 2400,
  '@latent/autoencoders': 5300,
}

/** Lines that are neither blank nor only a comment. */
export function countCode(text: string): number {
  let n = 0
  let inBlock = false
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (inBlock) {
      if (line.includes('*/')) inBlock = false
      continue
    }
    if (line === '' || line.startsWith('//')) continue
    if (line.startsWith('/*')) {
      inBlock = !line.includes('*/')
      continue
    }
    n++
  }
  return n
}

export function measureBudgets(
  root: string, budgets: Record<string, number>,
): { name: string; lines: number; budget: number }[] {
  return listPackages(root).map((p) => ({
    name: p.name,
    lines: sourceFiles(join(p.dir, 'src')).reduce((s, f) => s + countCode(readFileSync(f, 'utf8')), 0),
    budget: budgets[p.name] ?? 0,
  }))
}

async function primitiveCount(root: string): Promise<number | undefined> {
  const entry = join(root, 'packages', 'autodiff', 'src', 'ops.ts')
  if (!existsSync(entry)) return undefined
  const mod = (await import(pathToFileURL(entry).href)) as { PRIMITIVES?: Record<string, unknown> }
  return mod.PRIMITIVES ? Object.keys(mod.PRIMITIVES).length : undefined
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..')
  const rows = measureBudgets(root, BUDGETS)
  let failed = false
  for (const r of rows) {
    const over = r.lines > r.budget
    failed ||= over
    console.log(`${r.name.padEnd(22)} ${String(r.lines).padStart(5)} / ${r.budget} lines${over ? '  OVER BUDGET' : ''}`)
  }
  const primitives = await primitiveCount(root)
  if (primitives !== undefined) console.log(`autodiff primitives: ${primitives}`)
  if (failed) {
    console.error('line budget exceeded: shrink the package, ' +
      'or raise its budget in scripts/line-budget.ts with a reason')
    process.exit(1)
  }
}

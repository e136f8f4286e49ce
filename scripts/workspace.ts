/**
 * Facts about the workspace that the guard-rail scripts share: the packages, their layer in
 * the dependency order, and their source files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/** The layers, lowest first. A package may import only packages to its left. */
export const LAYERS = ['@latent/tensor', '@latent/autodiff', '@latent/nn', '@latent/autoencoders'] as const

export interface PackageInfo {
  name: string
  dir: string
  manifest: { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
}

export function listPackages(root: string): PackageInfo[] {
  const dir = join(root, 'packages')
  return readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .map((d) => {
      const manifest = JSON.parse(readFileSync(join(dir, d, 'package.json'), 'utf8')) as PackageInfo['manifest']
      return { name: manifest.name, dir: join(dir, d), manifest }
    })
}

/** Every .ts file under `dir`, recursively, as paths. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e)
      if (statSync(p).isDirectory()) walk(p)
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p)
    }
  }
  walk(dir)
  return out.sort()
}

export function rel(root: string, p: string): string {
  return relative(root, p)
}

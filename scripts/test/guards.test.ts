import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkDeps } from '../check-deps.js'
import { countCode, measureBudgets } from '../line-budget.js'
import { missingExamples } from '../doc-examples.js'

let root = ''
afterEach(() => rmSync(root, { recursive: true, force: true }))

/** A throwaway workspace: package name -> { deps, files }. */
function workspace(pkgs: Record<string, { deps?: Record<string, string>; files: Record<string, string> }>): string {
  root = mkdtempSync(join(tmpdir(), 'latent-guards-'))
  for (const [name, spec] of Object.entries(pkgs)) {
    const dir = join(root, 'packages', name.split('/')[1])
    for (const [file, text] of Object.entries(spec.files)) {
      mkdirSync(join(dir, 'src', file, '..'), { recursive: true })
      writeFileSync(join(dir, 'src', file), text)
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, dependencies: spec.deps ?? {} }))
  }
  return root
}

describe('dependency check', () => {
  it('passes a clean layered workspace', () => {
    const r = workspace({
      '@latent/tensor': { files: { 'index.ts': "import { a } from './a.js'\n" } },
      '@latent/autodiff': {
        deps: { '@latent/tensor': 'workspace:*' },
        files: { 'index.ts': "import { Tensor } from '@latent/tensor'\n" },
      },
    })
    expect(checkDeps(r)).toEqual([])
  })

  it('ignores type-only imports, which leave nothing at run time', () => {
    const r = workspace({
      '@latent/tensor': { files: { 'index.ts': "import type { Worker } from 'node:worker_threads'\n" +
        "type W = typeof import('node:worker_threads')\n" } },
    })
    expect(checkDeps(r)).toEqual([])
  })

  it('fails on a registry dependency, an upward import, an unlisted import and a stray node: import', () => {
    const r = workspace({
      '@latent/tensor': {
        deps: { lodash: '^4.0.0' },
        files: {
          'index.ts': "import { grad } from '@latent/autodiff'\nimport fs from 'node:fs'\n",
          'node/io.ts': "import fs from 'node:fs'\n",
        },
      },
      '@latent/autodiff': {
        files: { 'index.ts': "export * from '@latent/tensor'\nconst m = await import('left-pad')\n" },
      },
    })
    const problems = checkDeps(r).join('\n')
    expect(problems).toMatch(/@latent\/tensor: runtime dependency lodash@\^4.0.0 is not a workspace package/)
    expect(problems).toMatch(/tensor\/src\/index.ts: import '@latent\/autodiff': imports upward/)
    expect(problems).toMatch(/tensor\/src\/index.ts: import 'node:fs': Node built-ins are allowed only under/)
    expect(problems).not.toMatch(/node\/io.ts/)
    expect(problems)
      .toMatch(/autodiff\/src\/index.ts: import '@latent\/tensor': @latent\/tensor is not listed in dependencies/)
    expect(problems).toMatch(/import 'left-pad': not a workspace package/)
  })

  it("allows a lower package's Node entry point ('@latent/nn/node') only in Node-only folders", () => {
    const r = workspace({
      '@latent/tensor': { files: { 'index.ts': '' } },
      '@latent/autodiff': {
        deps: { '@latent/tensor': 'workspace:*' },
        files: {
          'index.ts': "import { x } from '@latent/tensor/node'\n",
          'cli/main.ts': "import { x } from '@latent/tensor/node'\n",
        },
      },
    })
    const problems = checkDeps(r)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/autodiff\/src\/index.ts: import '@latent\/tensor\/node': a Node-only entry point/)
  })
})

describe('line budget', () => {
  it('counts code, not blanks or comments', () => {
    expect(countCode('/**\n * doc\n */\nconst a = 1 // note\n\n// only a comment\nconst b = 2\n/* one line */\n'))
      .toBe(2)
  })

  it('reports a package over its budget', () => {
    const r = workspace({ '@latent/tensor': { files: { 'index.ts': 'const a = 1\nconst b = 2\nconst c = 3\n' } } })
    expect(measureBudgets(r, { '@latent/tensor': 2 })).toEqual([{ name: '@latent/tensor', lines: 3, budget: 2 }])
  })
})

describe('doc examples', () => {
  it('lists exported functions, constants, classes and public methods without an @example', () => {
    const r = workspace({
      '@latent/tensor': {
        files: {
          'index.ts': "export { documented, bare, Thing, LIMIT } from './a.js'\nexport * from './b.js'\n" +
            "export { type Shape } from './a.js'\n",
          'a.ts': [
            '/** Fine. @example documented() */',
            'export function documented(): void {}',
            '/** No example. */',
            'export function bare(): void {}',
            'export const LIMIT = 3',
            'export class Thing {',
            '  /** Made. @example new Thing() */',
            '  constructor() {}',
            '  /** @example thing.size */',
            '  get size(): number {',
            '    return 1',
            '  }',
            '  grow(n: number): void {',
            '  }',
            '  private hidden(): void {',
            '  }',
            '  forward(x: number): number {',
            '    return x',
            '  }',
            '}',
            'export function internal(): void {}',
            'export type Shape = number[]',
          ].join('\n'),
          'b.ts': 'export function starred(): void {}\n',
          'node/index.ts': "export { nodeOnly } from './io.js'\n",
          'node/io.ts': '/** Reads. @example nodeOnly() */\nexport function nodeOnly(): void {}\n',
        },
      },
    })
    expect(missingExamples(r)).toEqual([
      'packages/tensor/src/a.ts:4 bare',
      'packages/tensor/src/a.ts:13 Thing.grow',
      'packages/tensor/src/a.ts:5 LIMIT',
      'packages/tensor/src/b.ts:1 starred',
    ])
  })
})

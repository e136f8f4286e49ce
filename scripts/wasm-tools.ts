/**
 * Developer tools for the WASM kernels (never needed by CI):
 *
 *   tsx scripts/wasm-tools.ts wat [fma|simd]   print a build's WAT
 *   tsx scripts/wasm-tools.ts wabt             cross-check the emitter with wabt (Debian's `wabt`):
 *                                              for every module (both GEMM builds, the elementwise
 *                                              kernels), our WAT assembled by wat2wasm (with
 *                                              --debug-names, for our name section) must equal
 *                                              our bytes, and wasm-validate must accept them
 *   tsx scripts/wasm-tools.ts asm [fma|simd]   print the machine code V8's optimizing compiler
 *                                              makes of the k loop (tile_MR), to see register use
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildGemmModule, FMA_5X8, kernelName, SIMD_5X8 } from '../packages/tensor/src/kernels/wasm/gemm_kernel.js'
import { buildElementwiseModule } from '../packages/tensor/src/kernels/wasm/elementwise_kernel.js'
import type { ModuleBuilder } from '../packages/tensor/src/kernels/wasm/emitter.js'

const [command = 'wat', which] = process.argv.slice(2)
const memory = { module: 'env', field: 'memory', initial: 16, maximum: 1024, shared: true }
const builds = which === 'simd' ? [SIMD_5X8] : which === 'fma' ? [FMA_5X8] : [FMA_5X8, SIMD_5X8]
const dir = mkdtempSync(join(tmpdir(), 'latent-wasm-'))

if (command === 'wat') {
  for (const c of builds) process.stdout.write(buildGemmModule(c, memory).toWat())
} else if (command === 'wabt') {
  const has = spawnSync('wat2wasm', ['--version']).status === 0
  if (!has) {
    console.log('wabt is not installed (apt-get install wabt); nothing checked')
    process.exit(0)
  }
  const modules: [string, ModuleBuilder][] = [
    ...builds.map((c): [string, ModuleBuilder] => [kernelName(c), buildGemmModule(c, memory)]),
    ['elementwise', buildElementwiseModule(memory)],
  ]
  for (const [name, m] of modules) {
    const wasm = join(dir, `${name}.wasm`)
    const wat = join(dir, `${name}.wat`)
    writeFileSync(wasm, m.toBytes())
    writeFileSync(wat, m.toWat())
    execFileSync('wasm-validate', ['--enable-all', wasm])
    const fromWat = join(dir, 'from-wat.wasm')
    execFileSync('wat2wasm', ['--enable-all', '--debug-names', wat, '-o', fromWat])
    const same = Buffer.compare(readFileSync(fromWat), readFileSync(wasm)) === 0
    console.log(`${name}: wasm-validate ok; wat2wasm(toWat()) ${same ? 'equals' : 'DIFFERS FROM'} toBytes()`)
    if (!same) process.exitCode = 1
  }
} else if (command === 'asm') {
  const c = builds[0]
  const wasm = join(dir, 'kernel.wasm')
  writeFileSync(wasm, buildGemmModule(c, memory).toBytes())
  // Run the kernel until V8 tiers it up, printing the optimized code of function 0 (tile_MR).
  const code = `const b = require('fs').readFileSync(${JSON.stringify(wasm)})
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 1024, shared: true })
    const { gemm } = new WebAssembly.Instance(new WebAssembly.Module(b), { env: { memory } }).exports
    for (let r = 0; r < 20000; r++) gemm(1024, 4096, 8192, 8, 1, 1, 64, 0)`
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--print-wasm-code',
    '--print-wasm-code-function-index=0', '-e', code], { encoding: 'utf8' })
  const text = r.stdout.slice(r.stdout.indexOf('compiler: TurboFan'))
  process.stdout.write(text.split('\n').map((l) => l.slice(39)).join('\n'))
} else {
  console.error(`unknown command '${command}' (wat, wabt or asm)`)
  process.exit(2)
}

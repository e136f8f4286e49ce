/**
 * What the engine supports: WebAssembly SIMD, relaxed SIMD (the FMA kernel) and threads, each
 * found by asking the engine to validate a one-function module that uses it.
 *
 * Under Node 20, relaxed SIMD is behind --experimental-wasm-relaxed-simd (not allowed in
 * NODE_OPTIONS); the flag is then set with v8.setFlagsFromString before any kernel is compiled,
 * unless LATENT_RELAXED_SIMD=0. Browsers that ship relaxed SIMD need nothing.
 */
import { ModuleBuilder } from './emitter.js'
import { threadsAvailable } from './pool.js'

export interface WasmFeatures {
  simd: boolean
  relaxedSimd: boolean
  /** True when relaxed SIMD needed Node's --experimental-wasm-relaxed-simd, set by us. */
  relaxedSimdFlag: boolean
  threads: boolean
}

export interface NodeProcess {
  versions?: { node?: string }
  env?: Record<string, string | undefined>
  getBuiltinModule?: (id: string) => unknown
}

/** Node's `process`, or undefined in a browser. */
export const nodeProcess = (): NodeProcess | undefined => {
  const p = (globalThis as { process?: NodeProcess }).process
  return p?.versions?.node ? p : undefined
}

/** A one-function module using the given SIMD instruction, to ask the engine whether it has it. */
function probe(op: 'f32x4.add' | 'f32x4.relaxed_madd'): Uint8Array<ArrayBuffer> {
  const args = op === 'f32x4.add' ? ['a', 'b'] : ['a', 'b', 'c']
  return new ModuleBuilder()
    .addFunction({
      name: 'probe',
      params: [],
      locals: args.map((n) => [n, 'v128'] as const),
      body: [...args.map((n) => ['local.get', n] as const), [op], ['drop']],
    })
    .toBytes()
}

let features: WasmFeatures | undefined

/** What the engine supports (detected once). @example detectFeatures().relaxedSimd */
export function detectFeatures(): WasmFeatures {
  if (features) return features
  const wasm = typeof WebAssembly !== 'undefined'
  const simd = wasm && WebAssembly.validate(probe('f32x4.add'))
  let relaxedSimd = simd && WebAssembly.validate(probe('f32x4.relaxed_madd'))
  let relaxedSimdFlag = false
  const node = nodeProcess()
  if (simd && !relaxedSimd && node && node.env?.LATENT_RELAXED_SIMD !== '0') {
    const v8 = node.getBuiltinModule?.('node:v8') as { setFlagsFromString(flag: string): void } | undefined
    v8?.setFlagsFromString('--experimental-wasm-relaxed-simd')
    relaxedSimd = WebAssembly.validate(probe('f32x4.relaxed_madd'))
    relaxedSimdFlag = relaxedSimd
  }
  features = { simd, relaxedSimd, relaxedSimdFlag, threads: simd && threadsAvailable() }
  return features
}

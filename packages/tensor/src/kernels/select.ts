/**
 * Which backend runs products. 'auto' (the default) picks the fastest build the engine
 * supports (WASM relaxed-SIMD FMA, then plain WASM SIMD, then JS) on first use, and keeps
 * products too small to gain from WASM on the JS kernel. The environment variable
 * LATENT_BACKEND=auto|wasm|js (and LATENT_WASM_FMA=0, LATENT_THREADS=n) overrides the default,
 * so tests and benchmarks can force every path.
 */
import type { GemmArgs, GemmBackend } from './gemm.js'
import { jsGemmBackend } from './js/gemm.js'
import { createWasmGemm, type WasmGemm } from './wasm/backend.js'
import { threadsAvailable } from './wasm/pool.js'
import type { ElementwiseExports } from './wasm/elementwise_kernel.js'
import type { FloatArray } from '../dtype.js'

export type BackendName = 'auto' | 'wasm' | 'js'

export interface BackendOptions {
  /** WASM only: true for the relaxed-SIMD FMA build, false for plain SIMD; default: the best available. */
  fma?: boolean
}

/** Below this many multiply-adds (m·n·k), 'auto' uses the JS kernel: a WASM call costs a few microseconds (measured crossover 12³-16³, bench/README.md). */
export const SMALL_PRODUCT = 16 * 16 * 16

interface Selection {
  name: BackendName
  wasm: WasmGemm | undefined
}

let selection: Selection | undefined
let threads: number | undefined

const env = (key: string): string | undefined => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[key]

/**
 * The default thread count: the machine's cores, at most 4, or LATENT_THREADS; 1 where there
 * can be no workers over shared memory (a browser page that is not cross-origin isolated).
 */
export function defaultThreads(): number {
  if (!threadsAvailable()) return 1
  const fromEnv = Number(env('LATENT_THREADS'))
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism(): number } | undefined
  const cores = os?.availableParallelism() ?? (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1
  return Math.max(1, Math.min(4, cores))
}

export function selectBackend(name: BackendName, options: BackendOptions = {}): void {
  if (name !== 'auto' && name !== 'wasm' && name !== 'js') throw new RangeError(`setBackend: unknown backend '${String(name)}' (expected 'auto', 'wasm' or 'js')`)
  selection?.wasm?.setThreads(1)
  let wasm: WasmGemm | undefined
  if (name !== 'js') {
    const fmaEnv = env('LATENT_WASM_FMA')
    try {
      wasm = createWasmGemm({ fma: options.fma ?? (fmaEnv === '0' ? false : fmaEnv === '1' ? true : undefined) })
    } catch (e) {
      // 'auto' must work wherever JavaScript does: if the engine refuses the kernel's memory
      // (a device short of address space), products run in JavaScript.
      if (name === 'wasm') throw e
      console.warn(`@latent/tensor: the WASM kernel could not start, products run in JavaScript: ${(e as Error).message}`)
    }
    if (!wasm && name === 'wasm') throw new Error('setBackend: this engine has no WebAssembly SIMD')
    try {
      wasm?.setThreads(threads ?? defaultThreads())
    } catch (e) {
      // Threads the caller asked for must start; the default may fall back to one thread (a
      // page whose content security policy forbids workers), with the reason kept.
      if (threads !== undefined) throw e
      wasm!.threadError = e as Error
    }
  }
  selection = { name, wasm }
}

function current(): Selection {
  if (!selection) {
    const fromEnv = env('LATENT_BACKEND') as BackendName | undefined
    selectBackend(fromEnv ?? 'auto')
  }
  return selection!
}

/** The backend that will run this product. */
export function backendFor(p: GemmArgs): GemmBackend {
  const s = current()
  if (!s.wasm || !s.wasm.supports(p)) return jsGemmBackend
  if (s.name === 'auto' && p.m * p.n * p.k < SMALL_PRODUCT) return jsGemmBackend
  return s.wasm
}

export function selectedBackend(): { name: BackendName; wasm: WasmGemm | undefined } {
  return current()
}

/**
 * The SIMD elementwise kernels when every array is float32 and lives in the WASM kernel's
 * memory (tensors made inside `withArena`), else undefined: the JavaScript kernels then run.
 * @example
 *   const simd = residentKernels(p, g, m, v) // e.g. an optimizer's arrays
 *   if (simd) simd.adam(p.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, p.length >> 2, ...hyper)
 */
export function residentKernels(a: FloatArray, b: FloatArray, c?: FloatArray, d?: FloatArray): ElementwiseExports | undefined {
  const wasm = current().wasm
  if (!wasm || !(a instanceof Float32Array) || !wasm.holds(a) || !wasm.holds(b) || (c && !wasm.holds(c)) || (d && !wasm.holds(d))) return undefined
  return wasm.elementwise
}

export function selectThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`)
  current().wasm?.setThreads(n)
  threads = n // only once it worked: a refused count is not kept for later backends
}

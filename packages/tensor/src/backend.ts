/**
 * Choosing and inspecting the backend. See kernels/select.ts for the policy and kernels/wasm/
 * for the WASM SIMD kernels and their thread pool.
 */
import { Arena } from './arena.js'
import { jsGemmBackend } from './kernels/js/gemm.js'
import { defaultThreads, selectBackend, selectedBackend, selectThreads } from './kernels/select.js'
import type { BackendName, BackendOptions } from './kernels/select.js'
import type { GemmBackend } from './kernels/types.js'
import { detectFeatures } from './kernels/wasm/features.js'
import { createWasmRuntime, type TileOption } from './kernels/wasm/runtime.js'

export type { BackendName, BackendOptions, TileOption }

export interface BackendInfo {
  /** The backend asked for. */
  backend: BackendName
  /** The kernel that runs float32 products, with its tile, e.g. 'wasm-f32_gemm_5x8_wasmrelaxedsimd_fma'. */
  kernel: string
  /** The engine has WebAssembly SIMD, and relaxed SIMD (FMA). */
  simd: boolean
  relaxedSimd: boolean
  /** Relaxed SIMD needed Node's --experimental-wasm-relaxed-simd flag, which was set at start-up. */
  relaxedSimdFlag: boolean
  /** Threads used for large products (1 without a pool), and workers ready to take work. */
  threads: number
  readyWorkers: number
  /** Set when the worker pool failed; products then run on one thread. */
  threadError?: string
}

/**
 * Selects the backend for every later product and elementwise pass: 'auto' (WASM when available,
 * JS for tiny products), 'wasm' (always, float32) or 'js'. float64 always runs on JS.
 * @example
 *   setBackend('wasm', { fma: false }) // force the plain-SIMD 5x8 kernel
 */
export function setBackend(name: BackendName, options: BackendOptions = {}): void {
  selectBackend(name, options)
}

/**
 * What runs matrix products right now.
 * @example
 *   const { kernel, threads } = getBackendInfo()
 */
export function getBackendInfo(): BackendInfo {
  const { name, runtime } = selectedBackend()
  const f = detectFeatures()
  return {
    backend: name,
    kernel: runtime ? runtime.name : jsGemmBackend.name,
    simd: f.simd,
    relaxedSimd: f.relaxedSimd,
    relaxedSimdFlag: f.relaxedSimdFlag,
    threads: runtime?.threads ?? 1,
    readyWorkers: runtime?.readyWorkers ?? 0,
    ...(runtime?.threadError ? { threadError: runtime.threadError.message } : {}),
  }
}

/**
 * Uses `n` threads (the caller plus n-1 workers) for large products and elementwise work, at most
 * one per core; returns the number it uses. Default: the number of cores, at most 4 (or
 * LATENT_THREADS). Results are identical for every thread count.
 * @example
 *   setNumThreads(1) // no workers
 *   if (setNumThreads(8) < 8) console.warn('fewer cores than threads asked for')
 */
export function setNumThreads(n: number): number {
  return selectThreads(n)
}

/** The default thread count on this machine. @example getDefaultThreads() // 2 on a 2-core machine */
export function getDefaultThreads(): number {
  return defaultThreads()
}

/** A matrix-product backend of its own, outside the global selection (see {@link createGemmBackend}). */
export interface StandaloneGemm extends GemmBackend {
  /** Threads in use (1 until workers are ready), and workers ready to take tasks. */
  readonly threads: number
  readonly readyWorkers: number
  /** An arena in this backend's memory, whose tensors its products read and write in place. */
  createArena(bytes: number): Arena
  /** Stops its workers. */
  close(): void
}

/**
 * A standalone backend, for benchmarks and side-by-side checks: several can exist at once, each
 * with its own WASM memory and workers, and each is called directly through `gemm(args)`.
 * `tile` builds the WASM kernel with another register tile (MR rows of 8 columns, pinned after
 * the rows listed; see kernels/wasm/gemm_kernel.ts), to measure the choice of tile.
 * @example
 *   const fma = createGemmBackend('wasm', { fma: true, threads: 2 })
 *   fma.gemm({ m, n, k, a, aOffset: 0, transA: false, b, bOffset: 0, transB: false, c, cOffset: 0 })
 *   const plain4x8 = createGemmBackend('wasm', { fma: false, tile: { mr: 4 } })
 */
export function createGemmBackend(kind: 'js' | 'wasm',
  options: { fma?: boolean; threads?: number; parallelThreshold?: number; tile?: TileOption } = {}): StandaloneGemm {
  if (kind === 'js') return { ...jsGemmBackend, threads: 1, readyWorkers: 0,
    createArena: (bytes) => new Arena(bytes, {}, undefined), close: () => {} }
  const runtime = createWasmRuntime({ fma: options.fma, tile: options.tile })
  if (!runtime) throw new Error('createGemmBackend: this engine has no WebAssembly SIMD')
  if (options.parallelThreshold !== undefined) runtime.gemm.parallelThreshold = options.parallelThreshold
  runtime.setThreads(options.threads ?? 1)
  return {
    name: runtime.name,
    supports: (p) => runtime.gemm.supports(p),
    gemm: (p) => runtime.gemm.gemm(p),
    get threads() { return runtime.threads },
    get readyWorkers() { return runtime.readyWorkers },
    createArena: (bytes) => new Arena(bytes, {}, runtime),
    close: () => runtime.setThreads(1),
  }
}

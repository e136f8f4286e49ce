/**
 * The dispatch point: which backend runs a product or an elementwise pass.
 *
 * Products (`gemm`): 'auto' (the default) picks the fastest build the engine supports (WASM
 * relaxed-SIMD FMA, then plain WASM SIMD, then JS) on first use, and keeps products too small to
 * gain from WASM on the JS kernel; float64 products always run in JS. Operands anywhere are
 * accepted: the WASM driver copies in what does not live in its memory.
 *
 * Elementwise work (`elementwiseFor`): the WASM kernels when every array involved is float32 and
 * lives in the WASM memory (an arena's tensors), else the JavaScript kernels. Copying an operand
 * in would cost as much as the pass itself, so where tensors live decides; never the numbers,
 * which are the same either way.
 *
 * The environment variable LATENT_BACKEND=auto|wasm|js (and LATENT_WASM_FMA=0, LATENT_THREADS=n)
 * overrides the default, so tests and benchmarks can force every path.
 */
import type { FloatArray } from '../dtype.js'
import { jsElementwise } from './js/elementwise.js'
import { jsGemmBackend } from './js/gemm.js'
import type { ElementwiseBackend, GemmArgs, GemmBackend } from './types.js'
import { nodeProcess } from './wasm/features.js'
import { threadsAvailable } from './wasm/pool.js'
import { createWasmRuntime, type WasmRuntime } from './wasm/runtime.js'

export type BackendName = 'auto' | 'wasm' | 'js'

export interface BackendOptions {
  /** WASM only: true for the relaxed-SIMD FMA build, false for plain SIMD; default: the best available. */
  fma?: boolean
}

/**
 * Below this many multiply-adds (m·n·k), 'auto' uses the JS kernel: a WASM call costs a few
 * microseconds (measured crossover 12³-16³, bench/README.md).
 */
export const SMALL_PRODUCT = 16 * 16 * 16

interface Selection {
  name: BackendName
  runtime: WasmRuntime | undefined
}

let selection: Selection | undefined
let threads: number | undefined

const env = (key: string): string | undefined => nodeProcess()?.env?.[key]

/**
 * The default thread count: the machine's cores, at most 4, or LATENT_THREADS; 1 where there
 * can be no workers over shared memory (a browser page that is not cross-origin isolated).
 */
export function defaultThreads(): number {
  if (!threadsAvailable()) return 1
  const fromEnv = Number(env('LATENT_THREADS'))
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv
  return Math.min(4, coreCount())
}

/** The cores this process may use (Node's availableParallelism, a browser's hardwareConcurrency). */
function coreCount(): number {
  const os = nodeProcess()?.getBuiltinModule?.('node:os') as { availableParallelism(): number } | undefined
  const cores = os?.availableParallelism() ??
    (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1
  return Math.max(1, cores)
}

export function selectBackend(name: BackendName, options: BackendOptions = {}): void {
  if (name !== 'auto' && name !== 'wasm' && name !== 'js') {
    throw new RangeError(`setBackend: unknown backend '${String(name)}' (expected 'auto', 'wasm' or 'js')`)
  }
  selection?.runtime?.setThreads(1)
  let runtime: WasmRuntime | undefined
  if (name !== 'js') {
    const fmaEnv = env('LATENT_WASM_FMA')
    try {
      runtime = createWasmRuntime({ fma: options.fma ?? (fmaEnv === '0' ? false : fmaEnv === '1' ? true : undefined) })
    } catch (e) {
      // 'auto' must work wherever JavaScript does: if the engine refuses the kernel's memory
      // (a device short of address space), everything runs in JavaScript.
      if (name === 'wasm') throw e
      const reason = (e as Error).message
      console.warn(`@latent/tensor: the WASM kernel could not start, products run in JavaScript: ${reason}`)
    }
    if (!runtime && name === 'wasm') throw new Error('setBackend: this engine has no WebAssembly SIMD')
    try {
      runtime?.setThreads(threads ?? defaultThreads())
    } catch (e) {
      // Threads the caller asked for must start; the default may fall back to one thread (a
      // page whose content security policy forbids workers), with the reason kept.
      if (threads !== undefined) throw e
      runtime!.threadError = e as Error
    }
  }
  selection = { name, runtime }
}

function current(): Selection {
  if (!selection) selectBackend((env('LATENT_BACKEND') as BackendName | undefined) ?? 'auto')
  return selection!
}

/** The selected backend's name and its WASM runtime (undefined on the JS backend). */
export function selectedBackend(): Selection {
  return current()
}

/** The backend that will run this product. */
export function backendFor(p: GemmArgs): GemmBackend {
  const s = current()
  if (!s.runtime || !s.runtime.gemm.supports(p)) return jsGemmBackend
  if (s.name === 'auto' && p.m * p.n * p.k < SMALL_PRODUCT) return jsGemmBackend
  return s.runtime.gemm
}

/**
 * C = op(A)·op(B) on flat arrays with offsets, by the backend selected for this product; k = 0
 * gives zeros. `matmul` is the tensor-level call.
 * @example gemm({ m: 2, n: 2, k: 3, a, aOffset: 0, transA: false, b, bOffset: 0, transB: false, c, cOffset: 0 })
 */
export function gemm(args: GemmArgs): void {
  if (args.m === 0 || args.n === 0) return
  if (args.k === 0) {
    args.c.fill(0, args.cOffset, args.cOffset + args.m * args.n)
    return
  }
  backendFor(args).gemm(args)
}

/**
 * Whether two arrays share any element of storage (views of one buffer whose byte ranges meet):
 * where tensors live is this module's knowledge, so ops ask here rather than read byte offsets.
 * @example sharesStorage(out.data, a.data) // true for a view of a's memory
 */
export function sharesStorage(x: FloatArray, y: FloatArray): boolean {
  return x.buffer === y.buffer &&
    x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength
}

/** The backend for elementwise work over these arrays: WASM if all of them live in its memory. */
export function elementwiseFor(...arrays: FloatArray[]): ElementwiseBackend {
  const runtime = current().runtime
  if (!runtime) return jsElementwise
  for (const a of arrays) if (!(a instanceof Float32Array) || !runtime.memory.holds(a)) return jsElementwise
  return runtime.elementwise
}

/**
 * At most one thread per core: the threads of a product wait for each other at every pass, so a
 * thread that has to wait for a core stalls all of them (64 threads on 2 cores: 70 times slower).
 */
export function selectThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`)
  const used = Math.min(n, coreCount())
  current().runtime?.setThreads(used)
  threads = used // only once it worked: a refused count is not kept for later backends
  return used
}

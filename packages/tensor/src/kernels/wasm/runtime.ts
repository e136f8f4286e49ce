/**
 * The WASM runtime: one build of the GEMM kernel and the elementwise kernels, instantiated over
 * one memory, with an optional pool of workers that share it. It serves both dispatch contracts:
 * `gemm` (gemm_driver.ts) and `elementwise` (elementwise_driver.ts).
 */
import { buildElementwiseModule } from './elementwise_kernel.js'
import { ElementwiseDriver } from './elementwise_driver.js'
import { detectFeatures, nodeProcess } from './features.js'
import { GemmDriver } from './gemm_driver.js'
import { buildGemmModule, FMA_5X8, kernelName, SIMD_5X8, type KernelConfig } from './gemm_kernel.js'
import { MAX_PAGES, WasmMemory } from './memory.js'
import { ThreadPool } from './pool.js'
import type { KernelExports } from './tasks.js'

export class WasmRuntime {
  readonly memory: WasmMemory
  readonly gemm: GemmDriver
  readonly elementwise: ElementwiseDriver
  private readonly gemmModule: WebAssembly.Module
  private readonly elementwiseModule: WebAssembly.Module
  private pool: ThreadPool | undefined
  /** The pool's first failure, if it broke. */
  threadError: Error | undefined

  constructor(readonly config: KernelConfig, shared: boolean) {
    this.memory = new WasmMemory(shared)
    const imports = { env: { memory: this.memory.memory } }
    const memory = { module: 'env', field: 'memory', initial: 16, maximum: MAX_PAGES, shared }
    this.gemmModule = new WebAssembly.Module(buildGemmModule(config, memory).toBytes())
    const ex = new WebAssembly.Instance(this.gemmModule, imports).exports as unknown as KernelExports
    const running = (): ThreadPool | undefined => (this.pool && !this.pool.broken ? this.pool : undefined)
    this.gemm = new GemmDriver(`wasm-${kernelName(config)}`, config, this.memory, ex, running)
    this.elementwiseModule = new WebAssembly.Module(buildElementwiseModule(memory).toBytes())
    const ew = new WebAssembly.Instance(this.elementwiseModule, imports).exports as
      Record<string, (...a: number[]) => number>
    const names = WebAssembly.Module.exports(this.elementwiseModule).map((e) => e.name)
    this.elementwise = new ElementwiseDriver(this.memory, names.map((n) => ew[n]), names, running,
      () => this.threadError)
    const split = Number(nodeProcess()?.env?.LATENT_SPLIT_QUADS)
    if (Number.isInteger(split) && split >= 1) this.elementwise.parallelQuads = split
  }

  get name(): string {
    return this.gemm.name
  }

  /** Threads including the caller. */
  get threads(): number {
    return this.pool && !this.pool.broken ? this.pool.size : 1
  }

  /** Workers ready to take tasks (0 once the pool broke). */
  get readyWorkers(): number {
    return this.pool && !this.pool.broken ? this.pool.ready : 0
  }

  /** Arenas need shared memory: a grow of unshared memory would detach their views. */
  get supportsArenas(): boolean {
    return this.memory.shared
  }

  /** Uses `n` threads in all (the caller and n-1 workers); 1 stops the pool. */
  setThreads(n: number): void {
    this.pool?.close()
    this.pool = undefined
    if (n <= 1) return
    if (!this.memory.shared) {
      throw new Error('setNumThreads: threads need shared WebAssembly memory, which this platform does not offer '
        + '(in a browser: a cross-origin-isolated page)')
    }
    this.threadError = undefined
    this.pool = new ThreadPool(this.gemmModule, this.elementwiseModule, this.memory.memory, n, (e) => {
      this.threadError = e
      console.warn(`@latent/tensor: the worker pool failed and products continue on one thread: ${e.message}`)
    })
  }

  /** Tests only: makes the pool's workers crash (ThreadPool.crashWorkersForTesting). */
  crashWorkersForTesting(insideElementwise = false): void {
    this.pool?.crashWorkersForTesting(insideElementwise)
  }
}

/** A register tile other than the build's own, for experiments: MR rows and the rows to pin after. */
export interface TileOption {
  mr: number
  pinAfter?: readonly number[]
  /** How rows of A are broadcast (see KernelConfig.broadcast). */
  broadcast?: 'splat' | 'shuffle'
}

/** Creates the best build this engine supports, or the one asked for; undefined without SIMD. */
export function createWasmRuntime(options: { fma?: boolean; tile?: TileOption } = {}): WasmRuntime | undefined {
  const f = detectFeatures()
  if (!f.simd) return undefined
  const fma = options.fma ?? f.relaxedSimd
  if (fma && !f.relaxedSimd) {
    throw new Error('setBackend: the FMA kernel needs relaxed SIMD, which this engine does not support')
  }
  return new WasmRuntime(options.tile ? tileConfig(options.tile, fma) : fma ? FMA_5X8 : SIMD_5X8, f.threads)
}

function tileConfig(tile: TileOption, fma: boolean): KernelConfig {
  const { mr, pinAfter = [], broadcast = 'splat' } = tile
  if (!Number.isInteger(mr) || mr < 1 || mr > 8) {
    throw new RangeError(`createGemmBackend: tile.mr must be an integer from 1 to 8, got ${mr}`)
  }
  const bad = pinAfter.find((r) => !Number.isInteger(r) || r < 0 || r >= mr - 1)
  if (bad !== undefined) {
    throw new RangeError('createGemmBackend: tile.pinAfter holds rows after which more rows follow ' +
      `(0 to ${mr - 2} for mr = ${mr}), got ${bad}`)
  }
  if (broadcast !== 'splat' && broadcast !== 'shuffle') {
    throw new RangeError(`createGemmBackend: tile.broadcast must be 'splat' or 'shuffle', got '${String(broadcast)}'`)
  }
  return { mr, nr: 8, fma, pinAfter, broadcast }
}

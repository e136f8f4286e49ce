/**
 * The WASM GEMM backend: feature detection, the kernel instance and its memory, and the
 * blocked driver that moves operands in and results out. The elementwise kernels of arena
 * tensors share the memory and the thread pool: long calls are split between the threads.
 *
 * Memory: operands are copied into a scratch arena in WASM memory for each product, and the
 * result is copied out (see the package README for the measurement behind this choice). The
 * arena grows on demand; views are re-created whenever the memory's buffer changed, so no view
 * is used after `memory.grow` detached it.
 *
 * Blocking (Goto's scheme, coarse): C is computed in blocks of at most MC x NC, summing over k
 * blocks of at most KC; the products a training step makes fit in one block, so each operand is
 * copied and packed once.
 */
import type { GemmArgs, GemmBackend } from '../gemm.js'
import { ModuleBuilder } from './emitter.js'
import { buildElementwiseModule, type ElementwiseExports, rangeSignature, type RangeSignature } from './elementwise_kernel.js'
import { buildGemmModule, FMA_4X8, kernelName, SIMD_5X8, type KernelConfig } from './gemm_kernel.js'
import { ThreadPool, threadsAvailable } from './pool.js'
import { CONTROL, CONTROL_BYTES, EW_MAX_CHUNKS, runElementwise, runTasks, type KernelExports } from './tasks.js'

const PAGE = 65536

/** Block limits in rows, columns and depth. */
export interface Blocks {
  mc: number
  nc: number
  kc: number
}

/** Large enough that the products of a training step are one block each (mc is a multiple of every MR). */
export const DEFAULT_BLOCKS: Blocks = { mc: 1920, nc: 2048, kc: 1024 }
/**
 * 1 GiB: the scratch of the largest block (about 48 MiB) plus arenas. Shared memory must
 * declare its maximum; only the pages actually grown are ever allocated.
 */
const MAX_PAGES = 16384

interface NodeProcess {
  versions?: { node?: string }
  env?: Record<string, string | undefined>
  getBuiltinModule?: (id: string) => unknown
}
const nodeProcess = (): NodeProcess | undefined => {
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

export interface WasmFeatures {
  simd: boolean
  relaxedSimd: boolean
  /** True when relaxed SIMD needed Node's --experimental-wasm-relaxed-simd, set by us. */
  relaxedSimdFlag: boolean
  threads: boolean
}

let features: WasmFeatures | undefined

/**
 * What the engine supports. Under Node 20, relaxed SIMD is behind
 * --experimental-wasm-relaxed-simd (not allowed in NODE_OPTIONS); the flag is then set with
 * v8.setFlagsFromString before any kernel is compiled, unless LATENT_RELAXED_SIMD=0. Browsers
 * that ship relaxed SIMD need nothing.
 */
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

const align64 = (bytes: number): number => Math.ceil(bytes / 64) * 64
const roundUp = (v: number, m: number): number => Math.ceil(v / m) * m

/** One kernel build, instantiated over its own memory, with an optional pool of workers. */
export class WasmGemm implements GemmBackend {
  readonly name: string
  readonly config: KernelConfig
  private readonly memory: WebAssembly.Memory
  private readonly module: WebAssembly.Module
  private readonly ex: KernelExports
  private readonly elementwiseModule: WebAssembly.Module
  /** The elementwise module's exports in export order, as jobs name them (tasks.ts). */
  private readonly elementwiseFunctions: ((...args: number[]) => void)[]
  private heap = new Float32Array(0)
  private ctl = new Int32Array(0)
  private ctlFloats = new Float32Array(0)
  private pool: ThreadPool | undefined
  /**
   * Products smaller than this (m·n·k, here 100³) stay on one thread: below it, handing work to
   * a worker costs about what it saves (measured crossover between 64³ and 128³; bench/README.md).
   */
  parallelThreshold = 1_000_000
  /**
   * Elementwise kernels over at least this many quads (4 floats) are split between the threads
   * (LATENT_SPLIT_QUADS overrides it). Below about 32k floats a split costs about what it saves:
   * `pnpm bench elementwise`, bench/README.md.
   */
  elementwiseParallelQuads = 8192
  /** The pool's first failure, if it broke. */
  threadError: Error | undefined
  /** Block limits; tests shrink them to reach every path of the driver with small shapes. */
  blocks: Blocks = DEFAULT_BLOCKS
  /** Bytes copied into and out of WASM memory so far (operands read in place count nothing). */
  bytesCopied = 0
  /** Every buffer object of this memory handed out so far (a grow of shared memory makes a new one). */
  private readonly buffers = new WeakSet<ArrayBufferLike>()
  /** Regions held by arenas, [start, end) in bytes, sorted; the scratch of a product lies above them all. */
  private readonly regions: [number, number][] = []

  /** SIMD elementwise kernels over this memory, for tensors in arenas (elementwise_kernel.ts). */
  readonly elementwise: ElementwiseExports

  constructor(config: KernelConfig, shared: boolean) {
    this.config = config
    // Row blocks must hold whole panels of MR rows.
    this.blocks = { ...DEFAULT_BLOCKS, mc: DEFAULT_BLOCKS.mc - (DEFAULT_BLOCKS.mc % config.mr) }
    this.name = `wasm-${kernelName(config)}`
    this.memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared })
    const memory = { module: 'env', field: 'memory', initial: 16, maximum: MAX_PAGES, shared }
    this.module = new WebAssembly.Module(buildGemmModule(config, memory).toBytes())
    this.ex = new WebAssembly.Instance(this.module, { env: { memory: this.memory } }).exports as unknown as KernelExports
    const splitFromEnv = Number(nodeProcess()?.env?.LATENT_SPLIT_QUADS)
    if (Number.isInteger(splitFromEnv) && splitFromEnv >= 1) this.elementwiseParallelQuads = splitFromEnv
    this.elementwiseModule = new WebAssembly.Module(buildElementwiseModule(memory).toBytes())
    const raw = new WebAssembly.Instance(this.elementwiseModule, { env: { memory: this.memory } }).exports as Record<string, (...args: number[]) => void>
    const names = WebAssembly.Module.exports(this.elementwiseModule).map((e) => e.name)
    this.elementwiseFunctions = names.map((name) => raw[name])
    // A plain object (the exports are frozen), so that tests can watch the calls. Kernels that
    // walk one range are split between the pool's threads when it is long.
    const wrapped: Record<string, (...args: number[]) => unknown> = {}
    names.forEach((name, index) => {
      const signature = rangeSignature(name)
      wrapped[name] = signature ? this.splitRange(name, index, signature) : raw[name]
    })
    this.elementwise = wrapped as unknown as ElementwiseExports
    this.refreshViews()
  }

  /** Threads including the caller. */
  get threads(): number {
    return this.pool && !this.pool.broken ? this.pool.size : 1
  }

  /** Uses `n` threads in all (the caller and n-1 workers); 1 stops the pool. */
  setThreads(n: number): void {
    this.pool?.close()
    this.pool = undefined
    if (n <= 1) return
    if (!this.shared) throw new Error('setNumThreads: threads need shared WebAssembly memory, which this platform does not offer (in a browser: a cross-origin-isolated page)')
    this.threadError = undefined
    this.pool = new ThreadPool(this.module, this.elementwiseModule, this.memory, n, (e) => {
      this.threadError = e
      console.warn(`@latent/tensor: the worker pool failed and products continue on one thread: ${e.message}`)
    })
  }

  /** Workers ready to take tasks (for tests). */
  get readyWorkers(): number {
    return this.pool?.ready ?? 0
  }

  /** Tests only: makes the pool's workers crash (ThreadPool.crashWorkersForTesting). */
  crashWorkersForTesting(insideElementwise = false): void {
    this.pool?.crashWorkersForTesting(insideElementwise)
  }

  /**
   * The elementwise kernel `name` (export `index`), split between the pool's threads when its
   * range is long enough: chunks of whole cache lines, claimed like GEMM tasks.
   *
   * If the pool breaks meanwhile, the chunks a lost worker held are redone here, unless the
   * kernel writes over its own inputs (Adam, or an op with out = an operand): such a chunk may
   * be half updated, so the call throws rather than return wrong numbers.
   */
  private splitRange(name: string, index: number, sig: RangeSignature): (...args: number[]) => void {
    const fn = this.elementwiseFunctions[index]
    const pointers = [...sig.reads, ...sig.writes]
    const advance = pointers.reduce((bits, i) => bits | (1 << i), 0)
    const floats = sig.floats.reduce((bits, i) => bits | (1 << i), 0)
    return (...args: number[]): void => {
      const quads = args[sig.quads]
      const pool = this.pool
      if (!pool || pool.broken || quads < this.elementwiseParallelQuads || !pool.prepare()) return fn(...args)
      const ctl = this.ctl
      const L = CONTROL
      const chunks = Math.min(EW_MAX_CHUNKS, 4 * pool.size)
      // Chunks of whole 64-byte lines, so that no two threads write into one line.
      const per = roundUp(Math.ceil(quads / chunks), 4)
      ctl[L.kind] = 1
      ctl[L.ewFunction] = index; ctl[L.ewArgCount] = args.length; ctl[L.ewQuadsArg] = sig.quads
      ctl[L.ewAdvance] = advance; ctl[L.ewFloats] = floats; ctl[L.ewQuads] = quads; ctl[L.ewChunkQuads] = per
      args.forEach((v, i) => { if ((floats >> i) & 1) this.ctlFloats[L.ewArgs + i] = v; else ctl[L.ewArgs + i] = v })
      ctl[L.chunks] = Math.ceil(quads / per)
      ctl.fill(0, L.ewDone, L.ewDone + ctl[L.chunks])
      ctl[L.nextChunk] = ctl[L.doneChunk] = 0
      pool.start()
      if (pool.finish(() => runElementwise(ctl, this.elementwiseFunctions, L))) return
      const lost: number[] = []
      for (let ch = 0; ch < ctl[L.chunks]; ch++) if (Atomics.load(ctl, L.ewDone + ch) === 0) lost.push(ch)
      if (lost.length === 0) return
      const span = (i: number, bytes: number): [number, number] => [args[i], args[i] + bytes]
      const read = [...sig.reads.map((i) => span(i, 16 * quads)), ...sig.broadcast.map((i) => span(i, 4))]
      const inPlace = sig.writes.some((w) => read.some(([r0, r1]) => args[w] < r1 && r0 < args[w] + 16 * quads))
      if (inPlace) throw new Error(`@latent/tensor: the worker pool failed during ${name}, which writes over its inputs; ${lost.length} of its chunks may be partly written (${this.threadError?.message})`)
      for (const ch of lost) {
        const part = args.slice()
        for (const i of pointers) part[i] = args[i] + 16 * ch * per
        part[sig.quads] = Math.min(per, quads - ch * per)
        fn(...part)
      }
    }
  }

  supports(p: GemmArgs): boolean {
    return p.a instanceof Float32Array && p.b instanceof Float32Array && p.c instanceof Float32Array
  }

  private refreshViews(): void {
    if (this.heap.buffer !== this.memory.buffer) {
      this.heap = new Float32Array(this.memory.buffer)
      this.ctl = new Int32Array(this.memory.buffer, 0, CONTROL_BYTES / 4)
      this.ctlFloats = new Float32Array(this.memory.buffer, 0, CONTROL_BYTES / 4)
      this.buffers.add(this.memory.buffer)
    }
  }

  /**
   * Whether the memory is shared. NOTE: browsers define SharedArrayBuffer only in
   * cross-origin-isolated pages, so the name itself may be missing.
   */
  private get shared(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && this.memory.buffer instanceof SharedArrayBuffer
  }

  /** Arenas need shared memory: a grow of non-shared memory would detach their views. */
  get supportsArenas(): boolean {
    return this.shared
  }

  /** Whether `data` lives in this kernel's memory, so products can read and write it in place. */
  holds(data: ArrayBufferView): boolean {
    return this.buffers.has(data.buffer)
  }

  /**
   * Reserves `bytes` of this memory for an arena (first fit between regions, else at the top)
   * and returns a view of it as floats. Products never place their scratch there.
   */
  allocateRegion(bytes: number): Float32Array {
    if (!this.supportsArenas) throw new Error('Arena: needs shared WebAssembly memory')
    const size = align64(bytes)
    let start = align64(CONTROL_BYTES)
    let at = 0
    for (; at < this.regions.length; at++) {
      if (this.regions[at][0] - start >= size) break
      start = this.regions[at][1]
    }
    this.reserve(start + size, 'Arena') // before the region is recorded: a failure leaves nothing held
    this.regions.splice(at, 0, [start, start + size])
    return new Float32Array(this.memory.buffer, start, bytes / 4)
  }

  /** Returns a region from `allocateRegion`. */
  releaseRegion(view: Float32Array): void {
    const at = this.regions.findIndex((r) => r[0] === view.byteOffset)
    if (at >= 0 && this.holds(view)) this.regions.splice(at, 1)
  }

  /** Makes the memory at least `bytes` long, then re-creates the views; `op` names the caller in errors. */
  private reserve(bytes: number, op: string): void {
    const have = this.memory.buffer.byteLength
    if (bytes > have) {
      if (bytes > MAX_PAGES * PAGE) throw new RangeError(`${op}: needs ${bytes} bytes of WASM memory, more than the ${MAX_PAGES * PAGE} reserved`)
      this.memory.grow(Math.ceil((bytes - have) / PAGE))
    }
    this.refreshViews()
  }

  /**
   * Makes rows r0..r0+rows-1, columns c0..c0+cols-1 of a row-major matrix (ld floats per row)
   * readable by the kernel, and returns where (bytes) and its row length. A matrix already in
   * this memory is read in place; any other is copied to `dst` with `cols` floats per row (one
   * copy when whole rows are taken).
   */
  private stage(src: Float32Array, offset: number, ld: number, r0: number, rows: number, c0: number, cols: number, dst: number): [number, number] {
    if (this.holds(src)) return [src.byteOffset + 4 * (offset + r0 * ld + c0), ld]
    const at = dst >> 2
    this.bytesCopied += 4 * rows * cols
    if (c0 === 0 && cols === ld) {
      this.heap.set(src.subarray(offset + r0 * ld, offset + (r0 + rows) * ld), at)
    } else {
      for (let r = 0; r < rows; r++) {
        const from = offset + (r0 + r) * ld + c0
        this.heap.set(src.subarray(from, from + cols), at + r * cols)
      }
    }
    return [dst, cols]
  }

  gemm(p: GemmArgs): void {
    if (!this.runBlocks(p, true)) this.runBlocks(p, false)
  }

  /** Returns false if the pool broke during the product (it is then redone on one thread). */
  private runBlocks(p: GemmArgs, allowThreads: boolean): boolean {
    const { m, n, k } = p
    const a = p.a as Float32Array
    const b = p.b as Float32Array
    const c = p.c as Float32Array
    const mr = this.config.mr
    const nr = this.config.nr
    const { mc: MC, nc: NC, kc: KC } = this.blocks
    if (MC % mr !== 0 || NC % nr !== 0) throw new RangeError(`gemm: block sizes must be multiples of the tile ${mr}x${nr}`)
    const mcMax = Math.min(m, MC)
    const ncMax = Math.min(n, NC)
    const kcMax = Math.min(k, KC)
    // Scratch, above every arena: staged A and B, packed A and B, and the C block (padded to
    // whole tiles). C in this memory, with whole tiles per row, is written in place instead.
    const cInPlace = this.holds(c) && n % nr === 0
    const rawA = align64(Math.max(CONTROL_BYTES, this.regions.at(-1)?.[1] ?? 0))
    const rawB = rawA + align64(4 * mcMax * kcMax)
    const ap = rawB + align64(4 * kcMax * ncMax)
    const bp = ap + align64(4 * roundUp(mcMax, mr) * kcMax)
    const cBlock = bp + align64(4 * roundUp(ncMax, nr) * kcMax)
    this.reserve(cBlock + 4 * roundUp(mcMax, mr) * roundUp(ncMax, nr), 'matmul')
    const ctl = this.ctl
    const L = CONTROL
    const pool = allowThreads && this.pool && !this.pool.broken && m * n * k >= this.parallelThreshold ? this.pool : undefined
    let packedB = ''
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc)
      const ldc = cInPlace ? n : roundUp(nc, nr)
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic)
        const panelsM = Math.ceil(mc / mr)
        for (let pc = 0; pc < k; pc += KC) {
          const kc = Math.min(KC, k - pc)
          // Workers must have left the previous job before its parameters are overwritten
          // (also when this product runs on one thread: a worker may still be finishing).
          if (this.pool && !this.pool.broken && !this.pool.prepare()) return false
          const bKey = `${jc},${pc}`
          const packB = packedB !== bKey
          if (packB) {
            const [at, ld] = p.transB ? this.stage(b, p.bOffset, k, jc, nc, pc, kc, rawB) : this.stage(b, p.bOffset, n, pc, kc, jc, nc, rawB)
            ctl[L.rawB] = at; ctl[L.ldb] = ld
            packedB = bKey
          }
          ctl[L.kind] = 0
          ctl[L.transA] = p.transA ? 1 : 0; ctl[L.ap] = ap
          ctl[L.transB] = p.transB ? 1 : 0; ctl[L.bp] = bp; ctl[L.packB] = packB ? 1 : 0
          ctl[L.c] = cInPlace ? c.byteOffset + 4 * (p.cOffset + ic * n + jc) : cBlock
          ctl[L.ldc] = ldc; ctl[L.mc] = mc; ctl[L.nc] = nc; ctl[L.kc] = kc
          ctl[L.panelsM] = panelsM; ctl[L.panelsN] = Math.ceil(nc / nr); ctl[L.accumulate] = pc > 0 ? 1 : 0; ctl[L.mr] = mr
          // Several chunks per thread, so a late thread does not hold the others up.
          const per = pool ? Math.max(1, Math.floor(panelsM / (12 * pool.size))) : panelsM
          // One packing task per thread and operand, so that a packer reads its source once for
          // all the panels of its task. On one thread, one task instead of groups of 8 panels
          // made whole products 1-4% faster (alternating runs in one process; 2 threads: no change).
          const threads = pool ? pool.size : 1
          ctl[L.groupB] = Math.ceil(ctl[L.panelsN] / threads); ctl[L.groupA] = Math.ceil(panelsM / threads)
          ctl[L.chunkPanels] = per
          ctl[L.chunks] = Math.ceil(panelsM / per)
          ctl[L.nextPack] = ctl[L.donePack] = ctl[L.nextChunk] = ctl[L.doneChunk] = 0
          ctl[L.aStaged] = 0
          // With a pool, workers start packing B while this thread copies A in.
          pool?.start()
          const [at, ld] = p.transA ? this.stage(a, p.aOffset, m, pc, kc, ic, mc, rawA) : this.stage(a, p.aOffset, k, ic, mc, pc, kc, rawA)
          ctl[L.rawA] = at; ctl[L.lda] = ld
          Atomics.store(ctl, L.aStaged, 1)
          if (pool) {
            if (!pool.finish(() => runTasks(ctl, this.ex, L))) return false
          } else runTasks(ctl, this.ex, L)
        }
        // Copy the block out: one copy when its rows are whole rows of C.
        if (cInPlace) continue
        const at = cBlock >> 2
        this.bytesCopied += 4 * mc * nc
        if (ldc === n) c.set(this.heap.subarray(at, at + mc * n), p.cOffset + ic * n)
        else for (let r = 0; r < mc; r++) c.set(this.heap.subarray(at + r * ldc, at + r * ldc + nc), p.cOffset + (ic + r) * n + jc)
      }
    }
    return true
  }
}

/** A register tile other than the build's own, for experiments: MR rows and the rows to pin after. */
export interface TileOption {
  mr: number
  pinAfter?: readonly number[]
}

/** Creates the best build this engine supports, or the one asked for. */
export function createWasmGemm(options: { fma?: boolean; tile?: TileOption } = {}): WasmGemm | undefined {
  const f = detectFeatures()
  if (!f.simd) return undefined
  const fma = options.fma ?? f.relaxedSimd
  if (fma && !f.relaxedSimd) throw new Error('setBackend: the FMA kernel needs relaxed SIMD, which this engine does not support')
  return new WasmGemm(options.tile ? tileConfig(options.tile, fma) : fma ? FMA_4X8 : SIMD_5X8, f.threads)
}

function tileConfig(tile: TileOption, fma: boolean): KernelConfig {
  const { mr, pinAfter = [] } = tile
  if (!Number.isInteger(mr) || mr < 1 || mr > 8) throw new RangeError(`createGemmBackend: tile.mr must be an integer from 1 to 8, got ${mr}`)
  const bad = pinAfter.find((r) => !Number.isInteger(r) || r < 0 || r >= mr - 1)
  if (bad !== undefined) throw new RangeError(`createGemmBackend: tile.pinAfter holds rows after which more rows follow (0 to ${mr - 2} for mr = ${mr}), got ${bad}`)
  return { mr, nr: 8, fma, pinAfter }
}

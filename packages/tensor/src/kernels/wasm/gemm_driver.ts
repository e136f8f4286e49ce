/**
 * The GEMM driver: moves operands into WASM memory, cuts the product into blocks and tasks, and
 * copies the result out.
 *
 * Memory: operands in ordinary memory are copied into scratch above the arenas for each product,
 * and the result is copied out (see the package README for the measurement behind this choice);
 * operands in an arena are read in place, and an output there is written in place.
 *
 * Blocking (Goto's scheme, coarse): C is computed in blocks of at most MC x NC, summing over k
 * blocks of at most KC; the products a training step makes fit in one block, so each operand is
 * copied and packed once.
 */
import type { GemmArgs, GemmBackend } from '../types.js'
import { type KernelConfig } from './gemm_kernel.js'
import { align64, type WasmMemory } from './memory.js'
import type { ThreadPool } from './pool.js'
import { CONTROL, runTasks, type KernelExports } from './tasks.js'

/** Block limits in rows, columns and depth. */
export interface Blocks {
  mc: number
  nc: number
  kc: number
}

/** Large enough that the products of a training step are one block each (mc is a multiple of every MR). */
export const DEFAULT_BLOCKS: Blocks = { mc: 1920, nc: 2048, kc: 1024 }

const roundUp = (v: number, m: number): number => Math.ceil(v / m) * m

export class GemmDriver implements GemmBackend {
  /**
   * Products smaller than this (m·n·k, here 100³) stay on one thread: below it, handing work to
   * a worker costs about what it saves (measured crossover between 64³ and 128³; bench/README.md).
   */
  parallelThreshold = 1_000_000
  /** Block limits; tests shrink them to reach every path of the driver with small shapes. */
  blocks: Blocks
  /** Bytes copied into and out of WASM memory so far (operands read in place count nothing). */
  bytesCopied = 0

  constructor(
    readonly name: string,
    private readonly config: KernelConfig,
    private readonly mem: WasmMemory,
    private readonly ex: KernelExports,
    /** The pool, when threads are running and it is not broken. */
    private readonly pool: () => ThreadPool | undefined,
  ) {
    // Row blocks must hold whole panels of MR rows.
    this.blocks = { ...DEFAULT_BLOCKS, mc: DEFAULT_BLOCKS.mc - (DEFAULT_BLOCKS.mc % config.mr) }
  }

  supports(p: GemmArgs): boolean {
    return p.a instanceof Float32Array && p.b instanceof Float32Array && p.c instanceof Float32Array
  }

  gemm(p: GemmArgs): void {
    if (!this.runBlocks(p, true)) this.runBlocks(p, false)
  }

  /**
   * Makes rows r0..r0+rows-1, columns c0..c0+cols-1 of a row-major matrix (ld floats per row)
   * readable by the kernel, and returns where (bytes) and its row length. A matrix already in
   * this memory is read in place; any other is copied to `dst` with `cols` floats per row (one
   * copy when whole rows are taken).
   */
  private stage(src: Float32Array, offset: number, ld: number, r0: number, rows: number, c0: number, cols: number,
    dst: number): [number, number] {
    if (this.mem.holds(src)) return [this.mem.address(src, offset + r0 * ld + c0), ld]
    const at = dst >> 2
    const heap = this.mem.heap
    this.bytesCopied += 4 * rows * cols
    if (c0 === 0 && cols === ld) {
      heap.set(src.subarray(offset + r0 * ld, offset + (r0 + rows) * ld), at)
    } else {
      for (let r = 0; r < rows; r++) {
        const from = offset + (r0 + r) * ld + c0
        heap.set(src.subarray(from, from + cols), at + r * cols)
      }
    }
    return [dst, cols]
  }

  /** Returns false if the pool broke during the product (it is then redone on one thread). */
  private runBlocks(p: GemmArgs, allowThreads: boolean): boolean {
    const { m, n, k } = p
    const a = p.a as Float32Array
    const b = p.b as Float32Array
    const c = p.c as Float32Array
    const { mr, nr } = this.config
    const { mc: MC, nc: NC, kc: KC } = this.blocks
    if (MC % mr !== 0 || NC % nr !== 0) {
      throw new RangeError(`gemm: block sizes must be multiples of the tile ${mr}x${nr}`)
    }
    const mcMax = Math.min(m, MC)
    const ncMax = Math.min(n, NC)
    const kcMax = Math.min(k, KC)
    // Scratch, above every arena: staged A and B, packed A and B, and the C block (padded to
    // whole tiles). C in this memory, with whole tiles per row, is written in place instead.
    const cInPlace = this.mem.holds(c) && n % nr === 0
    const sizes = [4 * mcMax * kcMax, 4 * kcMax * ncMax, 4 * roundUp(mcMax, mr) * kcMax, 4 * roundUp(ncMax, nr) * kcMax]
    const cBlockBytes = 4 * roundUp(mcMax, mr) * roundUp(ncMax, nr)
    const rawA = this.mem.scratch(sizes.reduce((s, v) => s + align64(v), 0) + cBlockBytes, 'matmul')
    const rawB = rawA + align64(sizes[0])
    const ap = rawB + align64(sizes[1])
    const bp = ap + align64(sizes[2])
    const cBlock = bp + align64(sizes[3])
    const ctl = this.mem.ctl
    const L = CONTROL
    const running = this.pool()
    const pool = allowThreads && running && m * n * k >= this.parallelThreshold ? running : undefined
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
          if (running && !running.prepare()) return false
          const bKey = `${jc},${pc}`
          const packB = packedB !== bKey
          if (packB) {
            const [at, ld] = p.transB
              ? this.stage(b, p.bOffset, k, jc, nc, pc, kc, rawB)
              : this.stage(b, p.bOffset, n, pc, kc, jc, nc, rawB)
            ctl[L.rawB] = at; ctl[L.ldb] = ld
            packedB = bKey
          }
          ctl[L.kind] = 0
          ctl[L.transA] = p.transA ? 1 : 0; ctl[L.ap] = ap
          ctl[L.transB] = p.transB ? 1 : 0; ctl[L.bp] = bp; ctl[L.packB] = packB ? 1 : 0
          ctl[L.c] = cInPlace ? this.mem.address(c, p.cOffset + ic * n + jc) : cBlock
          ctl[L.ldc] = ldc; ctl[L.mc] = mc; ctl[L.nc] = nc; ctl[L.kc] = kc
          ctl[L.panelsM] = panelsM; ctl[L.panelsN] = Math.ceil(nc / nr)
          ctl[L.accumulate] = pc > 0 ? 1 : 0; ctl[L.mr] = mr
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
          const [at, ld] = p.transA
            ? this.stage(a, p.aOffset, m, pc, kc, ic, mc, rawA)
            : this.stage(a, p.aOffset, k, ic, mc, pc, kc, rawA)
          ctl[L.rawA] = at; ctl[L.lda] = ld
          Atomics.store(ctl, L.aStaged, 1)
          if (pool) {
            if (!pool.finish(() => runTasks(ctl, this.ex, L))) return false
          } else runTasks(ctl, this.ex, L)
        }
        // Copy the block out: one copy when its rows are whole rows of C.
        if (cInPlace) continue
        const at = cBlock >> 2
        const heap = this.mem.heap
        this.bytesCopied += 4 * mc * nc
        if (ldc === n) c.set(heap.subarray(at, at + mc * n), p.cOffset + ic * n)
        else for (let r = 0; r < mc; r++) c.set(heap.subarray(at + r * ldc, at + r * ldc + nc),
          p.cOffset + (ic + r) * n + jc)
      }
    }
    return true
  }
}

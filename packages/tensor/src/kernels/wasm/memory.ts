/**
 * The WASM memory the kernels work in: its views, the regions that arenas hold, and the scratch
 * above them where a product stages and packs its operands.
 *
 *   [control block | regions of arenas, first fit ... | scratch of the current call]
 *
 * The memory only grows. Views are re-created whenever its buffer changed, so no view is used
 * after `memory.grow` detached it; arenas need shared memory, whose grows detach nothing.
 */
import { CONTROL_BYTES } from './tasks.js'

const PAGE = 65536
/**
 * 1 GiB: the scratch of the largest block (about 48 MiB) plus arenas. Shared memory must
 * declare its maximum; only the pages actually grown are ever allocated.
 */
export const MAX_PAGES = 16384

export const align64 = (bytes: number): number => Math.ceil(bytes / 64) * 64

export class WasmMemory {
  readonly memory: WebAssembly.Memory
  /** Views of the whole memory as floats, and of the control block as ints and floats. */
  heap = new Float32Array(0)
  ctl = new Int32Array(0)
  ctlFloats = new Float32Array(0)
  /** Every buffer object of this memory handed out so far (a grow of shared memory makes a new one). */
  private readonly buffers = new WeakSet<ArrayBufferLike>()
  /** Regions held by arenas, [start, end) in bytes, sorted; scratch lies above them all. */
  private readonly regions: [number, number][] = []

  constructor(shared: boolean) {
    this.memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared })
    this.refresh()
  }

  /**
   * Whether the memory is shared. NOTE: browsers define SharedArrayBuffer only in
   * cross-origin-isolated pages, so the name itself may be missing.
   */
  get shared(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && this.memory.buffer instanceof SharedArrayBuffer
  }

  /** Whether `data` lives in this memory, so kernels can read and write it in place. */
  holds(data: ArrayBufferView): boolean {
    return this.buffers.has(data.buffer)
  }

  /** The byte address of element `at` of a float array in this memory. */
  address(data: Float32Array, at = 0): number {
    return data.byteOffset + 4 * at
  }

  /**
   * Reserves `bytes` for an arena (first fit between regions, else at the top) and returns a view
   * of it as floats. Needs shared memory: a grow of unshared memory would detach the view.
   */
  allocateRegion(bytes: number): Float32Array {
    if (!this.shared) throw new Error('Arena: needs shared WebAssembly memory')
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

  /** A byte address above every region with `bytes` free after it, for one call's scratch. */
  scratch(bytes: number, op: string): number {
    const start = align64(Math.max(CONTROL_BYTES, this.regions.at(-1)?.[1] ?? 0))
    this.reserve(start + bytes, op)
    return start
  }

  /** Makes the memory at least `bytes` long, then re-creates the views; `op` names the caller in errors. */
  private reserve(bytes: number, op: string): void {
    const have = this.memory.buffer.byteLength
    if (bytes > have) {
      if (bytes > MAX_PAGES * PAGE) {
        throw new RangeError(`${op}: needs ${bytes} bytes of WASM memory, more than the ${MAX_PAGES * PAGE} reserved`)
      }
      this.memory.grow(Math.ceil((bytes - have) / PAGE))
    }
    this.refresh()
  }

  private refresh(): void {
    if (this.heap.buffer === this.memory.buffer) return
    this.heap = new Float32Array(this.memory.buffer)
    this.ctl = new Int32Array(this.memory.buffer, 0, CONTROL_BYTES / 4)
    this.ctlFloats = new Float32Array(this.memory.buffer, 0, CONTROL_BYTES / 4)
    this.buffers.add(this.memory.buffer)
  }
}

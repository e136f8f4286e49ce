/**
 * Arenas: float32 storage inside the matrix-product kernel's WASM memory. A product whose
 * operands live there reads them in place, and one whose output lives there (with a multiple
 * of 8 columns) writes it in place, skipping the copies in and out (see the README's memory
 * section for what that saves). The price is manual lifetime: an arena is one block, filled
 * front to back and emptied all at once by `reset`, and nothing in it survives a reset.
 *
 * Typical use is a training step: parameters live in an arena of their own, and the step's
 * temporaries are made inside `withArena(stepArena, ...)` and dropped by `stepArena.reset()`.
 */
import { setFloat32Source } from './dtype.js'
import { checkShape, sizeOf, type Shape } from './shape.js'
import { Tensor } from './tensor.js'
import { selectedBackend } from './kernels/select.js'
import type { WasmGemm } from './kernels/wasm/backend.js'

export class Arena {
  private readonly block: Float32Array
  private readonly owner: WasmGemm | undefined
  private used = 0
  private disposed = false

  /**
   * Reserves `bytes` in the memory of the current WASM kernel (or, without one, in an ordinary
   * buffer: the arena then works the same, without the saving). The second argument is for
   * standalone backends; use their `createArena` instead.
   * @example
   *   const arena = new Arena(64 << 20) // 64 MiB
   */
  constructor(bytes: number, kernel: WasmGemm | undefined = selectedBackend().wasm) {
    if (!Number.isInteger(bytes) || bytes <= 0 || bytes % 4 !== 0) throw new RangeError(`Arena: size must be a positive multiple of 4 bytes, got ${bytes}`)
    this.owner = kernel?.supportsArenas ? kernel : undefined
    this.block = this.owner ? this.owner.allocateRegion(bytes) : new Float32Array(bytes / 4)
  }

  /** Bytes in use. @example arena.usedBytes // 0 after reset() */
  get usedBytes(): number {
    return 4 * this.used
  }

  /** Bytes in all. @example new Arena(1 << 20).capacityBytes // 1048576 */
  get capacityBytes(): number {
    return 4 * this.block.length
  }

  /** Whether products read and write this arena's tensors in place. @example if (!arena.resident) console.warn('arena in ordinary memory') */
  get resident(): boolean {
    return this.owner !== undefined && this.owner === selectedBackend().wasm
  }

  /**
   * `n` zeroed floats from the arena (left as they are with `zeroed: false`), or undefined when
   * it is full.
   * @example
   *   const data = arena.allocate(256)
   */
  allocate(n: number, zeroed = true): Float32Array | undefined {
    if (this.disposed) throw new Error('Arena: used after dispose()')
    // 16-float (64-byte) alignment keeps SIMD loads within cache lines.
    const start = this.used
    const end = start + Math.ceil(n / 16) * 16
    if (end > this.block.length) return undefined
    this.used = end
    const view = this.block.subarray(start, start + n)
    if (zeroed) view.fill(0)
    return view
  }

  /**
   * A zero tensor in the arena (float32).
   * @example
   *   const w = arena.zeros([256, 784])
   */
  zeros(shape: Shape): Tensor {
    const dims = checkShape('Arena.zeros', shape)
    const data = this.allocate(sizeOf(dims))
    if (!data) throw new RangeError(`Arena.zeros: ${sizeOf(dims)} floats do not fit (${this.capacityBytes - this.usedBytes} bytes free)`)
    return new Tensor(data, dims)
  }

  /**
   * A copy of `t` in the arena (float32).
   * @example
   *   const x = arena.copy(batch)
   */
  copy(t: Tensor): Tensor {
    const out = this.zeros(t.shape)
    out.data.set(t.data)
    return out
  }

  /** Empties the arena: every tensor in it becomes invalid. @example arena.reset() */
  reset(): void {
    this.used = 0
  }

  /** Returns the arena's memory to the kernel. @example arena.dispose() */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.owner?.releaseRegion(this.block)
  }
}

/**
 * Runs `fn` with every float32 tensor it creates allocated in `arena` (falling back to ordinary
 * memory if the arena fills up), and restores the previous allocator afterwards, even on error.
 * @example
 *   const loss = withArena(stepArena, () => step(batch)).item()
 *   stepArena.reset()
 */
export function withArena<T>(arena: Arena, fn: () => T): T {
  const previous = setFloat32Source((n, zeroed) => arena.allocate(n, zeroed) ?? new Float32Array(n))
  try {
    return fn()
  } finally {
    setFloat32Source(previous)
  }
}

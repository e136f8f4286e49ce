/**
 * Arenas: float32 storage inside the kernels' WASM memory. Products read arena operands in place
 * and write arena outputs in place, and elementwise work over arena tensors runs as SIMD kernels
 * (kernels/select.ts); the numbers are the same as in ordinary memory, only faster. The price is
 * manual lifetime: an arena is filled front to back and emptied all at once by `reset`, and
 * nothing made in it survives a reset.
 *
 * Two uses, which a training run combines (@latent/nn's placement):
 * - `withArena(arena, fn)`: every float32 tensor that fn creates comes from the arena (a step's
 *   temporaries), to be dropped by `reset()` once the step is over;
 * - `arena.hold(tensors)`: existing tensors (parameters, optimizer state) move into the arena,
 *   values and identity kept, until `dispose()` moves them back to ordinary memory.
 */
import { setFloat32Source } from './dtype.js'
import { selectedBackend } from './kernels/select.js'
import type { WasmRuntime } from './kernels/wasm/runtime.js'
import { checkShape, sizeOf, type Shape } from './shape.js'
import { replaceStorage, Tensor } from './tensor.js'

export interface ArenaOptions {
  /** Add blocks when full (each as large as all before it) instead of refusing: default false. */
  grow?: boolean
}

export class Arena {
  private readonly blocks: Float32Array[] = []
  private readonly runtime: WasmRuntime | undefined
  private readonly held = new Set<Tensor>()
  private block = 0
  private used = 0
  private disposed = false

  /**
   * Reserves `bytes` in the memory of the current WASM runtime (or, without one that has shared
   * memory, in an ordinary buffer: the arena then works the same, without the gain). The runtime
   * argument is for standalone backends; use their `createArena` instead.
   * @example
   *   const arena = new Arena(64 << 20) // 64 MiB
   *   const steps = new Arena(4 << 20, { grow: true })
   */
  constructor(bytes: number, options: ArenaOptions = {}, runtime: WasmRuntime | undefined = selectedBackend().runtime) {
    if (!Number.isInteger(bytes) || bytes <= 0 || bytes % 4 !== 0) {
      throw new RangeError(`Arena: size must be a positive multiple of 4 bytes, got ${bytes}`)
    }
    this.runtime = runtime?.supportsArenas ? runtime : undefined
    this.grows = options.grow ?? false
    this.blocks.push(this.newBlock(bytes / 4))
  }

  private readonly grows: boolean

  private newBlock(floats: number): Float32Array {
    return this.runtime ? this.runtime.memory.allocateRegion(4 * floats) : new Float32Array(floats)
  }

  /** Bytes in use. @example arena.usedBytes // 0 after reset() */
  get usedBytes(): number {
    return 4 * (this.blocks.slice(0, this.block).reduce((s, b) => s + b.length, 0) + this.used)
  }

  /** Bytes in all. @example new Arena(1 << 20).capacityBytes // 1048576 */
  get capacityBytes(): number {
    return 4 * this.blocks.reduce((s, b) => s + b.length, 0)
  }

  /**
   * Whether kernels read and write this arena's tensors in place.
   * @example if (!arena.resident) console.warn('arena in ordinary memory')
   */
  get resident(): boolean {
    return this.runtime !== undefined && this.runtime === selectedBackend().runtime
  }

  /**
   * `n` zeroed floats from the arena (left as they are with `zeroed: false`), or undefined when
   * it is full (and cannot grow).
   * @example
   *   const data = arena.allocate(256)
   */
  allocate(n: number, zeroed = true): Float32Array | undefined {
    if (this.disposed) throw new Error('Arena: used after dispose()')
    // 16-float (64-byte) alignment keeps SIMD loads within cache lines.
    const size = Math.ceil(n / 16) * 16
    while (this.used + size > this.blocks[this.block].length) {
      if (this.block + 1 === this.blocks.length) {
        if (!this.grows) return undefined
        try {
          this.blocks.push(this.newBlock(Math.max(this.capacityBytes / 4, size)))
        } catch {
          return undefined // the memory is at its maximum: the caller falls back to ordinary memory
        }
      }
      this.block++
      this.used = 0
    }
    const view = this.blocks[this.block].subarray(this.used, this.used + n)
    this.used += size
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
    if (!data) {
      throw new RangeError(`Arena.zeros: ${sizeOf(dims)} floats do not fit ` +
        `(${this.capacityBytes - this.usedBytes} bytes free)`)
    }
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

  /**
   * Moves float32 tensors into the arena, values kept, until `dispose()` gives them back: the
   * same Tensor objects, so everything that refers to them (a model, an optimizer) follows.
   * Others (float64), and tensors that do not fit, stay where they are. Views made of a tensor
   * before it moved (a reshape) keep the old storage.
   * @example
   *   run.hold(model.parameters().map((p) => p.data))
   */
  hold(tensors: readonly Tensor[]): void {
    for (const t of tensors) {
      if (t.dtype !== 'float32' || this.held.has(t)) continue
      const data = this.allocate(t.size, false)
      if (!data) continue
      data.set(t.data)
      replaceStorage(t, data)
      this.held.add(t)
    }
  }

  /** Empties the arena: every tensor made in it becomes invalid (held tensors are kept). @example arena.reset() */
  reset(): void {
    if (this.held.size > 0) throw new Error('Arena.reset: the arena holds tensors (hold); dispose() it instead')
    this.block = 0
    this.used = 0
  }

  /** Moves held tensors back to ordinary memory and returns the arena's memory. @example arena.dispose() */
  dispose(): void {
    if (this.disposed) return
    for (const t of this.held) replaceStorage(t, t.data.slice())
    this.held.clear()
    this.disposed = true
    if (this.runtime) for (const b of this.blocks) this.runtime.memory.releaseRegion(b)
  }
}

/**
 * Which memory a tensor's storage is in: 'wasm' (the current WASM runtime's, where kernels read
 * and write it in place: an arena's tensors) or 'js' (ordinary memory). Speed only: the numbers
 * never depend on it.
 * @example memoryOf(withArena(arena, () => zeros([4]))) // 'wasm'
 */
export function memoryOf(t: Tensor): 'wasm' | 'js' {
  return selectedBackend().runtime?.memory.holds(t.data) ? 'wasm' : 'js'
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

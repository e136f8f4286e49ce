/**
 * The Tensor: a flat typed array plus a shape. Storage is always contiguous and row-major, so
 * a reshape is free (same data, new shape) and every kernel is a flat loop.
 */
import { allocate, checkDType, dtypeOf, optionsDType, type DType, type FloatArray } from './dtype.js'
import { checkShape, formatShape, sizeOf, type Shape } from './shape.js'

/** A nested JavaScript array of numbers, such as `[[1, 2], [3, 4]]`. */
export type NestedArray = number | readonly NestedArray[]

/** Gives a tensor other storage of the same length and dtype (arena.ts moves held tensors so). */
let replaceStorage: (t: Tensor, data: FloatArray) => void

export class Tensor {
  /** The storage; only an arena that holds the tensor replaces it (see Arena.hold). */
  #data: FloatArray
  readonly shape: Shape

  static {
    replaceStorage = (t, data) => {
      if (data.length !== t.#data.length || dtypeOf(data) !== t.dtype) {
        throw new RangeError('replaceStorage: length or dtype differs')
      }
      t.#data = data
    }
  }

  /**
   * Wraps `data` (not copied) with a shape. Prefer the creation functions ({@link tensor},
   * {@link zeros}, ...); this constructor is for kernels that fill their own output.
   * @example
   *   const t = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2])
   */
  constructor(data: FloatArray, shape: Shape) {
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new TypeError('Tensor: data must be a Float32Array or a Float64Array')
    }
    const dims = checkShape('Tensor', shape)
    if (sizeOf(dims) !== data.length) {
      throw new RangeError(`Tensor: shape ${formatShape(dims)} needs ${sizeOf(dims)} elements, data has ${data.length}`)
    }
    this.#data = data
    this.shape = Object.freeze(dims)
  }

  /** The values: a flat, contiguous, row-major typed array. @example zeros([2]).data // Float32Array [0, 0] */
  get data(): FloatArray {
    return this.#data
  }

  /** 'float32' or 'float64', from the data's array type. @example zeros([2]).dtype // 'float32' */
  get dtype(): DType {
    return dtypeOf(this.data)
  }

  /** The number of elements. @example zeros([2, 3]).size // 6 */
  get size(): number {
    return this.data.length
  }

  /** The number of axes. @example zeros([2, 3]).rank // 2 */
  get rank(): number {
    return this.shape.length
  }

  /**
   * The value of a one-element tensor.
   * @example
   *   tensor([[3]]).item() // 3
   */
  item(): number {
    if (this.size !== 1) {
      throw new RangeError(`item: tensor of shape ${formatShape(this.shape)} has ${this.size} elements, not 1`)
    }
    return this.data[0]!
  }

  /**
   * The values as nested JavaScript arrays (a number for a scalar).
   * @example
   *   tensor([1, 2, 3, 4], { shape: [2, 2] }).toArray() // [[1, 2], [3, 4]]
   */
  toArray(): NestedArray {
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.rank) return this.data[offset]!
      const n = this.shape[axis]!
      const step = sizeOf(this.shape.slice(axis + 1))
      return Array.from({ length: n }, (_, i) => build(axis + 1, offset + i * step))
    }
    return build(0, 0)
  }

  /**
   * A readable rendering; tensors with more than 6 entries along an axis show the first and
   * last three.
   * @example
   *   String(tensor([[1, 2], [3, 4]])) // 'tensor([[1, 2], [3, 4]], shape=[2, 2], float32)'
   */
  toString(): string {
    const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(5)).toString())
    const render = (axis: number, offset: number): string => {
      if (axis === this.rank) return fmt(this.data[offset]!)
      const n = this.shape[axis]!
      const step = sizeOf(this.shape.slice(axis + 1))
      const shown = n > 6 ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i)
      return `[${shown.map((i) => (i < 0 ? '...' : render(axis + 1, offset + i * step))).join(', ')}]`
    }
    return `tensor(${render(0, 0)}, shape=${formatShape(this.shape)}, ${this.dtype})`
  }
}

export interface CreateOptions {
  dtype?: DType
}

function flatten(values: NestedArray, shape: number[], out: number[], depth: number): void {
  if (typeof values === 'number') {
    if (depth !== shape.length) throw new RangeError('tensor: nested array is ragged')
    out.push(values)
    return
  }
  if (!Array.isArray(values)) throw new TypeError(`tensor: expected numbers or arrays, got ${typeof values}`)
  if (depth === shape.length) {
    if (out.length > 0) throw new RangeError('tensor: nested array is ragged')
    shape.push(values.length)
  } else if (shape[depth] !== values.length) {
    throw new RangeError('tensor: nested array is ragged')
  }
  for (const v of values) flatten(v, shape, out, depth + 1)
}

/**
 * Creates a tensor from nested arrays, or from flat values plus a shape. The values are copied.
 * @example
 *   const a = tensor([[1, 2, 3], [4, 5, 6]])                 // shape [2, 3], float32
 *   const b = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2], dtype: 'float64' })
 */
export function tensor(
  values: NestedArray | ArrayLike<number>,
  options: CreateOptions & { shape?: Shape } = {},
): Tensor {
  const fallback = values instanceof Float64Array ? 'float64' : 'float32'
  const dtype = optionsDType('tensor', options, ['shape', 'dtype'], fallback)
  let flat: ArrayLike<number>
  let shape: number[]
  if (options.shape !== undefined) {
    shape = checkShape('tensor', options.shape)
    flat = typeof values === 'number' ? [values] : (values as ArrayLike<number>)
    if (!(ArrayBuffer.isView(flat) || (Array.isArray(flat) && flat.every((v) => typeof v === 'number')))) {
      throw new TypeError('tensor: with a shape, values must be a flat array of numbers')
    }
    if (flat.length !== sizeOf(shape)) {
      throw new RangeError(`tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${flat.length}`)
    }
  } else if (ArrayBuffer.isView(values)) {
    flat = values as ArrayLike<number>
    shape = [flat.length]
  } else {
    const out: number[] = []
    shape = []
    flatten(values as NestedArray, shape, out, 0)
    flat = out
  }
  const data = allocate(dtype, flat.length)
  data.set(flat)
  return new Tensor(data, shape)
}

/** full, zeros, ones and scalar; `op` names the caller in errors. */
function filled(op: string, shape: Shape, value: number, options: CreateOptions): Tensor {
  const dims = checkShape(op, shape)
  const data = allocate(optionsDType(op, options), sizeOf(dims))
  if (value !== 0) data.fill(value)
  return new Tensor(data, dims)
}

/** A tensor of the given shape filled with `value`. @example full([2, 2], 7) */
export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  return filled('full', shape, value, options)
}

/** A tensor of zeros. @example zeros([3, 4], { dtype: 'float64' }) */
export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return filled('zeros', shape, 0, options)
}

/** A tensor of ones. @example ones([3]) */
export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return filled('ones', shape, 1, options)
}

/** A rank-0 tensor holding one number. @example scalar(2.5).shape // [] */
export function scalar(value: number, options: CreateOptions = {}): Tensor {
  return filled('scalar', [], value, options)
}

/**
 * Evenly spaced values in [start, stop) with the given step, like Python's `range`.
 * @example
 *   arange(4)        // [0, 1, 2, 3]
 *   arange(1, 2, 0.25) // [1, 1.25, 1.5, 1.75]
 */
export function arange(start: number, stop?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (stop === undefined) [start, stop] = [0, start]
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0) {
    throw new RangeError('arange: start, stop and step must be finite and step non-zero, ' +
      `got ${start}, ${stop}, ${step}`)
  }
  const n = Math.max(0, Math.ceil((stop - start) / step))
  const data = allocate(optionsDType('arange', options), n)
  for (let i = 0; i < n; i++) data[i] = start + i * step
  return new Tensor(data, [n])
}

/**
 * `n` evenly spaced values from start to stop, both included.
 * @example
 *   linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, n: number, options: CreateOptions = {}): Tensor {
  checkShape('linspace', [n])
  const data = allocate(optionsDType('linspace', options), n)
  const step = n > 1 ? (stop - start) / (n - 1) : 0
  for (let i = 0; i < n; i++) data[i] = start + i * step
  if (n > 1) data[n - 1] = stop
  return new Tensor(data, [n])
}

/**
 * The identity matrix (n x m, ones on the diagonal).
 * @example
 *   eye(3) // 3x3 identity
 */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  optionsDType('eye', options)
  const t = zeros([n, m], options)
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1
  return t
}

/**
 * A zero-filled tensor with the dtype of `like`, and its shape unless another is given.
 * @example emptyLike(x, [x.shape[0]])
 */
export function emptyLike(like: Tensor, shape: Shape = like.shape): Tensor {
  return new Tensor(allocate(like.dtype, sizeOf(shape)), shape)
}

/**
 * Converts to another dtype (a copy; the same tensor if the dtype already matches).
 * @example
 *   astype(tensor([1, 2]), 'float64').dtype // 'float64'
 */
export function astype(x: Tensor, dtype: DType): Tensor {
  if (checkDType('astype', dtype) === x.dtype) return x
  const data = allocate(dtype, x.size)
  data.set(x.data)
  return new Tensor(data, x.shape)
}

/**
 * A copy with its own storage.
 * @example
 *   const b = clone(a); b.data[0] = 9 // a is unchanged
 */
export function clone(x: Tensor): Tensor {
  const data = allocate(x.dtype, x.size, false)
  data.set(x.data)
  return new Tensor(data, x.shape)
}

export { replaceStorage }

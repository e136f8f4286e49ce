/**
 * Data: minibatches, splits and feature scaling. All randomness comes from the Rng passed in.
 */
import { gather, type Rng, Tensor, allocate, formatShape } from '@latent/tensor'

/**
 * Rows of bytes read as floats: element j of row i is bytes[i·d + j] / divisor, rounded to
 * float32 as an image tensor made by dividing the bytes would be. A data set of 60,000 28x28
 * images takes 47 MB this way instead of 188 as float32; each batch is converted as it is
 * gathered, into the training step's memory, so training on it gives the same bits as training
 * on the float tensor.
 * @example
 *   const images = new ByteRows(pixels, [60000, 784]) // divisor 255: values in [0, 1]
 *   fit(model, images, { epochs: 5, batchSize: 256, optimizer, rng })
 */
export class ByteRows {
  readonly shape: readonly [number, number]

  constructor(readonly bytes: Uint8Array, shape: readonly [number, number], readonly divisor = 255) {
    const [n, d] = shape
    if (!(Number.isInteger(n) && Number.isInteger(d) && n >= 0 && d >= 1) || bytes.length !== n * d) {
      throw new RangeError(`ByteRows: shape ${formatShape(shape)} needs ${n * d} bytes, got ${bytes.length}`)
    }
    if (!(divisor > 0 && Number.isFinite(divisor))) {
      throw new RangeError(`ByteRows: divisor must be > 0, got ${divisor}`)
    }
    this.shape = [n, d]
  }

  /**
   * The rows at `indices` as a float32 tensor [indices.length, d] (in the active arena, if any).
   * @example const batch = images.gather(Int32Array.of(3, 1, 4))
   */
  gather(indices: ArrayLike<number>): Tensor {
    const [n, d] = this.shape
    const out = new Tensor(allocate('float32', indices.length * d, false), [indices.length, d])
    const { bytes, divisor } = this
    for (let t = 0; t < indices.length; t++) {
      const i = indices[t]
      if (!(Number.isInteger(i) && i >= 0 && i < n)) throw new RangeError(`ByteRows: row ${i} out of range [0, ${n})`)
      for (let j = 0, from = i * d, to = t * d; j < d; j++) out.data[to + j] = bytes[from + j] / divisor
    }
    return out
  }

  /**
   * The rows at `indices`, still as bytes.
   * @example const firstHundred = images.subset(Int32Array.from({ length: 100 }, (_, i) => i))
   */
  subset(indices: ArrayLike<number>): ByteRows {
    const [n, d] = this.shape
    const out = new Uint8Array(indices.length * d)
    for (let t = 0; t < indices.length; t++) {
      const i = indices[t]
      if (!(Number.isInteger(i) && i >= 0 && i < n)) throw new RangeError(`ByteRows: row ${i} out of range [0, ${n})`)
      out.set(this.bytes.subarray(i * d, (i + 1) * d), t * d)
    }
    return new ByteRows(out, [indices.length, d], this.divisor)
  }

  /** Every row as a float32 tensor. @example const x = images.toTensor() */
  toTensor(): Tensor {
    return this.gather(Int32Array.from({ length: this.shape[0] }, (_, i) => i))
  }
}

/** Training data: a tensor, or rows of bytes (ByteRows) converted a batch at a time. */
export type Rows = Tensor | ByteRows

/**
 * The rows at `indices` of a tensor or of ByteRows, as a tensor.
 * @example const batch = gatherRows(images, idx)
 */
export function gatherRows(x: Rows, indices: ArrayLike<number>): Tensor {
  return x instanceof ByteRows ? x.gather(indices) : gather(x, indices)
}

export interface BatchOptions {
  batchSize: number
  /** Shuffle with this generator each time the iterator starts (omit for the data's order). */
  rng?: Rng
  /** Drop the last batch if it is smaller than batchSize (default false: it is yielded, smaller). */
  dropLast?: boolean
}

/**
 * Minibatches of rows of one or several tensors with the same number of rows, in a seeded
 * random order. Each batch is an array with one tensor per input.
 * @example
 *   for (const [x, y] of batches([images, labels], { batchSize: 64, rng })) step(x, y)
 */
export function* batches(tensors: readonly Rows[], options: BatchOptions): Generator<Tensor[]> {
  const n = checkRows('batches', tensors)
  for (const idx of shuffledBatches('batches', n, options)) yield tensors.map((t) => gatherRows(t, idx))
}

/**
 * The row indices of each minibatch of `batches`, in the same seeded order, for a caller that
 * gathers the rows itself (for example into an arena).
 * @example
 *   for (const idx of batchIndices(1000, { batchSize: 64, rng })) step(gather(x, idx))
 */
export function batchIndices(rows: number, options: BatchOptions): Generator<Int32Array> {
  return shuffledBatches('batchIndices', rows, options)
}

function* shuffledBatches(op: string, rows: number, options: BatchOptions): Generator<Int32Array> {
  const size = options.batchSize
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`${op}: batchSize must be a positive integer, got ${size}`)
  }
  const order = options.rng ? options.rng.permutation(rows) : Int32Array.from({ length: rows }, (_, i) => i)
  for (let start = 0; start < rows; start += size) {
    const end = Math.min(rows, start + size)
    if (end - start < size && options.dropLast) return
    yield order.subarray(start, end)
  }
}

/** How many batches an epoch has. @example batchCount(1797, 64) // 29 */
export function batchCount(rows: number, batchSize: number, dropLast = false): number {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new RangeError(`batchCount: batchSize must be a positive integer, got ${batchSize}`)
  }
  return dropLast ? Math.floor(rows / batchSize) : Math.ceil(rows / batchSize)
}

function checkRows(op: string, tensors: readonly Rows[]): number {
  if (!Array.isArray(tensors)) throw new TypeError(`${op}: expected an array of tensors, as in [x, y]`)
  if (tensors.length === 0) throw new RangeError(`${op}: no tensors given`)
  const n = tensors[0].shape[0]
  for (const t of tensors) {
    if (t.shape[0] !== n) throw new RangeError(`${op}: tensors have different numbers of rows: ` +
      `${formatShape(tensors[0].shape)} and ${formatShape(t.shape)}`)
  }
  return n
}

/**
 * Splits rows into training and validation sets at random (each tensor split alike).
 * @example
 *   const { train: [xTrain, yTrain], validation: [xVal, yVal] } =
 *     trainValidationSplit([x, y], { validation: 0.2, rng })
 */
export function trainValidationSplit(tensors: readonly Tensor[], options: { validation: number; rng: Rng }):
  { train: Tensor[]; validation: Tensor[]; trainIndices: Int32Array; validationIndices: Int32Array } {
  const n = checkRows('trainValidationSplit', tensors)
  const f = options.validation
  if (!(f > 0 && f < 1)) throw new RangeError(`trainValidationSplit: validation must be a fraction in (0, 1), got ${f}`)
  const order = options.rng.permutation(n)
  const nVal = Math.max(1, Math.round(n * f))
  if (nVal >= n) throw new RangeError(`trainValidationSplit: ${n} rows leave none for training`)
  const validationIndices = order.slice(0, nVal)
  const trainIndices = order.slice(nVal)
  const train = tensors.map((t) => gather(t, trainIndices))
  return { train, validation: tensors.map((t) => gather(t, validationIndices)), trainIndices, validationIndices }
}

/** Per-feature affine scaling x' = (x - offset) / scale, fitted on training data only. */
abstract class Scaler {
  protected offset: Float64Array | undefined
  protected scale: Float64Array | undefined

  protected abstract fitFeature(column: (i: number) => number, n: number): [offset: number, scale: number]

  /**
   * Learns the per-feature parameters from [n, features] training data.
   * @example const scaler = new MinMaxScaler().fit(xTrain)
   */
  fit(x: Tensor): this {
    if (x.rank !== 2 || x.shape[0] === 0) throw new RangeError(`${this.constructor.name}.fit: ` +
      `expected [n, features] with n > 0, got ${formatShape(x.shape)}`)
    const [n, f] = x.shape
    this.offset = new Float64Array(f)
    this.scale = new Float64Array(f)
    for (let j = 0; j < f; j++) {
      const [o, s] = this.fitFeature((i) => x.data[i * f + j], n)
      this.offset[j] = o
      // A constant feature is only shifted (as scikit-learn does), never divided by zero.
      this.scale[j] = s > 0 && Number.isFinite(s) ? s : 1
    }
    return this
  }

  private apply(op: string, x: Tensor, inverse: boolean): Tensor {
    if (!this.offset || !this.scale) throw new Error(`${this.constructor.name}.${op}: call fit() first`)
    const f = this.offset.length
    if (x.rank !== 2 || x.shape[1] !== f) {
      throw new RangeError(`${this.constructor.name}.${op}: expected [n, ${f}], got ${formatShape(x.shape)}`)
    }
    const out = new Tensor(allocate(x.dtype, x.size), x.shape)
    for (let i = 0; i < x.size; i++) {
      const j = i % f
      out.data[i] = inverse ? x.data[i] * this.scale[j] + this.offset[j] : (x.data[i] - this.offset[j]) / this.scale[j]
    }
    return out
  }

  /** Scales new data with the fitted parameters. @example scaler.transform(xTest) */
  transform(x: Tensor): Tensor {
    return this.apply('transform', x, false)
  }

  /** Undoes transform. @example scaler.inverseTransform(reconstruction) */
  inverseTransform(x: Tensor): Tensor {
    return this.apply('inverseTransform', x, true)
  }

  /** fit then transform. @example const xs = scaler.fitTransform(xTrain) */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x)
  }
}

/** Scales each feature to [0, 1] by its training minimum and maximum. @example new MinMaxScaler().fitTransform(x) */
export class MinMaxScaler extends Scaler {
  protected fitFeature(column: (i: number) => number, n: number): [number, number] {
    let lo = Infinity
    let hi = -Infinity
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, column(i))
      hi = Math.max(hi, column(i))
    }
    return [lo, hi - lo]
  }
}

/**
 * Centres each feature and divides by its training standard deviation (population, ddof 0).
 * @example new StandardScaler().fitTransform(x)
 */
export class StandardScaler extends Scaler {
  protected fitFeature(column: (i: number) => number, n: number): [number, number] {
    let mean = 0
    for (let i = 0; i < n; i++) mean += column(i)
    mean /= n
    let v = 0
    for (let i = 0; i < n; i++) v += (column(i) - mean) ** 2
    return [mean, Math.sqrt(v / n)]
  }
}

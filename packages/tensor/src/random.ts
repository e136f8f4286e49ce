/**
 * The one source of randomness: a seeded xoshiro128** generator (Blackman and Vigna,
 * https://prng.di.unimi.it/), passed explicitly to whatever needs it. There is no global
 * generator and Math.random is never used, so the same seed always gives the same result.
 */
import { allocate, checkDType, type DType, optionsDType } from './dtype.js'
import { checkShape, sizeOf, type Shape } from './shape.js'
import { type CreateOptions, Tensor } from './tensor.js'

const TWO_POW_32 = 4294967296

export class Rng {
  private s0 = 0
  private s1 = 0
  private s2 = 0
  private s3 = 0

  /**
   * A generator seeded from an integer. The 128-bit state is filled by splitmix32, so nearby
   * seeds give unrelated streams.
   * @example
   *   const rng = new Rng(42)
   *   rng.uniform([2, 3])
   */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new TypeError(`Rng: seed must be an integer, got ${seed}`)
    let x = seed >>> 0
    const splitmix32 = (): number => {
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.setState([splitmix32(), splitmix32(), splitmix32(), splitmix32()])
  }

  /**
   * The generator's state, four 32-bit integers, for checkpoints.
   * @example
   *   const saved = rng.getState(); rng.next(); rng.setState(saved) // rewinds one draw
   */
  getState(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3]
  }

  /**
   * Restores a state from {@link getState}.
   * @example const s = rng.getState(); rng.float(); rng.setState(s) // the same float again
   */
  setState(state: readonly number[]): void {
    if (state.length !== 4 || !state.every((v) => Number.isInteger(v) && v >= 0 && v < TWO_POW_32)) {
      throw new RangeError('Rng.setState: expected four unsigned 32-bit integers')
    }
    if (state.every((v) => v === 0)) throw new RangeError('Rng.setState: the all-zero state is not allowed')
    ;[this.s0, this.s1, this.s2, this.s3] = state as [number, number, number, number]
  }

  /**
   * A new generator whose stream is independent of this one's (seeded from two draws of this one).
   * @example
   *   const dropoutRng = rng.fork()
   */
  fork(): Rng {
    const child = new Rng(0)
    child.setState([this.next(), this.next(), this.next(), (this.next() | 1) >>> 0])
    return child
  }

  /** The next unsigned 32-bit integer. @example rng.next() // 0 .. 2^32-1 */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    this.s0 >>>= 0
    this.s1 >>>= 0
    this.s2 >>>= 0
    this.s3 >>>= 0
    return result
  }

  /** A float uniformly distributed in [0, 1), with 32 random bits. @example rng.float() */
  float(): number {
    return this.next() / TWO_POW_32
  }

  /** An integer uniformly distributed in [0, n). @example rng.int(6) + 1 // a die */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`)
    }
    // Rejection sampling removes the bias of `next() % n`.
    const limit = TWO_POW_32 - (TWO_POW_32 % n)
    let v: number
    do v = this.next()
    while (v >= limit)
    return v % n
  }

  /**
   * Two independent standard normals by the Box-Muller transform:
   * r = sqrt(-2 ln u1), z0 = r cos(2 pi u2), z1 = r sin(2 pi u2), with u1 in (0, 1].
   * @example const [z0, z1] = rng.normalPair()
   */
  normalPair(): [number, number] {
    const r = Math.sqrt(-2 * Math.log(1 - this.float()))
    const theta = 2 * Math.PI * this.float()
    return [r * Math.cos(theta), r * Math.sin(theta)]
  }

  /**
   * Uniform values in [low, high); the dtype last, as `{ dtype }` (or alone), as for every
   * creation function (`rng.uniform([2], { dtype: 'float64' })` is [0, 1) in float64).
   * @example rng.uniform([3], -1, 1)
   */
  uniform(shape: Shape, low: number | CreateOptions = 0, high: number | CreateOptions = 1,
    dtype?: DType | CreateOptions): Tensor {
    ;[low, high, dtype] = lastOptions('uniform', [low, high], [0, 1], dtype) as [number, number, DType]
    const t = this.alloc('uniform', shape, dtype)
    const d = t.data
    for (let i = 0; i < d.length; i++) d[i] = low + (high - low) * this.float()
    // NOTE: rounding to float32 can turn a value just below `high` into `high`; fold it back.
    if (dtype === 'float32') for (let i = 0; i < d.length; i++) if (d[i]! >= high && high > low) d[i] = low
    return t
  }

  /** Normal values with the given mean and standard deviation (the dtype last). @example rng.normal([2, 2], 0, 0.1) */
  normal(shape: Shape, mean: number | CreateOptions = 0, std: number | CreateOptions = 1,
    dtype?: DType | CreateOptions): Tensor {
    ;[mean, std, dtype] = lastOptions('normal', [mean, std], [0, 1], dtype) as [number, number, DType]
    if (!(std >= 0)) throw new RangeError(`normal: std must be non-negative, got ${std}`)
    const t = this.alloc('normal', shape, dtype)
    const d = t.data
    for (let i = 0; i < d.length; i += 2) {
      const [z0, z1] = this.normalPair()
      d[i] = mean + std * z0
      if (i + 1 < d.length) d[i + 1] = mean + std * z1
    }
    return t
  }

  /** 1 with probability p, else 0. @example rng.bernoulli([4], 0.25) */
  bernoulli(shape: Shape, p: number, dtype?: DType | CreateOptions): Tensor {
    dtype = optionsDType('bernoulli', dtype)
    if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli: p must be in [0, 1], got ${p}`)
    const t = this.alloc('bernoulli', shape, dtype)
    const d = t.data
    for (let i = 0; i < d.length; i++) d[i] = this.float() < p ? 1 : 0
    return t
  }

  /**
   * A uniformly random ordering of 0..n-1 (Fisher-Yates).
   * @example
   *   rng.permutation(5) // e.g. Int32Array [3, 0, 4, 1, 2]
   */
  permutation(n: number): Int32Array {
    checkShape('permutation', [n])
    const p = new Int32Array(n)
    for (let i = 0; i < n; i++) p[i] = i
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = p[i]!
      p[i] = p[j]!
      p[j] = t
    }
    return p
  }

  private alloc(op: string, shape: Shape, dtype: DType): Tensor {
    const dims = checkShape(op, shape)
    return new Tensor(allocate(checkDType(op, dtype), sizeOf(dims)), dims)
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/**
 * The numbers before the options, with their defaults, and the dtype: the options may come in
 * place of any number (`rng.normal(shape, { dtype })`), and a number must be a number.
 */
function lastOptions(op: string, numbers: (number | CreateOptions)[], defaults: number[],
  options: DType | CreateOptions | undefined): [...number[], DType] {
  const at = numbers.findIndex((v) => typeof v !== 'number')
  const given = at < 0 ? options : numbers[at]
  if (at >= 0 && numbers.slice(at + 1).some((v, i) => v !== defaults[at + 1 + i])) {
    throw new TypeError(`${op}: the options ({ dtype }) go last, after the numbers`)
  }
  const values = numbers.map((v, i) => (at >= 0 && i >= at ? defaults[i] : (v as number)))
  for (const [i, v] of values.entries()) {
    if (typeof v !== 'number') throw new TypeError(`${op}: argument ${i + 2} must be a number, got ${typeof v}`)
  }
  return [...values, optionsDType(op, given)]
}

/**
 * Elementwise kernels. Each op is one flat loop written out by hand: a shared loop that
 * called a per-op function for every element would be several times slower once V8 sees many
 * ops through it (measured: 0.4 ms against 3.2 ms for an add of 200k floats). The loop is the
 * reference; each op hands it to the dispatch (kernels/select.ts), which runs it or an equal SIMD
 * kernel, depending on where the tensors live.
 *
 * float32 arithmetic is rounded to float32 after every operation, as hardware float32 (and a
 * composition of separate tensor ops) would round it; float64 is not rounded. An op's result is
 * therefore the same in JavaScript and in SIMD, bit for bit.
 *
 * Binary ops broadcast NumPy-style. Broadcasting is reduced to *runs*: the output is walked in
 * maximal stretches along which each operand either advances by one or stays put (stride 0),
 * so a per-op kernel only ever sees `n` elements with two strides.
 */
import { allocate, rounding, type DType, type FloatArray } from '../dtype.js'
import { elementwiseFor } from '../kernels/select.js'
import type { RunKernel } from '../kernels/types.js'
import { LOG_POLY } from '../kernels/wasm/elementwise_kernel.js'
import { broadcastShapes, broadcastStrides, formatShape, sameShape, sizeOf, type Shape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { broadcastTo } from './shape.js'

/**
 * The tensor an op writes into: `out` if given (checked against the shape and dtype the op
 * produces), else a new one. Kernels overwrite every element of it, which the tests check by
 * passing an `out` filled with NaN.
 * @example const o = outputFor('neg', x.shape, x.dtype, options.out)
 */
export function outputFor(op: string, shape: Shape, dtype: DType, out?: Tensor): Tensor {
  if (out === undefined) return new Tensor(allocate(dtype, sizeOf(shape), false), shape)
  if (!sameShape(out.shape, shape) || out.dtype !== dtype) {
    throw new RangeError(`${op}: out is ${out.dtype} ${formatShape(out.shape)}, ` +
      `expected ${dtype} ${formatShape(shape)}`)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Unary ops

/** y[i] = f(x[i]) for i in [from, to). */
type UnaryKernel = (x: FloatArray, y: FloatArray, from: number, to: number) => void

/** A unary op; `out` (optional) receives the result and may be `x` itself. */
export type UnaryOp = (x: Tensor, out?: Tensor) => Tensor

/** A unary op from its kernel; the dispatch may run a SIMD kernel of the op's name instead. */
function unary(op: string, kernel: UnaryKernel): UnaryOp {
  return (x, out) => {
    const y = outputFor(op, x.shape, x.dtype, out)
    elementwiseFor(x.data, y.data).map(op, [x.data, y.data], [], (from, to) => kernel(x.data, y.data, from, to))
    return y
  }
}

/** -x. @example neg(tensor([1, -2])) // [-1, 2] */
export const neg = unary('neg', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = -x[i] })
/** |x|. @example abs(tensor([-1.5])) // [1.5] */
export const abs = unary('abs', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = Math.abs(x[i]) })
/** e^x. @example exp(tensor([0])) // [1] */
export const exp = unary('exp', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = Math.exp(x[i]) })
/** Natural logarithm. @example log(tensor([1])) // [0] */
export const log = unary('log', (x, y, from, to) => {
  if (y instanceof Float32Array) for (let i = from; i < to; i++) y[i] = log32(x[i])
  else for (let i = from; i < to; i++) y[i] = Math.log(x[i])
})
/** log(1 + x), accurate for small x. @example log1p(tensor([1e-10])) // [1e-10] */
export const log1p = unary('log1p', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = Math.log1p(x[i]) })
/** Square root. @example sqrt(tensor([4])) // [2] */
export const sqrt = unary('sqrt', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = Math.sqrt(x[i]) })
/** x². @example square(tensor([3])) // [9] */
export const square = unary('square', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = x[i] * x[i] })
/** Sine (radians). @example sin(tensor([0])) // [0] */
export const sin = unary('sin', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = Math.sin(x[i]) })
/** Cosine (radians). @example cos(tensor([0])) // [1] */
export const cos = unary('cos', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = Math.cos(x[i]) })
/** Hyperbolic tangent. @example tanh(tensor([0])) // [0] */
export const tanh = unary('tanh', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = Math.tanh(x[i]) })
/** -1, 0 or 1 (NaN stays NaN). @example sign(tensor([-3, 0, 2])) // [-1, 0, 1] */
export const sign = unary('sign', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = Math.sign(x[i]) })
/** max(x, 0). @example relu(tensor([-1, 2])) // [0, 2] */
export const relu = unary('relu', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = x[i] > 0 ? x[i] : 0 })

const f32 = Math.fround
/** Constants of expNonPositive32, as the SIMD kernel holds them: rounded to float32. */
const EXP = {
  log2e: f32(Math.LOG2E), ln2Hi: f32(0.693145751953125), ln2Lo: f32(1.428606765330187e-6),
  c: [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040].map(f32),
}
/** Rounds to the nearest integer, ties to even (f32x4.nearest), for |v| < 2⁵¹. */
const nearest = (v: number): number => v + 6755399441055744 - 6755399441055744

/**
 * e^t for t <= 0 in float32, operation for operation the SIMD kernel's (elementwise_kernel.ts,
 * expNonPositive, which explains each step): t = n ln 2 + r, e^r by a degree-7 polynomial,
 * times 2ⁿ in two halves. Within 2 ulp of e^t.
 */
function expNonPositive32(t: number): number {
  const { log2e, ln2Hi, ln2Lo, c } = EXP
  if (t < -104) t = -104
  const n = nearest(f32(t * log2e))
  const r = f32(f32(t - f32(n * ln2Hi)) - f32(n * ln2Lo))
  const r2 = f32(r * r)
  const pair = (i: number): number => f32(f32(r * c[i + 1]) + c[i])
  const low = f32(pair(0) + f32(r2 * pair(2)))
  const high = f32(pair(4) + f32(r2 * pair(6)))
  const p = f32(low + f32(f32(r2 * r2) * high))
  const half = n >> 1
  return f32(f32(p * 2 ** half) * 2 ** (n - half))
}

const bits = new Int32Array(1)
const asFloat = new Float32Array(bits.buffer)
const LN2_HI = 0.693359375
const LN2_LO = f32(-2.12194440e-4)
const LOG_COEFFICIENTS = LOG_POLY.map(f32)

/**
 * log x in float32, operation for operation the SIMD kernel's (elementwise_kernel.ts,
 * logFunction, which explains each step): Cephes' logf, within about 1 ulp.
 */
function log32(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x) // 0: -∞, negative or NaN: NaN, +∞: +∞
  let e = -126
  if (x < 1.1754943508222875e-38) {
    x = f32(x * 8388608)
    e -= 23
  }
  asFloat[0] = x
  e += bits[0] >>> 23
  bits[0] = (bits[0] & 0x7fffff) | 0x3f000000
  const m = asFloat[0]
  const low = m < f32(0.707106781186547524)
  if (low) e -= 1
  const f = low ? f32(f32(m + m) - 1) : f32(m - 1)
  const z = f32(f * f)
  let p = LOG_COEFFICIENTS[0]
  for (let k = 1; k < LOG_COEFFICIENTS.length; k++) p = f32(f32(p * f) + LOG_COEFFICIENTS[k])
  let y = f32(f32(p * f) * z)
  y = f32(y + f32(e * LN2_LO))
  y = f32(y + f32(-0.5 * z))
  return f32(f32(f + y) + f32(e * LN2_HI))
}

/**
 * The logistic function 1 / (1 + e^-x).
 * NOTE: with e = e^-|x|, which never overflows: 1 / (1 + e) for x >= 0, e / (1 + e) below. In
 * float32, e comes from expNonPositive32, the SIMD kernel's polynomial, so that both agree.
 * @example sigmoid(tensor([0])) // [0.5]
 */
export const sigmoid = unary('sigmoid', (x, y, from, to) => {
  if (y instanceof Float32Array) {
    for (let i = from; i < to; i++) {
      const v = x[i]
      const e = expNonPositive32(-Math.abs(v))
      const s = f32(1 / f32(1 + e))
      y[i] = v >= 0 ? s : e * s
    }
    return
  }
  for (let i = from; i < to; i++) {
    const v = x[i]
    const e = Math.exp(-Math.abs(v))
    y[i] = v >= 0 ? 1 / (1 + e) : e / (1 + e)
  }
})

/**
 * log(1 + e^x).
 * NOTE: computed as max(x, 0) + log1p(e^-|x|), which neither overflows for large x nor loses
 * the tail for very negative x.
 * @example softplus(tensor([0])) // [0.6931]
 */
export const softplus = unary('softplus', (x, y) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]
    y[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)))
  }
})

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(-t²) dt, to float64 accuracy (JavaScript has no Math.erf).
 * For |x| < 3, the series erf(x) = 2/√π e^(-x²) Σₙ 2ⁿ x^(2n+1) / (1·3···(2n+1)), whose terms are all
 * positive (no cancellation); beyond, erfc by its continued fraction (modified Lentz), erf = 1 - erfc.
 * @example erfScalar(1) // 0.842700792949715
 */
export function erfScalar(x: number): number {
  const ax = Math.abs(x)
  if (ax < 3) {
    let term = ax
    let total = ax
    for (let n = 1; n < 200 && term > total * 1e-17; n++) {
      term *= (2 * ax * ax) / (2 * n + 1)
      total += term
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * total
  }
  if (!Number.isFinite(ax)) return Number.isNaN(x) ? NaN : Math.sign(x)
  // erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny = 1e-300
  let f = ax
  let c = ax
  let d = 0
  for (let n = 1; n < 500; n++) {
    const a = n / 2
    d = ax + a * d
    d = Math.abs(d) < tiny ? tiny : d
    c = ax + a / c
    c = Math.abs(c) < tiny ? tiny : c
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  const erfc = Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f)
  return Math.sign(x) * (1 - erfc)
}

/** The error function, elementwise. @example erf(tensor([0, 1])) // [0, 0.8427] */
export const erf = unary('erf', (x, y, from, to) => { for (let i = from; i < to; i++) y[i] = erfScalar(x[i]) })

/** x for x > 0, slope * x otherwise. @example leakyRelu(tensor([-2, 3]), 0.1) // [-0.2, 3] */
export function leakyRelu(x: Tensor, slope = 0.01, out?: Tensor): Tensor {
  const y = outputFor('leakyRelu', x.shape, x.dtype, out)
  const a = x.data
  const b = y.data
  for (let i = 0; i < a.length; i++) b[i] = a[i] > 0 ? a[i] : slope * a[i]
  return y
}

/**
 * Limits values to [min, max] (either bound may be omitted). NaN stays NaN.
 * @example clamp(tensor([-2, 0.5, 3]), 0, 1) // [0, 0.5, 1]
 */
export function clamp(x: Tensor, min = -Infinity, max = Infinity, out?: Tensor): Tensor {
  if (min > max) throw new RangeError(`clamp: min ${min} is greater than max ${max}`)
  const y = outputFor('clamp', x.shape, x.dtype, out)
  const a = x.data
  const b = y.data
  for (let i = 0; i < a.length; i++) {
    const v = a[i]
    b[i] = v < min ? min : v > max ? max : v
  }
  return y
}

// ---------------------------------------------------------------------------------------------
// Binary ops with broadcasting

/** A tensor or a plain number, which acts as a scalar of the other operand's dtype. */
export type TensorLike = Tensor | number

/**
 * Turns number operands into scalars and checks that two tensors share a dtype.
 * @example const [x, s] = promote('mul', x64, 2) // s: a float64 scalar
 */
export function promote(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) {
    if (a.dtype !== b.dtype) {
      throw new TypeError(`${op}: mixed dtypes ${a.dtype} ${formatShape(a.shape)} ` +
        `and ${b.dtype} ${formatShape(b.shape)}; convert one with astype`)
    }
    return [a, b]
  }
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : undefined
  const dtype = like?.dtype ?? 'float32'
  const wrap = (v: TensorLike): Tensor => {
    if (v instanceof Tensor) return v
    if (typeof v !== 'number') throw new TypeError(`${op}: expected a Tensor or a number, got ${typeof v}`)
    const d = allocate(dtype, 1)
    d[0] = v
    return new Tensor(d, [])
  }
  return [wrap(a), wrap(b)]
}

/**
 * Runs `kernel` over the broadcast of a and b. Axes are first coalesced: two neighbouring
 * axes merge when, for both operands, stepping the outer one is the same as running off the
 * end of the inner one. A same-shape op becomes one run; a bias add [B, N] + [N] becomes B
 * runs of N.
 */
function broadcastRuns(op: string, x: TensorLike, y: TensorLike, kernel: RunKernel, into?: Tensor): Tensor {
  const [a, b] = promote(op, x, y)
  const shape = broadcastShapes(op, a.shape, b.shape)
  const out = outputFor(op, shape, a.dtype, into)
  if (out.size === 0) return out
  const sa = broadcastStrides(a.shape, shape)
  const sb = broadcastStrides(b.shape, shape)
  const dims: number[] = []
  const stepA: number[] = []
  const stepB: number[] = []
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue
    const last = dims.length - 1
    if (last >= 0 && stepA[last] === sa[i] * shape[i] && stepB[last] === sb[i] * shape[i]) {
      dims[last] *= shape[i]
      stepA[last] = sa[i]
      stepB[last] = sb[i]
    } else {
      dims.push(shape[i])
      stepA.push(sa[i])
      stepB.push(sb[i])
    }
  }
  const n = dims.pop() ?? 1
  const as = stepA.pop() ?? 0
  const bs = stepB.pop() ?? 0
  const counter = new Array<number>(dims.length).fill(0)
  const runs = out.size / n
  const run = elementwiseFor(a.data, b.data, out.data).runs(op, kernel)
  let ai = 0
  let bi = 0
  for (let r = 0, oi = 0; r < runs; r++, oi += n) {
    run(a.data, ai, as, b.data, bi, bs, out.data, oi, n)
    // Odometer over the outer axes.
    for (let d = dims.length - 1; d >= 0; d--) {
      ai += stepA[d]
      bi += stepB[d]
      if (++counter[d] < dims[d]) break
      ai -= stepA[d] * dims[d]
      bi -= stepB[d] * dims[d]
      counter[d] = 0
    }
  }
  return out
}

/** A broadcasting binary op; `out` (optional) receives the result and may be an operand. */
export type BinaryOp = (a: TensorLike, b: TensorLike, out?: Tensor) => Tensor

/** A binary op from its kernel; the dispatch may run SIMD kernels of the op's name instead. */
function binary(op: string, kernel: RunKernel): BinaryOp {
  return (a, b, out) => broadcastRuns(op, a, b, kernel, out)
}

/** a + b, broadcast. @example add(tensor([[1, 2], [3, 4]]), tensor([10, 20])) // [[11, 22], [13, 24]] */
export const add = binary('add', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] + b[bi]
})
/** a - b, broadcast. @example sub(tensor([3]), 1) // [2] */
export const sub = binary('sub', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] - b[bi]
})
/** a * b, broadcast. @example mul(tensor([1, 2]), 3) // [3, 6] */
export const mul = binary('mul', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] * b[bi]
})
/** a / b, broadcast. @example div(1, tensor([2, 4])) // [0.5, 0.25] */
export const div = binary('div', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] / b[bi]
})
/** a ** b, broadcast. @example pow(tensor([2, 3]), 2) // [4, 9] */
export const pow = binary('pow', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = Math.pow(a[ai], b[bi])
})
/** The larger of a and b (NaN if either is NaN). @example maximum(tensor([1, 5]), 3) // [3, 5] */
export const maximum = binary('maximum', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = Math.max(a[ai], b[bi])
})
/** The smaller of a and b (NaN if either is NaN). @example minimum(tensor([1, 5]), 3) // [1, 3] */
export const minimum = binary('minimum', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = Math.min(a[ai], b[bi])
})

/** 1 where a == b, else 0. @example equal(tensor([1, 2]), 2) // [0, 1] */
export const equal = binary('equal', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] === b[bi] ? 1 : 0
})
/** 1 where a != b, else 0. @example notEqual(tensor([1, 2]), 2) // [1, 0] */
export const notEqual = binary('notEqual', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] !== b[bi] ? 1 : 0
})
/** 1 where a < b, else 0. @example less(tensor([1, 2]), 2) // [1, 0] */
export const less = binary('less', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] < b[bi] ? 1 : 0
})
/** 1 where a <= b, else 0. @example lessEqual(tensor([1, 2]), 2) // [1, 1] */
export const lessEqual = binary('lessEqual', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] <= b[bi] ? 1 : 0
})
/** 1 where a > b, else 0. @example greater(tensor([1, 2]), 1) // [0, 1] */
export const greater = binary('greater', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] > b[bi] ? 1 : 0
})
/**
 * The backward pass of relu: g where x > 0, else 0 (relu'(0) = 0, as in PyTorch), in one pass.
 * @example reluGrad(tensor([5, 5]), tensor([-1, 2])) // [0, 5]
 */
export const reluGrad = binary('reluGrad', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = b[bi] > 0 ? a[ai] : 0
})
/**
 * The backward pass of sigmoid from its output y = σ(z): g·y·(1 - y), in one pass.
 * @example sigmoidGrad(tensor([2]), tensor([0.5])) // [0.5]
 */
export const sigmoidGrad = binary('sigmoidGrad', (a, ai, as, b, bi, bs, o, oi, n) => {
  const r = rounding(o instanceof Float32Array ? 'float32' : 'float64')
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] * r(b[bi] * r(1 - b[bi]))
})
/**
 * The backward pass of squaredDistance(a, b) for its cotangent g (a scalar): 2g·(a - b), in one
 * pass, rounded as the composed backward of sum(square(sub(a, b))) rounds it (t = g·(a - b),
 * then t + t), so the two agree exactly. Swap a and b for b's gradient.
 * @example squaredDistanceGrad(scalar(0.5), tensor([3]), tensor([1])) // [2]
 */
export function squaredDistanceGrad(g: Tensor, a: Tensor, b: Tensor, out?: Tensor): Tensor {
  if (g.size !== 1) {
    throw new RangeError(`squaredDistanceGrad: g must hold one value, got shape ${formatShape(g.shape)}`)
  }
  if (!sameShape(a.shape, b.shape)) {
    throw new RangeError(`squaredDistanceGrad: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ`)
  }
  if (a.dtype !== b.dtype || g.dtype !== a.dtype) {
    throw new TypeError(`squaredDistanceGrad: mixed dtypes ${g.dtype}, ${a.dtype} and ${b.dtype}`)
  }
  const o = outputFor('squaredDistanceGrad', a.shape, a.dtype, out)
  const [x, y, r] = [a.data, b.data, o.data]
  const round = rounding(a.dtype)
  const gv = round(g.data[0])
  elementwiseFor(x, y, r).map('squared_difference_grad', [x, y, r], [gv], (from, to) => {
    for (let i = from; i < to; i++) {
      const t = round(gv * round(x[i] - y[i]))
      r[i] = t + t
    }
  })
  return o
}
/** 1 where a >= b, else 0. @example greaterEqual(tensor([1, 2]), 2) // [0, 1] */
export const greaterEqual = binary('greaterEqual', (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += as, bi += bs) o[oi + k] = a[ai] >= b[bi] ? 1 : 0
})

/**
 * Picks a where cond is non-zero and b elsewhere; all three broadcast together.
 * @example where(tensor([1, 0]), tensor([1, 2]), 9) // [1, 9]
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike, out?: Tensor): Tensor {
  const [x, y] = promote('where', a, b)
  const shape = broadcastShapes('where', cond.shape, x.shape, y.shape)
  const c = broadcastTo(cond, shape).data
  const xd = broadcastTo(x, shape).data
  const yd = broadcastTo(y, shape).data
  const result = outputFor('where', shape, x.dtype, out)
  const o = result.data
  for (let i = 0; i < o.length; i++) o[i] = c[i] !== 0 ? xd[i] : yd[i]
  return result
}

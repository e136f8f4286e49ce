/**
 * What users call: the primitives behind a friendlier face (numbers and Tensors accepted,
 * NumPy broadcasting, options by keyword), and the composite functions, which are written with
 * them and so need no derivative of their own.
 *
 * Broadcasting: a binary function computes the output shape and expands each operand that
 * needs a gradient to it (an `expand` node, whose VJP sums the gradient back). Operands that need
 * no gradient are left for the kernel to broadcast, which saves a copy.
 */
import * as T from '@latent/tensor'
import { sameShape, type Shape, type Tensor } from '@latent/tensor'
import { apply, PRIMITIVES as P, type GatherParams, type PadParams } from './ops.js'
import { isGradEnabled, lift, liftPair, Value, type Input } from './value.js'

export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all when omitted. */
  axis?: number | readonly number[]
  /** Keep reduced axes with size 1. */
  keepdims?: boolean
}

export interface MatmulOptions {
  transposeA?: boolean
  transposeB?: boolean
}

/** Expands `v` to `shape` if a gradient will have to be summed back; constants broadcast in the kernel. */
function toShape(v: Value, shape: Shape): Value {
  return v.requiresGrad && isGradEnabled() && !sameShape(v.shape, shape) ? expand(v, shape) : v
}

function binary(name: 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum', x: Input, y: Input): Value {
  const [a, b] = liftPair(name, x, y)
  const shape = T.broadcastShapes(name, a.shape, b.shape)
  return apply(P[name], [toShape(a, shape), toShape(b, shape)], undefined)
}

type UnaryName = 'neg' | 'exp' | 'log' | 'log1p' | 'sqrt' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'softplus' | 'relu'
  | 'erf'
const unary = (name: UnaryName) =>
  (x: Input): Value => apply(P[name], [lift(x)], undefined)

// ---- elementwise
/** -x. @example neg(x) */
export const neg = unary('neg')
/** e^x. @example exp(x) */
export const exp = unary('exp')
/** Natural logarithm. @example log(x) */
export const log = unary('log')
/** log(1 + x), accurate near 0. @example log1p(x) */
export const log1p = unary('log1p')
/** √x. @example sqrt(x) */
export const sqrt = unary('sqrt')
/** Sine (radians). @example sin(x) */
export const sin = unary('sin')
/** Cosine (radians). @example cos(x) */
export const cos = unary('cos')
/** Hyperbolic tangent. @example tanh(x) */
export const tanh = unary('tanh')
/** The logistic function, stable for large |x|. @example sigmoid(x) */
export const sigmoid = unary('sigmoid')
/** log(1 + e^x), stable. @example softplus(x) */
export const softplus = unary('softplus')
/** max(x, 0); its derivative at 0 is 0. @example relu(x) */
export const relu = unary('relu')
/** The error function. @example erf(x) */
export const erf = unary('erf')

/** a + b, broadcast. @example add(x, bias) */
export function add(a: Input, b: Input): Value { return binary('add', a, b) }
/** a - b, broadcast. @example sub(prediction, target) */
export function sub(a: Input, b: Input): Value { return binary('sub', a, b) }
/** a · b elementwise, broadcast. @example mul(x, 0.5) */
export function mul(a: Input, b: Input): Value { return binary('mul', a, b) }
/** a / b, broadcast. @example div(x, n) */
export function div(a: Input, b: Input): Value { return binary('div', a, b) }
/** a ** b, broadcast. @example pow(x, 3) */
export function pow(a: Input, b: Input): Value { return binary('pow', a, b) }
/** The larger of a and b; at ties each gets half the gradient (as in PyTorch). @example maximum(x, 0) */
export function maximum(a: Input, b: Input): Value { return binary('maximum', a, b) }
/** The smaller of a and b; ties share the gradient like maximum. @example minimum(x, 1) */
export function minimum(a: Input, b: Input): Value { return neg(maximum(neg(a), neg(b))) }

/** x². @example square(x) */
export function square(x: Input): Value { const v = lift(x); return mul(v, v) }
/** |x| = x·sign(x); its derivative at 0 is 0 (as in PyTorch). @example abs(x) */
export function abs(x: Input): Value { const v = lift(x); return mul(v, T.sign(v.data)) }
/** x for x > 0, slope·x otherwise (derivative at 0: slope, as in PyTorch). @example leakyRelu(x, 0.01) */
export function leakyRelu(x: Input, slope = 0.01): Value {
  const v = lift(x)
  return where(T.greater(v.data, 0), v, mul(v, slope))
}

/**
 * Limits x to [min, max]; the gradient passes where min <= x <= max (PyTorch's convention).
 * @example clamp(p, 1e-7, 1 - 1e-7)
 */
export function clamp(x: Input, min = -Infinity, max = Infinity): Value {
  const v = lift(x)
  if (min > max) throw new RangeError(`clamp: min ${min} is greater than max ${max}`)
  return where(T.less(v.data, min), min, where(T.greater(v.data, max), max, v))
}

/**
 * a where cond is non-zero, b elsewhere, broadcast; cond carries no gradient.
 * @example where(T.greater(x.data, 0), x, 0)
 */
export function where(cond: Tensor | Value, a: Input, b: Input): Value {
  const c = cond instanceof Value ? cond.data : cond
  const [x, y] = liftPair('where', a, b)
  const shape = T.broadcastShapes('where', c.shape, x.shape, y.shape)
  return apply(P.where, [toShape(x, shape), toShape(y, shape)], T.broadcastTo(c, shape))
}

// ---- constants: comparisons and other functions without a gradient
const constantOf = (t: Tensor): Value => new Value(t)
/** 1 where a > b, else 0; a constant. @example greater(x, 0) */
export function greater(a: Input, b: Input): Value {
  const [x, y] = liftPair('greater', a, b)
  return constantOf(T.greater(x.data, y.data))
}
/** 1 where a < b, else 0; a constant. @example less(x, 0) */
export function less(a: Input, b: Input): Value {
  const [x, y] = liftPair('less', a, b)
  return constantOf(T.less(x.data, y.data))
}
/** 1 where a == b, else 0; a constant. @example equal(labels, predictions) */
export function equal(a: Input, b: Input): Value {
  const [x, y] = liftPair('equal', a, b)
  return constantOf(T.equal(x.data, y.data))
}
/** -1, 0 or 1; a constant. @example sign(x) */
export function sign(x: Input): Value { return constantOf(T.sign(lift(x).data)) }
/** Index of the maximum along an axis; a constant. @example argmax(logits, { axis: 1 }) */
export function argmax(x: Input, options: { axis?: number; keepdims?: boolean } = {}): Value {
  return constantOf(T.argmax(lift(x).data, options))
}

/**
 * The same value with no gradient flowing back (a constant).
 * @example stopGradient(runningMean)
 */
export function stopGradient(x: Input): Value { return new Value(lift(x).data) }

// ---- reductions
/** Sum over axes. @example sum(x, { axis: 1, keepdims: true }) */
export function sum(x: Input, options: ReduceOptions = {}): Value {
  return apply(P.sum, [lift(x)], { axis: options.axis, keepdims: options.keepdims ?? false })
}

/**
 * Σ (x - y)² over every element of two tensors of one shape, a scalar: sum(square(sub(x, y)))
 * with the same numbers, fused (one pass each way; the MSE loss uses it).
 * @example squaredDistance(reconstruction, x)
 */
export function squaredDistance(x: Input, y: Input): Value {
  // T.squaredDistance (the forward, run at once) rejects operands of different shapes.
  return apply(P.squaredDistance, [lift(x), lift(y)], undefined)
}

/** Mean over axes. @example mean(square(sub(y, t))) */
export function mean(x: Input, options: ReduceOptions = {}): Value {
  const v = lift(x)
  const s = sum(v, options)
  return div(s, v.size / Math.max(1, s.size))
}

/** Maximum over axes; ties share the gradient evenly. @example max(x, { axis: -1 }) */
export function max(x: Input, options: ReduceOptions = {}): Value {
  return apply(P.max, [lift(x)], { axis: options.axis, keepdims: options.keepdims ?? false })
}

/** Minimum over axes. @example min(x) */
export function min(x: Input, options: ReduceOptions = {}): Value {
  return neg(max(neg(x), options))
}

/**
 * Variance over axes: sum((x - mean)²) / (n - correction); correction 1 (PyTorch's default) is
 * the unbiased estimator. @example variance(x, { axis: 0, correction: 0 })
 */
export function variance(x: Input, options: ReduceOptions & { correction?: number } = {}): Value {
  const v = lift(x)
  const s = sum(square(sub(v, mean(v, { axis: options.axis, keepdims: true }))), options)
  return div(s, Math.max(v.size / Math.max(1, s.size) - (options.correction ?? 1), 0))
}

/**
 * log Σ exp(x) over axes.
 * NOTE: computed as m + log Σ exp(x - m) with m the maximum held constant: exact (the gradient
 * is softmax(x) whatever m is) and free of overflow.
 * @example logSumExp(logits, { axis: 1 })
 */
export function logSumExp(x: Input, options: ReduceOptions = {}): Value {
  const v = lift(x)
  const m = T.max(v.data, { axis: options.axis, keepdims: true })
  for (let i = 0; i < m.data.length; i++) if (!Number.isFinite(m.data[i])) m.data[i] = 0
  const s = log(sum(exp(sub(v, m)), { axis: options.axis, keepdims: true }))
  const out = add(s, m)
  return options.keepdims ? out : reshape(out, T.sum(m, { axis: options.axis }).shape)
}

/** x - max(x) along an axis, the max held constant (it cancels from softmax and its gradient). */
function shiftByMax(v: Value, axis: number): Value {
  const m = T.max(v.data, { axis, keepdims: true })
  for (let i = 0; i < m.data.length; i++) if (!Number.isFinite(m.data[i])) m.data[i] = 0
  return sub(v, m)
}

/**
 * exp(x) / Σ exp(x) along an axis.
 * NOTE: computed from x - max(x), so no exponential overflows and large inputs keep their digits.
 * @example softmax(logits, 1)
 */
export function softmax(x: Input, axis = -1): Value {
  const e = exp(shiftByMax(lift(x), axis))
  return div(e, sum(e, { axis, keepdims: true }))
}

/**
 * x - logSumExp(x) along an axis, as (x - m) - log Σ exp(x - m) with m the maximum.
 * @example logSoftmax(logits, 1)
 */
export function logSoftmax(x: Input, axis = -1): Value {
  const s = shiftByMax(lift(x), axis)
  return sub(s, log(sum(exp(s), { axis, keepdims: true })))
}

// ---- shape
/** The same elements in a new shape (-1 is inferred). @example reshape(x, [batch, -1]) */
export function reshape(x: Input, shape: Shape): Value {
  const v = lift(x)
  const target = T.reshape(v.data, shape).shape // checks and infers -1
  return sameShape(target, v.shape) ? v : apply(P.reshape, [v], target)
}

/** Reorders axes. @example permute(x, [1, 0, 2]) */
export function permute(x: Input, axes: readonly number[]): Value {
  const v = lift(x)
  return apply(P.permute, [v], axes.map((a) => (a < 0 ? a + v.shape.length : a)))
}

/** Swaps two axes (the last two by default). @example transpose(w) */
export function transpose(x: Input, axis0 = -2, axis1 = -1): Value {
  const v = lift(x)
  const rank = v.shape.length
  const perm = [...Array(rank).keys()]
  const a = axis0 < 0 ? axis0 + rank : axis0
  const b = axis1 < 0 ? axis1 + rank : axis1
  if (a < 0 || b < 0 || a >= rank || b >= rank) {
    throw new RangeError(`transpose: axes ${axis0}, ${axis1} are out of range for rank ${rank}`)
  }
  ;[perm[a], perm[b]] = [perm[b], perm[a]]
  return permute(v, perm)
}

/** Broadcasts to a shape (the VJP sums back). @example expand(bias, [batch, n]) */
export function expand(x: Input, shape: Shape): Value {
  const v = lift(x)
  if (!sameShape(T.broadcastShapes('expand', v.shape, shape), shape)) {
    throw new RangeError(`expand: cannot broadcast ${T.formatShape(v.shape)} to ${T.formatShape(shape)}`)
  }
  return sameShape(v.shape, shape) ? v : apply(P.expand, [v], [...shape])
}

/** Removes size-1 axes. @example squeeze(x, 1) */
export function squeeze(x: Input, axes?: number | readonly number[]): Value {
  const v = lift(x)
  return reshape(v, T.squeeze(v.data, axes).shape)
}

/** Inserts a size-1 axis. @example unsqueeze(x, 0) */
export function unsqueeze(x: Input, axis: number): Value {
  const v = lift(x)
  return reshape(v, T.unsqueeze(v.data, axis).shape)
}

/** Elements start..end-1 along an axis (Python's bounds). @example slice(x, 1, 0, 32) */
export function slice(x: Input, axis: number, start: number, end = Infinity): Value {
  const v = lift(x)
  const rank = v.shape.length
  const a = axis < 0 ? axis + rank : axis
  if (a < 0 || a >= rank) throw new RangeError(`slice: axis ${axis} is out of range for rank ${rank}`)
  const n = v.shape[a]
  const clampIndex = (i: number): number => Math.min(n, Math.max(0, i < 0 ? i + n : i))
  const s = clampIndex(start)
  const e = Math.max(s, clampIndex(end === Infinity ? n : end))
  return apply(P.slice, [v], { axis: a, start: s, end: e })
}

/** Zeros before and after along an axis. @example pad(x, 0, 1, 1) */
export function pad(x: Input, options: PadParams): Value {
  return apply(P.pad, [lift(x)], options)
}

/** Joins along an axis. @example concat([a, b], 1) */
export function concat(xs: readonly Input[], axis = 0): Value {
  if (xs.length === 0) throw new RangeError('concat: needs at least one value')
  const vs = xs.map((x) => lift(x))
  const rank = vs[0].shape.length
  return apply(P.concat, vs, axis < 0 ? axis + rank : axis)
}

/** Joins along a new axis. @example stack([a, b]) */
export function stack(xs: readonly Input[], axis = 0): Value {
  const vs = xs.map((x) => lift(x))
  const rank = (vs[0]?.shape.length ?? 0) + 1
  const a = axis < 0 ? axis + rank : axis
  return concat(vs.map((v) => unsqueeze(v, a)), a)
}

/** Splits along an axis into equal parts or parts of given sizes. @example split(h, 2, 1) */
export function split(x: Input, sections: number | readonly number[], axis = 0): Value[] {
  const v = lift(x)
  const rank = v.shape.length
  const a = axis < 0 ? axis + rank : axis
  const sizes = T.split(T.zeros(v.shape), sections, a).map((t) => t.shape[a])
  let at = 0
  return sizes.map((s) => slice(v, a, at, (at += s)))
}

/** Entries along an axis by index (rows by default). @example gather(x, batchIndices) */
export function gather(x: Input, indices: ArrayLike<number>, axis = 0): Value {
  const v = lift(x)
  const rank = v.shape.length
  const a = axis < 0 ? axis + rank : axis
  return apply(P.gather, [v], { indices, axis: a, size: v.shape[a] })
}

/** The adjoint of gather: adds rows into a zero tensor with `size` rows. @example scatterAdd(g, p) */
export function scatterAdd(x: Input, params: GatherParams): Value {
  return apply(P.scatterAdd, [lift(x)], params)
}

// ---- products
/**
 * op(a)·op(b) for 2-D or batched 3-D operands (a 2-D operand is shared by the batch).
 * @example matmul(x, w, { transposeB: true }) // x·wᵀ
 */
export function matmul(x: Input, y: Input, options: MatmulOptions = {}): Value {
  const [a, b] = liftPair('matmul', x, y)
  const transposeA = options.transposeA ?? false
  const transposeB = options.transposeB ?? false
  const ra = a.shape.length
  const rb = b.shape.length
  if (ra === 3 && rb === 2 && !transposeA) {
    // A stack of row-major matrices times one matrix is one tall product.
    const [batch, m] = a.shape
    const c = apply(P.matmul, [reshape(a, [batch * m, a.shape[2]]), b], { transposeA, transposeB })
    return reshape(c, [batch, m, c.shape[1]])
  }
  if (ra !== rb && (ra === 2 || rb === 2) && ra >= 2 && rb >= 2) {
    // Share the 2-D operand across the batch; expand's VJP sums its gradient over the batch.
    const batch = (ra === 3 ? a : b).shape[0]
    const a3 = ra === 2 ? expand(a, [batch, ...a.shape]) : a
    const b3 = rb === 2 ? expand(b, [batch, ...b.shape]) : b
    return apply(P.matmul, [a3, b3], { transposeA, transposeB })
  }
  return apply(P.matmul, [a, b], { transposeA, transposeB })
}

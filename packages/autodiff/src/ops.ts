/**
 * The primitives: every differentiable operation that has a derivative of its own, in one
 * table. Each is defined once, its forward computation (on Tensors) beside its vector-Jacobian
 * products (on Values), one per input. A VJP receives the cotangent `g` of the output and returns
 * the cotangent of one input; it is called only for inputs that require a gradient.
 *
 * VJPs are written with the same differentiable functions users call (functions.ts), so when
 * backward records (createGraph) the gradient is itself a graph and can be differentiated
 * again. Everything not in this table (mean, square, softmax, losses, ...) is composed of these
 * and needs no derivative of its own.
 *
 * Broadcasting never reaches a primitive: functions.ts expands operands to a common shape first,
 * so `expand` is the only primitive whose VJP sums over axes.
 */
import * as T from '@latent/tensor'
import { formatShape, type Shape, type Tensor } from '@latent/tensor'
import { isAnomalyDetectionEnabled, isGradEnabled, Value } from './value.js'
import * as F from './functions.js'

/**
 * g: cotangent of the output; inputs: the primitive's inputs; out: its output; p: its
 * parameters; i: which input (only variadic primitives need it).
 */
export type Vjp<P> = (g: Value, inputs: readonly Value[], out: Value, p: P, i: number) => Value

export interface Primitive<P = any> {
  readonly name: string
  forward(inputs: readonly Tensor[], params: P): Tensor
  /** One VJP per input; a variadic primitive (concat) has one VJP for all of them. */
  readonly vjp: readonly Vjp<P>[]
  readonly variadic?: boolean
}

/** Declares a primitive; the name is the key it has in PRIMITIVES. */
function primitive<P = undefined>(name: string, forward: (inputs: readonly Tensor[], params: P) => Tensor,
  ...vjp: Vjp<P>[]): Primitive<P> {
  return { name, forward, vjp }
}

/** The VJP of input i of a primitive. */
export function vjpOf<P>(prim: Primitive<P>, i: number): Vjp<P> {
  return prim.variadic ? prim.vjp[0] : prim.vjp[i]
}

/** A constant Value, for masks and other factors that have no derivative. */
const constant = (t: Tensor): Value => new Value(t)

export interface AxesParams { axis?: number | readonly number[]; keepdims?: boolean }
export interface MatmulParams { transposeA?: boolean; transposeB?: boolean }
export interface SliceParams { axis: number; start: number; end: number }
export interface PadParams { axis: number; before: number; after: number }
export interface GatherParams { indices: ArrayLike<number>; axis: number; size: number }
/** A convolution window (kernel, stride, padding) over images of `shape` [N, C, H, W]. */
export interface WindowParams extends T.Window2d { shape: Shape }

/** The shape a reduced tensor has with its reduced axes kept as 1: what `g` must be reshaped to. */
function keptShape(x: Value, p: AxesParams): number[] {
  const rank = x.shape.length
  const axes = p.axis === undefined ? [...Array(rank).keys()]
    : (typeof p.axis === 'number' ? [p.axis] : p.axis).map((a) => (a < 0 ? a + rank : a))
  return x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
}

// Convolution windows: the rows of receptive fields, and their adjoint (conv.ts composes
// convolutions, transposed convolutions and pooling from these and matmul). Both maps are linear,
// so each one's VJP is the other; padded positions get no gradient.
const im2col: Primitive<WindowParams> = primitive('im2col', ([x], p) => T.im2col(x, p),
  (g, _, __, p) => apply(col2im, [g], p))
const col2im: Primitive<WindowParams> = primitive('col2im', ([x], p) => T.col2im(x, p.shape, p),
  (g, _, __, p) => apply(im2col, [g], { ...p, padValue: 0 }))

/**
 * Every primitive, by name: its forward (on tensors) and its VJP (on values, so that it can be
 * differentiated again). The functions in functions.ts call them through `apply`.
 * @example apply(PRIMITIVES.exp, [x], undefined)
 */
export const PRIMITIVES = {
  // ---- elementwise, one input
  neg: primitive('neg', ([x]) => T.neg(x),
    (g) => F.neg(g)), // d(-x) = -dx
  exp: primitive('exp', ([x]) => T.exp(x),
    (g, _, y) => F.mul(g, y)), // d e^x = e^x dx
  log: primitive('log', ([x]) => T.log(x),
    (g, [x]) => F.div(g, x)), // d log x = dx / x
  // NOTE: a primitive rather than log(1 + x), which loses every digit of x below 1e-16.
  log1p: primitive('log1p', ([x]) => T.log1p(x),
    (g, [x]) => F.div(g, F.add(x, 1))), // d log(1 + x) = dx / (1 + x)
  sqrt: primitive('sqrt', ([x]) => T.sqrt(x),
    (g, _, y) => F.div(g, F.mul(y, 2))), // d √x = dx / (2√x)
  sin: primitive('sin', ([x]) => T.sin(x),
    (g, [x]) => F.mul(g, F.cos(x))), // d sin x = cos x dx
  cos: primitive('cos', ([x]) => T.cos(x),
    (g, [x]) => F.neg(F.mul(g, F.sin(x)))), // d cos x = -sin x dx
  tanh: primitive('tanh', ([x]) => T.tanh(x),
    (g, _, y) => F.mul(g, F.sub(1, F.square(y)))), // d tanh x = (1 - tanh² x) dx
  // NOTE: a primitive because its stable forward (two branches) has a simple derivative.
  // When the backward pass is not recorded, the VJPs of sigmoid and relu are one fused pass.
  sigmoid: primitive('sigmoid', ([x]) => T.sigmoid(x),
    // dσ = σ(1 - σ) dx
    (g, _, y) => isGradEnabled() ? F.mul(g, F.mul(y, F.sub(1, y))) : constant(T.sigmoidGrad(g.data, y.data))),
  // NOTE: a primitive: composed as max(x, 0) + log1p(e^-|x|) its derivative at 0 would be 0, not ½.
  softplus: primitive('softplus', ([x]) => T.softplus(x),
    (g, [x]) => F.mul(g, F.sigmoid(x))), // d log(1 + e^x) = σ(x) dx
  erf: primitive('erf', ([x]) => T.erf(x),
    (g, [x]) => F.mul(g, F.mul(F.exp(F.neg(F.square(x))), 2 / Math.sqrt(Math.PI)))), // d erf x = 2/√π e^(-x²) dx
  relu: primitive('relu', ([x]) => T.relu(x),
    // d relu = [x > 0] dx; relu'(0) = 0 as in PyTorch
    (g, [x]) => isGradEnabled() ? F.mul(g, constant(T.greater(x.data, 0))) : constant(T.reluGrad(g.data, x.data))),

  // ---- elementwise, two inputs of equal shape
  add: primitive('add', ([a, b]) => T.add(a, b),
    (g) => g, (g) => g), // d(a + b) = da + db
  sub: primitive('sub', ([a, b]) => T.sub(a, b),
    (g) => g, (g) => F.neg(g)), // d(a - b) = da - db
  mul: primitive('mul', ([a, b]) => T.mul(a, b),
    (g, [, b]) => F.mul(g, b), (g, [a]) => F.mul(g, a)), // d(ab) = b da + a db
  div: primitive('div', ([a, b]) => T.div(a, b),
    (g, [, b]) => F.div(g, b), (g, [, b], y) => F.neg(F.div(F.mul(g, y), b))), // d(a/b) = da/b - (a/b²) db
  pow: primitive('pow', ([a, b]) => T.pow(a, b),
    (g, [a, b]) => F.mul(g, F.mul(b, F.pow(a, F.sub(b, 1)))), // d aᵇ = b aᵇ⁻¹ da
    (g, [a], y) => F.mul(g, F.mul(y, F.log(a)))), //           + aᵇ log(a) db
  // Ties split the gradient evenly between a and b, as torch.maximum does.
  maximum: primitive('maximum', ([a, b]) => T.maximum(a, b),
    (g, [a, b]) => F.mul(g, constant(T.add(T.greater(a.data, b.data), T.mul(T.equal(a.data, b.data), 0.5)))),
    (g, [a, b]) => F.mul(g, constant(T.add(T.less(a.data, b.data), T.mul(T.equal(a.data, b.data), 0.5))))),
  // cond is a parameter (no gradient); a and b have the output's shape.
  where: primitive<Tensor>('where', ([a, b], cond) => T.where(cond, a, b),
    (g, _, __, cond) => F.where(cond, g, 0), (g, _, __, cond) => F.where(cond, 0, g)),

  // ---- reductions
  sum: primitive<AxesParams>('sum', ([x], p) => T.sum(x, p),
    (g, [x], _, p) => F.expand(F.reshape(g, keptShape(x, p)), x.shape)), // each input element gets g
  // The gradient goes to the maximum; ties share it evenly (like torch.amax).
  max: primitive<AxesParams>('max', ([x], p) => T.max(x, p),
    (g, [x], y, p) => {
      const kept = keptShape(x, p)
      const hits = T.equal(x.data, T.broadcastTo(T.reshape(y.data, kept), x.shape))
      const share = T.div(hits, T.broadcastTo(T.sum(hits, { axis: p.axis, keepdims: true }), x.shape))
      return F.mul(F.expand(F.reshape(g, kept), x.shape), constant(share))
    }),

  // NOTE: fused for speed, the sum of the MSE loss: Σ (x - y)² in one pass forward and one back,
  // instead of sub, square and sum (three passes) and their backward (four). When the backward
  // is not recorded, its roundings are the composition's, so the numbers are identical.
  squaredDistance: primitive('squaredDistance', ([x, y]) => T.squaredDistance(x, y),
    (g, [x, y]) => isGradEnabled() ? F.mul(F.sub(x, y), F.mul(g, 2)) // d Σ(x - y)² = 2(x - y)·dx
      : constant(T.squaredDistanceGrad(g.data, x.data, y.data)),
    (g, [x, y]) => isGradEnabled() ? F.mul(F.sub(y, x), F.mul(g, 2)) // ... - 2(x - y)·dy
      : constant(T.squaredDistanceGrad(g.data, y.data, x.data))),

  // ---- shape
  reshape: primitive<Shape>('reshape', ([x], shape) => T.reshape(x, shape),
    (g, [x]) => F.reshape(g, x.shape)),
  permute: primitive<readonly number[]>('permute', ([x], axes) => T.permute(x, axes),
    (g, _, __, axes) => F.permute(g, inversePermutation(axes))),
  // The only primitive that sums over axes: broadcasting in reverse.
  expand: primitive<Shape>('expand', ([x], shape) => T.broadcastTo(x, shape),
    (g, [x]) => F.reshape(sumToShape(g, x.shape), x.shape)),
  slice: primitive<SliceParams>('slice', ([x], p) => T.slice(x, p.axis, p.start, p.end),
    // pad is slice's adjoint
    (g, [x], _, p) => F.pad(g, { axis: p.axis, before: p.start, after: x.shape[p.axis] - p.end })),
  pad: primitive<PadParams>('pad', ([x], p) => T.pad(x, p.axis, p.before, p.after),
    (g, [x], _, p) => F.slice(g, p.axis, p.before, p.before + x.shape[p.axis])),
  // Concatenation along an axis; input i's gradient is its slice of g.
  concat: {
    ...primitive<number>('concat', (xs, axis) => T.concat(xs, axis), (g, xs, _, axis, i) => {
      const start = xs.slice(0, i).reduce((s, x) => s + x.shape[axis], 0)
      return F.slice(g, axis, start, start + xs[i].shape[axis])
    }),
    variadic: true,
  },
  gather: primitive<GatherParams>('gather', ([x], p) => T.gather(x, p.indices, p.axis),
    (g, _, __, p) => F.scatterAdd(g, p)), // scatter-add is gather's adjoint
  scatterAdd: primitive<GatherParams>('scatterAdd', ([x], p) => T.scatterAdd(x, p.indices, p.size, p.axis),
    (g, _, __, p) => F.gather(g, p.indices, p.axis)),

  // ---- products: C = op(A)·op(B)
  matmul: primitive<MatmulParams>('matmul', ([a, b], p) => T.matmul(a, b, p),
    // dA = g·op(B)ᵀ, or (g·op(B)ᵀ)ᵀ = op(B)·gᵀ when A is stored transposed
    (g, [, b], _, p) => p.transposeA ? F.matmul(b, g, { transposeA: p.transposeB, transposeB: true })
      : F.matmul(g, b, { transposeB: !p.transposeB }),
    // dB = op(A)ᵀ·g, or gᵀ·op(A) when B is stored transposed
    (g, [a], _, p) => p.transposeB ? F.matmul(g, a, { transposeA: true, transposeB: p.transposeA })
      : F.matmul(a, g, { transposeA: !p.transposeA })),

  // ---- convolution windows (defined above: each one's VJP is the other)
  im2col,
  col2im,
} satisfies Record<string, Primitive<any>>

export type PrimitiveName = keyof typeof PRIMITIVES

function inversePermutation(axes: readonly number[]): number[] {
  const inv = new Array<number>(axes.length)
  axes.forEach((a, i) => (inv[a] = i))
  return inv
}

/** Sums g over the axes along which `shape` was broadcast to g's shape (keeping them as 1). */
function sumToShape(g: Value, shape: Shape): Value {
  const lead = g.shape.length - shape.length
  const axes = g.shape.map((_, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1))
  return axes.length === 0 ? g : F.sum(g, { axis: axes, keepdims: true })
}

/**
 * Runs a primitive: computes its output and, when recording and some input requires a
 * gradient, records it in the graph.
 * @example const y = apply(PRIMITIVES.sum, [x], { axis: 1 })
 */
export function apply<P>(prim: Primitive<P>, inputs: readonly Value[], params: P): Value {
  const out = prim.forward(inputs.map((v) => v.data), params)
  if (isAnomalyDetectionEnabled()) checkFinite(`${prim.name} (forward)`, out)
  if (isGradEnabled() && inputs.some((v) => v.requiresGrad)) return Value.fromOp(out, prim, inputs, params)
  return new Value(out)
}

export function checkFinite(where: string, t: Tensor): void {
  const d = t.data
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      throw new Error(`anomaly: ${where} produced ${d[i]} at element ${i} of a ${formatShape(t.shape)} tensor`)
    }
  }
}

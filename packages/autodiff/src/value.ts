/**
 * The differentiable value: a Tensor plus the record of how it was made. A Value made by a
 * primitive keeps its parents (the primitive's inputs), the primitive, and the primitive's
 * parameters; that is the whole graph. There is no tape: backward walks parent pointers.
 *
 * Recording is on by default and off inside `noGrad`; values made while it is off, or from
 * inputs none of which require a gradient, are constants with no parents.
 */
import { formatShape, scalar, Tensor, type DType } from '@latent/tensor'
import type { Primitive } from './ops.js'
import * as F from './functions.js'
import { backward, type BackwardOptions } from './backward.js'

export class Value {
  /** The number(s) this value holds. */
  readonly data: Tensor
  /**
   * Whether gradients flow to this value: a leaf that asked for them, or anything computed from
   * one. Setting it on a leaf freezes or unfreezes it (later computations see the change).
   */
  requiresGrad: boolean
  /** The accumulated gradient of a leaf after `backward` (a Value, so it can be differentiated again). */
  grad: Value | null = null
  /** The primitive that made this value (undefined for leaves and constants). */
  op: Primitive | undefined
  /** The primitive's inputs. Emptied once a backward pass has used them (unless it retained the graph). */
  parents: readonly Value[]
  /** The primitive's non-differentiable arguments (axes, shapes, flags). */
  params: unknown
  /** Set when a backward pass freed this node's record. */
  released = false
  /** An optional name, shown by toString and in error messages. */
  name: string | undefined

  /**
   * A leaf value. Pass `requiresGrad: true` for the values you want gradients for.
   * @example
   *   const w = new Value(rng.normal([3, 2]), { requiresGrad: true })
   */
  constructor(data: Tensor | number, options: { requiresGrad?: boolean; name?: string } = {}) {
    this.data = typeof data === 'number' ? scalar(data, { dtype: 'float64' }) : data
    if (!(this.data instanceof Tensor)) throw new TypeError('Value: data must be a Tensor or a number')
    this.requiresGrad = options.requiresGrad ?? false
    this.name = options.name
    this.op = undefined
    this.parents = []
  }

  /** A non-leaf value made by `op` (used by `apply` in ops.ts). @example Value.fromOp(out, prim, inputs, params) */
  static fromOp(data: Tensor, op: Primitive, parents: readonly Value[], params: unknown): Value {
    const v = new Value(data, { requiresGrad: true })
    v.op = op
    v.parents = parents
    v.params = params
    return v
  }

  /** The shape of its data. @example w.shape // [256, 784] */
  get shape(): readonly number[] {
    return this.data.shape
  }

  /** The dtype of its data. @example w.dtype // 'float32' */
  get dtype(): DType {
    return this.data.dtype
  }

  /** The number of elements of its data. @example w.size // 200704 */
  get size(): number {
    return this.data.size
  }

  /** A leaf has no primitive behind it. @example new Value(x).isLeaf // true */
  get isLeaf(): boolean {
    return this.op === undefined
  }

  /** The value of a one-element value. @example sum(x).item() */
  item(): number {
    return this.data.item()
  }

  /**
   * The same data, cut from the graph: a constant that gradients do not flow through.
   * @example
   *   const target = prediction.detach()
   */
  detach(): Value {
    return new Value(this.data)
  }

  /** Forgets the accumulated gradient. @example w.zeroGrad() */
  zeroGrad(): void {
    this.grad = null
  }

  /**
   * Runs reverse mode from this value; see {@link backward}.
   * @example
   *   loss.backward(); console.log(w.grad!.data)
   */
  backward(options?: BackwardOptions): void {
    backward(this, options)
  }

  /** Its name, data and the primitive behind it, for printing. @example String(sum(x)) // 'Value(..., op=sum)' */
  toString(): string {
    const what = this.op ? `, op=${this.op.name}` : this.requiresGrad ? ', leaf' : ''
    return `Value(${this.name ? `${this.name}: ` : ''}${this.data.toString()}${what})`
  }

  // Fluent forms of the functions in functions.ts, so expressions read left to right.
  add(other: Input): Value { return F.add(this, other) }
  sub(other: Input): Value { return F.sub(this, other) }
  mul(other: Input): Value { return F.mul(this, other) }
  div(other: Input): Value { return F.div(this, other) }
  pow(exponent: Input): Value { return F.pow(this, exponent) }
  neg(): Value { return F.neg(this) }
  exp(): Value { return F.exp(this) }
  log(): Value { return F.log(this) }
  tanh(): Value { return F.tanh(this) }
  sigmoid(): Value { return F.sigmoid(this) }
  relu(): Value { return F.relu(this) }
  square(): Value { return F.square(this) }
  sum(options?: F.ReduceOptions): Value { return F.sum(this, options) }
  mean(options?: F.ReduceOptions): Value { return F.mean(this, options) }
  matmul(other: Input, options?: F.MatmulOptions): Value { return F.matmul(this, other, options) }
  reshape(shape: readonly number[]): Value { return F.reshape(this, shape) }
  transpose(axis0?: number, axis1?: number): Value { return F.transpose(this, axis0, axis1) }
}

/** Anything a function accepts where a value is expected; Tensors and numbers become constants. */
export type Input = Value | Tensor | number

/** Turns an input into a Value; a number takes the dtype `like` has (float32 if none). */
export function lift(x: Input, like?: DType): Value {
  if (x instanceof Value) return x
  if (x instanceof Tensor) return new Value(x)
  if (typeof x === 'number') return new Value(scalar(x, { dtype: like ?? 'float32' }))
  throw new TypeError(`expected a Value, a Tensor or a number, got ${x === null ? 'null' : typeof x}`)
}

/** Lifts two operands; numbers take the dtype of the other operand. Mixed dtypes are an error. */
export function liftPair(op: string, x: Input, y: Input): [Value, Value] {
  const dx = x instanceof Value || x instanceof Tensor ? (x instanceof Value ? x.dtype : x.dtype) : undefined
  const dy = y instanceof Value || y instanceof Tensor ? (y instanceof Value ? y.dtype : y.dtype) : undefined
  const a = lift(x, dy)
  const b = lift(y, dx)
  if (a.dtype !== b.dtype) {
    throw new TypeError(`${op}: mixed dtypes ${a.dtype} ${formatShape(a.shape)} and ${b.dtype} ${formatShape(b.shape)}`)
  }
  return [a, b]
}

// ---------------------------------------------------------------------------------------------
// Recording mode and anomaly detection

let recording = true
let anomalyDetection = false

/** Whether operations record the graph right now. @example noGrad(() => isGradEnabled()) // false */
export function isGradEnabled(): boolean {
  return recording
}

/**
 * Runs `fn` without recording: every value it makes is a constant. The previous mode is
 * restored afterwards, even if `fn` throws.
 * @example
 *   const prediction = noGrad(() => model(x))
 */
export function noGrad<T>(fn: () => T): T {
  return withRecording(false, fn)
}

/** Runs `fn` with recording on (inside a noGrad, for instance). @example enableGrad(() => f(x)) */
export function enableGrad<T>(fn: () => T): T {
  return withRecording(true, fn)
}

export function withRecording<T>(on: boolean, fn: () => T): T {
  const previous = recording
  recording = on
  try {
    return fn()
  } finally {
    recording = previous
  }
}

/**
 * Anomaly mode: every primitive checks its output, and backward every gradient, for NaN and
 * infinity, and the first one found throws an error naming the op. Off by default (it scans
 * every result).
 * @example
 *   setAnomalyDetection(true)
 */
export function setAnomalyDetection(on: boolean): void {
  anomalyDetection = on
}

export function isAnomalyDetectionEnabled(): boolean {
  return anomalyDetection
}

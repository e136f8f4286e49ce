/**
 * Reductions over one or several axes. Every reduction is viewed as [O, R, I]: O outer
 * positions, R reduced, I inner. When the reduced axes are one contiguous block this view is
 * free; otherwise the kept axes are first permuted to the front (a copy). Sums follow the sum
 * rule (kernels/js/elementwise.ts): float64 accumulation in a fixed order, the same wherever the
 * tensor lives.
 */
import { allocate, checkKeys } from '../dtype.js'
import { elementwiseFor } from '../kernels/select.js'
import { formatShape, normalizeAxes, sameShape, sizeOf } from '../shape.js'
import { Tensor } from '../tensor.js'
import { sub } from './elementwise.js'
import { permute } from './shape.js'

export interface ReduceOptions {
  /** The axis or axes to reduce (negative counts from the end); all axes when omitted. */
  axis?: number | readonly number[]
  /** Keep reduced axes as size 1, so the result broadcasts against the input. */
  keepdims?: boolean
}

interface ReduceView {
  data: Tensor['data']
  outer: number
  reduced: number
  inner: number
  shape: number[]
}

function reduceView(op: string, x: Tensor, options: ReduceOptions): ReduceView {
  checkKeys(op, options, ['axis', 'keepdims'])
  const axes = normalizeAxes(op, options.axis, x.rank)
  const shape = options.keepdims
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !axes.includes(i))
  const reduced = sizeOf(axes.map((a) => x.shape[a]))
  const contiguous = axes.length === 0 || axes[axes.length - 1] - axes[0] === axes.length - 1
  if (contiguous && axes.length > 0) {
    return { data: x.data, outer: sizeOf(x.shape.slice(0, axes[0])), reduced,
      inner: sizeOf(x.shape.slice(axes[axes.length - 1] + 1)), shape }
  }
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i))
  const moved = axes.length === 0 ? x : permute(x, [...kept, ...axes])
  return { data: moved.data, outer: sizeOf(kept.map((a) => x.shape[a])), reduced, inner: 1, shape }
}

function checkNonEmpty(op: string, x: Tensor, v: ReduceView): void {
  if (v.reduced === 0 && v.outer * v.inner > 0) {
    throw new RangeError(`${op}: cannot reduce over an empty axis of ${formatShape(x.shape)}`)
  }
}

/**
 * Sum over axes.
 * @example sum(tensor([[1, 2], [3, 4]]), { axis: 0 }) // [4, 6]
 */
export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  const { data, outer, reduced, inner, shape } = reduceView('sum', x, options)
  const out = new Tensor(allocate(x.dtype, sizeOf(shape), false), shape)
  const backend = elementwiseFor(data, out.data)
  for (let i = 0; i < outer; i++) {
    if (inner === 1) out.data[i] = backend.sumRun(data, i * reduced, reduced)
    else backend.sumRows(data, i * reduced * inner, reduced, inner, out.data, i * inner)
  }
  return out
}

/**
 * Σ (a - b)² over every element, as a scalar: the sum of the MSE loss, in one pass instead of
 * three. Each difference and square is rounded to the dtype and the sum follows the sum rule,
 * so it equals `sum(square(sub(a, b)))` exactly.
 * @example squaredDistance(tensor([1, 2]), tensor([0, 4])) // 5
 */
export function squaredDistance(a: Tensor, b: Tensor): Tensor {
  if (!sameShape(a.shape, b.shape)) {
    throw new RangeError(`squaredDistance: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ`)
  }
  if (a.dtype !== b.dtype) throw new TypeError(`squaredDistance: mixed dtypes ${a.dtype} and ${b.dtype}`)
  const out = new Tensor(allocate(a.dtype, 1), [])
  out.data[0] = elementwiseFor(a.data, b.data, out.data).sumSquaredDifference(a.data, b.data)
  return out
}

/**
 * Mean over axes.
 * @example mean(tensor([1, 2, 3, 6])) // 3
 */
export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  const s = sum(x, options)
  const n = x.size / Math.max(s.size, 1)
  if (n === 0) throw new RangeError(`mean: cannot average over an empty axis of ${formatShape(x.shape)}`)
  for (let i = 0; i < s.data.length; i++) s.data[i] /= n
  return s
}

function extremum(op: string, x: Tensor, options: ReduceOptions, sign: 1 | -1): Tensor {
  const v = reduceView(op, x, options)
  checkNonEmpty(op, x, v)
  const { data, outer, reduced, inner, shape } = v
  const out = new Tensor(allocate(x.dtype, sizeOf(shape)), shape)
  const o = out.data
  o.fill(-sign * Infinity)
  for (let i = 0, at = 0; i < outer; i++) {
    const base = i * inner
    for (let r = 0; r < reduced; r++) {
      for (let k = 0; k < inner; k++) {
        const val = data[at++]
        const cur = o[base + k]
        // NaN wins, as in PyTorch: once stored, nothing compares greater or smaller than it.
        if (val !== val || (sign > 0 ? val > cur : val < cur)) o[base + k] = val
      }
    }
  }
  return out
}

/** Maximum over axes (NaN if any element is NaN). @example max(tensor([[1, 5], [7, 2]]), { axis: 1 }) // [5, 7] */
export function max(x: Tensor, options: ReduceOptions = {}): Tensor {
  return extremum('max', x, options, 1)
}

/** Minimum over axes (NaN if any element is NaN). @example min(tensor([3, 1, 2])) // 1 */
export function min(x: Tensor, options: ReduceOptions = {}): Tensor {
  return extremum('min', x, options, -1)
}

/**
 * Index of the largest element along one axis (of the flattened tensor when no axis is given);
 * the first one on ties, and the first NaN if there is one. Indices are stored in the input's
 * dtype.
 * @example argmax(tensor([[1, 5], [7, 2]]), { axis: 1 }) // [1, 0]
 */
export function argmax(x: Tensor, options: { axis?: number; keepdims?: boolean } = {}): Tensor {
  const flat = options.axis === undefined
  const v = reduceView('argmax', flat ? new Tensor(x.data, [x.size]) : x,
    { axis: flat ? 0 : options.axis, keepdims: options.keepdims })
  checkNonEmpty('argmax', x, v)
  const { data, outer, reduced, inner } = v
  const shape = flat ? (options.keepdims ? x.shape.map(() => 1) : []) : v.shape
  const out = new Tensor(allocate(x.dtype, sizeOf(shape)), shape)
  for (let i = 0; i < outer; i++) {
    for (let k = 0; k < inner; k++) {
      let best = 0
      let bestVal = data[i * reduced * inner + k]
      for (let r = 1; r < reduced && bestVal === bestVal; r++) {
        const val = data[(i * reduced + r) * inner + k]
        if (val > bestVal || val !== val) {
          best = r
          bestVal = val
        }
      }
      out.data[i * inner + k] = best
    }
  }
  return out
}

/**
 * Variance over axes: sum((x - mean)²) / (n - correction). The default correction of 1 is
 * PyTorch's (the unbiased estimator); pass 0 for the population variance.
 * @example variance(tensor([1, 2, 3, 4]), { correction: 0 }) // 1.25
 */
export function variance(x: Tensor, options: ReduceOptions & { correction?: number } = {}): Tensor {
  checkKeys('variance', options, ['axis', 'keepdims', 'correction'])
  const correction = options.correction ?? 1
  const m = mean(x, { axis: options.axis, keepdims: true })
  const d = sub(x, m)
  for (let i = 0; i < d.data.length; i++) d.data[i] *= d.data[i]
  const s = sum(d, { axis: options.axis, keepdims: options.keepdims })
  const n = x.size / Math.max(s.size, 1)
  for (let i = 0; i < s.data.length; i++) s.data[i] /= Math.max(n - correction, 0)
  return s
}

/**
 * log(sum(exp(x))) over axes.
 * NOTE: computed as m + log(sum(exp(x - m))) with m the maximum, so exp never overflows;
 * an infinite maximum is not subtracted (it would give inf - inf = NaN).
 * @example logSumExp(tensor([1000, 1000])) // 1000.6931
 */
export function logSumExp(x: Tensor, options: ReduceOptions = {}): Tensor {
  const m = max(x, { axis: options.axis, keepdims: true })
  for (let i = 0; i < m.data.length; i++) if (!Number.isFinite(m.data[i])) m.data[i] = 0
  const shifted = sub(x, m)
  for (let i = 0; i < shifted.data.length; i++) shifted.data[i] = Math.exp(shifted.data[i])
  const s = sum(shifted, options)
  const shift = options.keepdims ? m.data : new Tensor(m.data, s.shape).data
  for (let i = 0; i < s.data.length; i++) s.data[i] = shift[i] + Math.log(s.data[i])
  return s
}

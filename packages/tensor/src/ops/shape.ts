/**
 * Shape operations. Storage is contiguous, so reshape, squeeze and unsqueeze are free (new
 * metadata over the same data), while permute, broadcastTo, slice, gather and concat copy.
 */
import { allocate } from '../dtype.js'
import { elementwiseFor } from '../kernels/select.js'
import {
  broadcastShapes, broadcastStrides, checkShape, formatShape, normalizeAxes, normalizeAxis, sameShape, sizeOf,
  stridesOf, type Shape,
} from '../shape.js'
import { Tensor } from '../tensor.js'

/**
 * Copies the elements of `x` read at `offset + sum(index[i] * strides[i])` into a new
 * contiguous tensor of the given shape. Permute, broadcast and slice are all this one loop
 * with different strides.
 */
function stridedCopy(x: Tensor, outShape: Shape, outStrides: readonly number[], offset = 0): Tensor {
  const out = new Tensor(allocate(x.dtype, sizeOf(outShape), false), outShape) // every element is written
  const o = out.data
  const d = x.data
  // Neighbouring axes that walk the source as one merge (a bias [C] repeated over H·W is one run
  // of H·W, not H runs of W), so that the loop below makes as few, as long, runs as it can.
  const shape: number[] = []
  const strides: number[] = []
  outShape.forEach((size, a) => {
    if (size === 1) return
    const last = shape.length - 1
    if (last >= 0 && strides[last] === outStrides[a] * size) {
      shape[last] *= size
      strides[last] = outStrides[a]
    } else {
      shape.push(size)
      strides.push(outStrides[a])
    }
  })
  const rank = shape.length
  if (o.length === 0) return out
  if (rank === 0) {
    o[0] = d[offset]
    return out
  }
  const n = shape[rank - 1]
  const step = strides[rank - 1]
  const counter = new Array<number>(rank - 1).fill(0)
  // Contiguous rows (a bias repeated over a batch, a slice) are row copies, all the rows of the
  // last two axes in one call; a repeated value is a fill.
  const backend = elementwiseFor(d, o)
  const blockAxes = step === 1 && rank >= 2 ? 2 : 1 // trailing axes done per iteration
  const rows = blockAxes === 2 ? shape[rank - 2] : 1
  const rowStride = blockAxes === 2 ? strides[rank - 2] : 0
  let src = offset
  for (let oi = 0; oi < o.length; oi += rows * n) {
    if (step === 1) backend.copyRows(d, src, rowStride, rows, n, o, oi)
    else if (step === 0) o.fill(d[src], oi, oi + n) // one value repeated (a scalar's gradient spread)
    else for (let k = 0, j = src; k < n; k++, j += step) o[oi + k] = d[j]
    for (let a = rank - 1 - blockAxes; a >= 0; a--) {
      src += strides[a]
      if (++counter[a] < shape[a]) break
      src -= strides[a] * shape[a]
      counter[a] = 0
    }
  }
  return out
}

/**
 * The same data under a new shape with the same number of elements; one dimension may be -1
 * and is then inferred. Free: no copy.
 * @example reshape(arange(6), [2, -1]).shape // [2, 3]
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const dims = [...shape]
  const inferred = dims.indexOf(-1)
  if (inferred >= 0) {
    if (dims.indexOf(-1, inferred + 1) >= 0) {
      throw new RangeError(`reshape: only one dimension can be -1, got ${formatShape(shape)}`)
    }
    dims[inferred] = 1
    const rest = sizeOf(checkShape('reshape', dims))
    if (rest === 0 || x.size % rest !== 0) {
      throw new RangeError(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) ` +
        `to ${formatShape(shape)}`)
    }
    dims[inferred] = x.size / rest
  }
  if (sizeOf(checkShape('reshape', dims)) !== x.size) {
    throw new RangeError(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) ` +
      `to ${formatShape(shape)}`)
  }
  return new Tensor(x.data, dims)
}

/**
 * Reorders the axes: output axis i is input axis `axes[i]`. Copies.
 * @example permute(zeros([2, 3, 4]), [2, 0, 1]).shape // [4, 2, 3]
 */
export function permute(x: Tensor, axes: readonly number[]): Tensor {
  const perm = axes.map((a) => normalizeAxis('permute', a, x.rank))
  if (perm.length !== x.rank || new Set(perm).size !== perm.length) {
    throw new RangeError(`permute: [${axes.join(', ')}] is not a permutation ` +
      `of the ${x.rank} axes of ${formatShape(x.shape)}`)
  }
  const strides = stridesOf(x.shape)
  return stridedCopy(x, perm.map((p) => x.shape[p]), perm.map((p) => strides[p]))
}

/**
 * Swaps two axes (by default the last two, which transposes a matrix). Copies.
 * @example transpose(zeros([2, 3])).shape // [3, 2]
 */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  const a = normalizeAxis('transpose', axis0, x.rank)
  const b = normalizeAxis('transpose', axis1, x.rank)
  const perm = Array.from({ length: x.rank }, (_, i) => i)
  perm[a] = b
  perm[b] = a
  return permute(x, perm)
}

/**
 * Broadcasts to a larger shape by repeating along size-1 and new leading axes. Copies, unless
 * the shape already matches (then `x` itself is returned).
 * @example broadcastTo(tensor([1, 2]), [3, 2]) // [[1, 2], [1, 2], [1, 2]]
 */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const target = checkShape('broadcastTo', shape)
  if (sameShape(x.shape, target)) return x
  const b = broadcastShapes('broadcastTo', x.shape, target)
  if (!sameShape(b, target)) {
    throw new RangeError(`broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(target)}`)
  }
  return stridedCopy(x, target, broadcastStrides(x.shape, target))
}

/** Alias of {@link broadcastTo}, under the name the autodiff primitive uses. @example expand(tensor([1]), [3]) */
export const expand = broadcastTo

/**
 * Removes size-1 axes (all of them, or those listed). Free.
 * @example squeeze(zeros([1, 3, 1])).shape // [3]
 */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  const drop = axes === undefined
    ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
    : normalizeAxes('squeeze', axes, x.rank)
  for (const a of drop) {
    if (x.shape[a] !== 1) {
      throw new RangeError(`squeeze: axis ${a} of ${formatShape(x.shape)} has size ${x.shape[a]}, not 1`)
    }
  }
  return new Tensor(x.data, x.shape.filter((_, i) => !drop.includes(i)))
}

/**
 * Inserts a size-1 axis at `axis` (which may be `rank`, to append). Free.
 * @example unsqueeze(zeros([3]), 0).shape // [1, 3]
 */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1)
  const shape = [...x.shape]
  shape.splice(a, 0, 1)
  return new Tensor(x.data, shape)
}

/** Python-style bounds: negative counts from the end, out-of-range clamps. */
function sliceBounds(n: number, start: number, end: number): [number, number] {
  if (!Number.isInteger(start) || !Number.isInteger(end)) {
    throw new TypeError(`slice: start and end must be integers, got ${start}, ${end}`)
  }
  const clampIndex = (i: number): number => Math.min(n, Math.max(0, i < 0 ? i + n : i))
  const s = clampIndex(start)
  return [s, Math.max(s, clampIndex(end))]
}

/**
 * Elements start..end-1 along one axis, with Python's conventions for negative and
 * out-of-range bounds. Copies.
 * @example slice(arange(10), 0, 2, 5) // [2, 3, 4]
 */
export function slice(x: Tensor, axis: number, start: number, end = Infinity): Tensor {
  const a = normalizeAxis('slice', axis, x.rank)
  const [s, e] = sliceBounds(x.shape[a], start, end === Infinity ? x.shape[a] : end)
  const shape = [...x.shape]
  shape[a] = e - s
  const strides = stridesOf(x.shape)
  return stridedCopy(x, shape, strides, s * strides[a])
}

/**
 * Adds `before` and `after` zeros along one axis (the adjoint of slice).
 * @example pad(tensor([1, 2]), 0, 1, 2) // [0, 1, 2, 0, 0]
 */
export function pad(x: Tensor, axis: number, before: number, after: number): Tensor {
  const a = normalizeAxis('pad', axis, x.rank)
  checkShape('pad', [before, after])
  const shape = [...x.shape]
  shape[a] += before + after
  const out = new Tensor(allocate(x.dtype, sizeOf(shape)), shape)
  const inner = sizeOf(x.shape.slice(a + 1))
  const chunk = x.shape[a] * inner
  const outChunk = shape[a] * inner
  for (let o = 0; o * chunk < x.size; o++) {
    out.data.set(x.data.subarray(o * chunk, (o + 1) * chunk), o * outChunk + before * inner)
  }
  return out
}

/**
 * Joins tensors along an existing axis; all other dimensions must agree.
 * @example concat([zeros([2, 3]), ones([1, 3])], 0).shape // [3, 3]
 */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new RangeError('concat: needs at least one tensor')
  const first = xs[0]
  const a = normalizeAxis('concat', axis, first.rank)
  const shape = [...first.shape]
  shape[a] = 0
  for (const x of xs) {
    if (x.dtype !== first.dtype) throw new TypeError(`concat: mixed dtypes ${first.dtype} and ${x.dtype}`)
    const ok = x.rank === first.rank && x.shape.every((d, i) => i === a || d === first.shape[i])
    if (!ok) {
      throw new RangeError(`concat: shapes ${formatShape(first.shape)} and ${formatShape(x.shape)} ` +
        `differ outside axis ${a}`)
    }
    shape[a] += x.shape[a]
  }
  const out = new Tensor(allocate(first.dtype, sizeOf(shape)), shape)
  const inner = sizeOf(shape.slice(a + 1))
  const outer = sizeOf(shape.slice(0, a))
  const outChunk = shape[a] * inner
  let at = 0
  for (const x of xs) {
    const chunk = x.shape[a] * inner
    for (let o = 0; o < outer; o++) out.data.set(x.data.subarray(o * chunk, (o + 1) * chunk), o * outChunk + at)
    at += chunk
  }
  return out
}

/**
 * Joins same-shaped tensors along a new axis.
 * @example stack([tensor([1, 2]), tensor([3, 4])], 1) // [[1, 3], [2, 4]]
 */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new RangeError('stack: needs at least one tensor')
  for (const x of xs) {
    if (!sameShape(x.shape, xs[0].shape)) {
      throw new RangeError(`stack: shapes ${formatShape(xs[0].shape)} and ${formatShape(x.shape)} differ`)
    }
  }
  const a = normalizeAxis('stack', axis, xs[0].rank + 1)
  return concat(xs.map((x) => unsqueeze(x, a)), a)
}

/**
 * Splits along an axis into `sections` equal parts, or into parts of the listed sizes.
 * @example split(arange(5), [2, 3]).map((t) => t.size) // [2, 3]
 */
export function split(x: Tensor, sections: number | readonly number[], axis = 0): Tensor[] {
  const a = normalizeAxis('split', axis, x.rank)
  const n = x.shape[a]
  let sizes: number[]
  if (typeof sections === 'number') {
    if (!Number.isInteger(sections) || sections <= 0 || n % sections !== 0) {
      throw new RangeError(`split: axis ${a} of ${formatShape(x.shape)} does not split into ${sections} equal parts`)
    }
    sizes = new Array<number>(sections).fill(n / sections)
  } else {
    sizes = checkShape('split', sections)
    if (sizes.reduce((s, v) => s + v, 0) !== n) {
      throw new RangeError(`split: sizes [${sizes.join(', ')}] do not add up to ${n}, ` +
        `axis ${a} of ${formatShape(x.shape)}`)
    }
  }
  let at = 0
  return sizes.map((s) => slice(x, a, at, (at += s)))
}

function checkIndices(op: string, indices: ArrayLike<number>, n: number): void {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new RangeError(`${op}: index ${v} at position ${i} is out of range for an axis of size ${n}`)
    }
  }
}

/**
 * Picks entries along an axis by index (rows by default, which is what minibatching needs).
 * @example gather(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]) // [[5, 6], [1, 2]]
 */
export function gather(x: Tensor, indices: ArrayLike<number>, axis = 0): Tensor {
  const a = normalizeAxis('gather', axis, x.rank)
  checkIndices('gather', indices, x.shape[a])
  const shape = [...x.shape]
  shape[a] = indices.length
  const out = new Tensor(allocate(x.dtype, sizeOf(shape), false), shape)
  const inner = sizeOf(shape.slice(a + 1))
  const outer = sizeOf(shape.slice(0, a))
  const n = x.shape[a]
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < indices.length; t++) {
      const src = (o * n + indices[t]) * inner
      out.data.set(x.data.subarray(src, src + inner), (o * indices.length + t) * inner)
    }
  }
  return out
}

/**
 * The adjoint of gather: a zero tensor with `size` entries along the axis, into which the
 * slices of `x` are added at the given indices (repeated indices accumulate).
 * @example scatterAdd(tensor([1, 2, 3]), [0, 2, 0], 3) // [4, 0, 2]
 */
export function scatterAdd(x: Tensor, indices: ArrayLike<number>, size: number, axis = 0): Tensor {
  const a = normalizeAxis('scatterAdd', axis, x.rank)
  if (x.shape[a] !== indices.length) {
    throw new RangeError(`scatterAdd: ${indices.length} indices for axis ${a} of ${formatShape(x.shape)}`)
  }
  checkIndices('scatterAdd', indices, size)
  const shape = [...x.shape]
  shape[a] = size
  const out = new Tensor(allocate(x.dtype, sizeOf(shape)), shape)
  const inner = sizeOf(shape.slice(a + 1))
  const outer = sizeOf(shape.slice(0, a))
  const o_ = out.data
  const d = x.data
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < indices.length; t++) {
      const src = (o * indices.length + t) * inner
      const dst = (o * size + indices[t]) * inner
      for (let i = 0; i < inner; i++) o_[dst + i] += d[src + i]
    }
  }
  return out
}

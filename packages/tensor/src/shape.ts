/**
 * Shapes are metadata: plain arrays of non-negative integers. Everything here is pure
 * bookkeeping, used by every op before it touches any data, so that bad arguments throw
 * before any work is done.
 */

export type Shape = readonly number[]

/** A shape as error messages print it. @example formatShape([2, 3]) // '[2, 3]' */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`
}

/** Number of elements of a shape (1 for the scalar shape []). @example sizeOf([2, 3]) // 6 */
export function sizeOf(shape: Shape): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}

/** Row-major strides, in elements: the last axis moves fastest. @example stridesOf([2, 3, 4]) // [12, 4, 1] */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length)
  let s = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s
    s *= shape[i]!
  }
  return strides
}

/** Whether two shapes are equal, axis by axis. @example sameShape([2, 3], [2, 3]) // true */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Throws unless every dimension is a non-negative integer. Returns a copy. */
export function checkShape(op: string, shape: Shape): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array of integers, got ${String(shape)}`)
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: dimensions must be non-negative integers, got ${formatShape(shape)}`)
    }
  }
  return [...shape]
}

/** Maps a possibly negative axis to 0..rank-1, or throws naming the op. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`)
  }
  return axis < 0 ? axis + rank : axis
}

/** Sorted, distinct, non-negative axes; `undefined` means all axes. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i)
  const list = typeof axes === 'number' ? [axes] : axes
  const out = list.map((a) => normalizeAxis(op, a, rank)).sort((a, b) => a - b)
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) throw new RangeError(`${op}: axis ${out[i]} is repeated in [${list.join(', ')}]`)
  }
  return out
}

/**
 * NumPy broadcasting: align shapes at the right; each pair of dimensions must be equal or
 * one of them 1, and the result takes the larger. `op` names the caller in the error.
 * @example broadcastShapes('add', [4, 1], [3]) // [4, 3]
 */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length))
  const out = new Array<number>(rank).fill(1)
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i
      const d = s[i]!
      if (d === out[o] || d === 1) continue
      if (out[o] !== 1) {
        throw new RangeError(`${op}: cannot broadcast shapes ${shapes.map(formatShape).join(' and ')}`)
      }
      out[o] = d
    }
  }
  return out
}

/**
 * Strides with which `shape` is read when broadcast to `target`: 0 on every axis that is
 * added on the left or stretched from 1.
 */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape)
  const out = new Array<number>(target.length).fill(0)
  const lead = target.length - shape.length
  for (let i = 0; i < shape.length; i++) out[lead + i] = shape[i] === 1 ? 0 : own[i]!
  return out
}

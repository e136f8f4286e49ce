/**
 * The JavaScript elementwise backend: the reference that every faster backend must match bit
 * for bit. Pointwise passes and broadcast runs are the ops' own loops, run as they are; this file
 * holds the loops that belong to no single op: row copies and the sums.
 *
 * The sum rule (every sum in the project, whatever the dtype and wherever the data lives):
 * - accumulation is in float64, and the result is rounded to the dtype once, when stored;
 * - along a contiguous run of n elements, element i goes to partial sum i mod 4 for the first
 *   4⌊n/4⌋ elements, the total is (s0 + s2) + (s1 + s3), and the last n mod 4 elements are added
 *   to it in order (the order a SIMD loop over vectors of four adds in, so that it can match);
 * - across rows (a sum over a leading axis, such as a bias gradient), each column has its own
 *   accumulator and the rows are added in order.
 */
import { rounding, type FloatArray } from '../../dtype.js'
import type { ElementwiseBackend } from '../types.js'

/** Σ x[at .. at + n) by the sum rule. */
function sumRun(x: FloatArray, at: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0
  let i = at
  const whole = at + (n & ~3)
  for (; i < whole; i += 4) {
    s0 += x[i]
    s1 += x[i + 1]
    s2 += x[i + 2]
    s3 += x[i + 3]
  }
  let s = s0 + s2 + (s1 + s3)
  for (; i < at + n; i++) s += x[i]
  return s
}

/** Σ (a - b)² by the sum rule, each difference and square rounded to the dtype (the MSE loss's sum). */
function sumSquaredDifference(a: FloatArray, b: FloatArray): number {
  const round = rounding(a instanceof Float32Array ? 'float32' : 'float64')
  const term = (i: number): number => {
    const d = round(a[i] - b[i])
    return round(d * d)
  }
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0
  let i = 0
  for (; i + 4 <= a.length; i += 4) {
    s0 += term(i)
    s1 += term(i + 1)
    s2 += term(i + 2)
    s3 += term(i + 3)
  }
  let s = s0 + s2 + (s1 + s3)
  for (; i < a.length; i++) s += term(i)
  return s
}

let columns = new Float64Array(0)

/** The reference backend. @example jsElementwise.sumRun(new Float32Array([1, 2, 3]), 0, 3) // 6 */
export const jsElementwise: ElementwiseBackend = {
  name: 'js',
  map: (_op, arrays, _scalars, js) => js(0, arrays[0].length),
  runs: (_op, js) => js,
  copyRows(src, srcAt, srcStride, rows, n, dst, dstAt) {
    for (let r = 0; r < rows; r++, srcAt += srcStride, dstAt += n) {
      if (n >= 16) dst.set(src.subarray(srcAt, srcAt + n), dstAt)
      else for (let k = 0; k < n; k++) dst[dstAt + k] = src[srcAt + k]
    }
  },
  sumRun,
  sumRows(x, at, rows, n, out, outAt) {
    if (columns.length < n) columns = new Float64Array(n)
    const acc = columns.fill(0, 0, n)
    for (let r = 0; r < rows; r++) for (let k = 0; k < n; k++) acc[k] += x[at++]
    for (let k = 0; k < n; k++) out[outAt + k] = acc[k]
  },
  sumSquaredDifference,
  window: (_op, _src, _dst, _geometry, _pad, js) => js(),
}

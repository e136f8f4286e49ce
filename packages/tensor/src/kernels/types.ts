/**
 * The two dispatch contracts. Every matrix product in the project ends up as one GemmBackend
 * call, and every elementwise pass or sum as one ElementwiseBackend call; kernels/select.ts picks
 * the backend from where the operands live. The JavaScript implementations are the references.
 * A faster backend gives the same numbers: products run the same kernel wherever their operands
 * live, and elementwise work matches the JavaScript kernel bit for bit (the tests check both), so
 * a result never depends on where a tensor is stored or on how many threads computed it.
 */
import type { FloatArray } from '../dtype.js'

/**
 * C[m x n] = op(A) · op(B), overwriting C. op(A) is m x k: A is stored as [m, k] row-major, or
 * as [k, m] when `transA` (so op(A) = Aᵀ). Likewise op(B) is k x n, stored [k, n] or, with
 * `transB`, [n, k]. Offsets are in elements.
 */
export interface GemmArgs {
  m: number
  n: number
  k: number
  a: FloatArray
  aOffset: number
  transA: boolean
  b: FloatArray
  bOffset: number
  transB: boolean
  c: FloatArray
  cOffset: number
}

export interface GemmBackend {
  /** A name that says the kernel and its tile, e.g. 'js-4x4'. */
  readonly name: string
  /** Whether this backend can run the product (for example, float32 only). */
  supports(args: GemmArgs): boolean
  gemm(args: GemmArgs): void
}

/** Writes n outputs o[oi + k] = f(a[ai + k·as], b[bi + k·bs]), where as and bs are 0 or 1. */
export type RunKernel = (
  a: FloatArray, ai: number, as: number, b: FloatArray, bi: number, bs: number, o: FloatArray, oi: number, n: number,
) => void

/** A pointwise loop over the elements [from, to) of arrays of one length. */
export type MapKernel = (from: number, to: number) => void

/**
 * Elementwise work. Each call carries the op's JavaScript kernel (the reference, written in the
 * op's file) where the op has one; a backend either runs it or computes the same numbers faster.
 * Offsets and counts are in elements.
 */
export interface ElementwiseBackend {
  readonly name: string
  /** The pointwise pass `op` over `arrays` (one length) with scalar parameters, e.g. Adam's update. */
  map(op: string, arrays: readonly FloatArray[], scalars: readonly number[], js: MapKernel): void
  /** The binary op's kernel for the runs of a broadcast: `js`, or the same computed faster. */
  runs(op: string, js: RunKernel): RunKernel
  /** `rows` rows of n elements: dst[dstAt + r·n + k] = src[srcAt + r·srcStride + k]. */
  copyRows(src: FloatArray, srcAt: number, srcStride: number, rows: number, n: number,
    dst: FloatArray, dstAt: number): void
  /** Σ x[at .. at + n) by the sum rule (kernels/js/elementwise.ts). */
  sumRun(x: FloatArray, at: number, n: number): number
  /** out[outAt + k] = Σ over the `rows` consecutive rows of n elements from x[at] of column k. */
  sumRows(x: FloatArray, at: number, rows: number, n: number, out: FloatArray, outAt: number): void
  /**
   * im2col or col2im (ops/conv.ts) over image batches: `geometry` is [images, c, h, w, kh, kw, sh,
   * sw, ph, pw, oh, ow], `pad` im2col's value for padded positions, `js` the op's loop.
   */
  window(op: 'im2col' | 'col2im', src: FloatArray, dst: FloatArray, geometry: readonly number[], pad: number,
    js: () => void): void
  /** Σ (a - b)², each difference and square rounded to the dtype, by the sum rule. */
  sumSquaredDifference(a: FloatArray, b: FloatArray): number
}

/**
 * The single dispatch point for matrix products. Every matmul in the project, forward and
 * backward, ends up here as one call C = op(A) · op(B), where op is the identity or the
 * transpose. A backend decides how to compute it; the JS backend always exists, works for
 * float32 and float64, and is the reference the faster backends are tested against.
 */
import type { FloatArray } from '../dtype.js'
import { backendFor } from './select.js'

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


/**
 * C = op(A)·op(B) on flat arrays with offsets, by the backend that setBackend selected for
 * this product (see kernels/select.ts); k = 0 gives zeros. `matmul` is the tensor-level call.
 * @example gemm({ m: 2, n: 2, k: 3, a, aOffset: 0, transA: false, b, bOffset: 0, transB: false, c, cOffset: 0 })
 */
export function gemm(args: GemmArgs): void {
  if (args.m === 0 || args.n === 0) return
  if (args.k === 0) {
    args.c.fill(0, args.cOffset, args.cOffset + args.m * args.n)
    return
  }
  backendFor(args).gemm(args)
}

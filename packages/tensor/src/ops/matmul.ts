/**
 * Matrix products of 2-D and batched 3-D tensors. This file only checks shapes and walks the
 * batch; the arithmetic happens behind the single dispatch point in kernels/gemm.ts.
 */
import { formatShape } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { gemm, sharesStorage } from '../kernels/select.js'
import { outputFor } from './elementwise.js'

export interface MatmulOptions {
  /** Use the transpose of the last two axes of `a`. */
  transposeA?: boolean
  /** Use the transpose of the last two axes of `b`. */
  transposeB?: boolean
  /** Write the result here (it must have the result's shape and dtype). */
  out?: Tensor
}

/**
 * op(a) · op(b), where op transposes the last two axes when asked. Operands are matrices
 * [m, k] · [k, n], or batches [batch, m, k] · [batch, k, n]; a 2-D operand is shared by every
 * batch entry of a 3-D one.
 * @example
 *   matmul(x, w, { transposeB: true })  // x · wᵀ, the forward pass of a dense layer
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const transA = options.transposeA ?? false
  const transB = options.transposeB ?? false
  const describe = (): string =>
    `a ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} and b ${formatShape(b.shape)}${transB ? 'ᵀ' : ''}`
  if (a.rank < 2 || a.rank > 3 || b.rank < 2 || b.rank > 3) {
    throw new RangeError(`matmul: operands must be 2-D or 3-D, got ${describe()}`)
  }
  if (a.dtype !== b.dtype) throw new TypeError(`matmul: mixed dtypes ${a.dtype} and ${b.dtype} for ${describe()}`)
  const [ar, ac] = a.shape.slice(-2)
  const [br, bc] = b.shape.slice(-2)
  const [m, ka] = transA ? [ac, ar] : [ar, ac]
  const [kb, n] = transB ? [bc, br] : [br, bc]
  if (ka !== kb) throw new RangeError(`matmul: inner dimensions differ (${ka} vs ${kb}) for ${describe()}`)
  const batchA = a.rank === 3 ? a.shape[0] : 1
  const batchB = b.rank === 3 ? b.shape[0] : 1
  if (a.rank === 3 && b.rank === 3 && batchA !== batchB) {
    throw new RangeError(`matmul: batch sizes differ (${batchA} vs ${batchB}) for ${describe()}`)
  }
  const batch = Math.max(batchA, batchB)
  const shape = a.rank === 3 || b.rank === 3 ? [batch, m, n] : [m, n]
  const out = outputFor('matmul', shape, a.dtype, options.out)
  if (sharesStorage(out.data, a.data) || sharesStorage(out.data, b.data)) {
    throw new RangeError('matmul: out must not share storage with an operand')
  }
  // A stack of row-major matrices times one shared matrix is one tall product.
  if (a.rank === 3 && b.rank === 2 && !transA) {
    gemm({ m: batch * m, n, k: ka, a: a.data, aOffset: 0, transA, b: b.data, bOffset: 0, transB,
      c: out.data, cOffset: 0 })
    return out
  }
  for (let i = 0; i < batch; i++) {
    gemm({
      m, n, k: ka,
      a: a.data, aOffset: batchA > 1 ? i * m * ka : 0, transA,
      b: b.data, bOffset: batchB > 1 ? i * ka * n : 0, transB,
      c: out.data, cOffset: i * m * n,
    })
  }
  return out
}

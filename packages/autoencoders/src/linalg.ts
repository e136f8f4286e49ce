/**
 * The little linear algebra PCA needs, in float64: the symmetric eigendecomposition of a small
 * matrix by cyclic Jacobi rotations (Golub and Van Loan, §8.5), and the leading eigenvectors of
 * a large one by subspace iteration with Rayleigh-Ritz.
 */
import { matmul, Rng, Tensor } from '@latent/tensor'

/**
 * All eigenvalues and eigenvectors of a symmetric n x n matrix, eigenvalues in decreasing order;
 * vectors are the columns of an n x n row-major array. Cyclic Jacobi: each rotation zeroes one
 * off-diagonal pair; sweeps until the off-diagonal mass is below tolerance.
 * @example const { values, vectors } = symmetricEigen(cov, n)
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix)
  const v = new Float64Array(n * n)
  for (let i = 0; i < n; i++) v[i * n + i] = 1
  const offNorm = (): number => {
    let s = 0
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += a[i * n + j] ** 2
    return s
  }
  let scale = 0
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i]
  for (let sweep = 0; sweep < 100 && offNorm() > 1e-30 * scale; sweep++) {
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]
        if (apq === 0) continue
        // The rotation angle θ with tan 2θ = 2 a_pq / (a_qq - a_pp), taking the smaller root.
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < n; k++) {
          // A ← Jᵀ A J: rows and columns p and q
          const akp = a[k * n + p]
          const akq = a[k * n + q]
          a[k * n + p] = c * akp - s * akq
          a[k * n + q] = s * akp + c * akq
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]
          const aqk = a[q * n + k]
          a[p * n + k] = c * apk - s * aqk
          a[q * n + k] = s * apk + c * aqk
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]
          const vkq = v[k * n + q]
          v[k * n + p] = c * vkp - s * vkq
          v[k * n + q] = s * vkp + c * vkq
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i])
  const values = Float64Array.from(order, (i) => a[i * n + i])
  const vectors = new Float64Array(n * n)
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]
  })
  return { values, vectors }
}

/** Orthonormalises the columns of a d x k row-major matrix in place (modified Gram-Schmidt, twice). */
function orthonormalize(q: Float64Array, d: number, k: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < j; i++) {
        let dot = 0
        for (let r = 0; r < d; r++) dot += q[r * k + i] * q[r * k + j]
        for (let r = 0; r < d; r++) q[r * k + j] -= dot * q[r * k + i]
      }
      let norm = 0
      for (let r = 0; r < d; r++) norm += q[r * k + j] ** 2
      norm = Math.sqrt(norm) || 1
      for (let r = 0; r < d; r++) q[r * k + j] /= norm
    }
  }
}

/**
 * The k leading eigenpairs of a symmetric d x d matrix by subspace iteration: Q ← orth(C Q)
 * until the Ritz values settle, then Rayleigh-Ritz (the eigendecomposition of Qᵀ C Q). An
 * oversampled block converges fast when the spectrum decays, as covariance spectra do.
 * @example const { values, vectors } = leadingEigen(covariance, 784, 32) // vectors: d x k, row-major
 */
export function leadingEigen(
  matrix: Float64Array,
  d: number,
  k: number,
  rng = new Rng(0),
): { values: Float64Array; vectors: Float64Array } {
  const block = Math.min(d, k + 10)
  const c = new Tensor(matrix, [d, d])
  let q = rng.normal([d, block], 0, 1, 'float64').data as Float64Array
  orthonormalize(q, d, block)
  let previous: Float64Array = new Float64Array(block)
  for (let it = 0; it < 500; it++) {
    // Z = C Q; the Ritz values are the eigenvalues of Qᵀ Z; then Q ← orth(Z).
    const qt = new Tensor(q, [d, block])
    const z = matmul(c, qt)
    const { values } = symmetricEigen(matmul(qt, z, { transposeA: true }).data, block)
    q = z.data as Float64Array
    orthonormalize(q, d, block)
    let change = 0
    for (let i = 0; i < k; i++) {
      change = Math.max(change, Math.abs(values[i] - previous[i]) / Math.max(Math.abs(values[i]), 1e-300))
    }
    previous = values
    if (it > 3 && change < 1e-13) break
  }
  const qt = new Tensor(q, [d, block])
  const small = matmul(qt, matmul(c, qt), { transposeA: true })
  const { values, vectors } = symmetricEigen(small.data, block)
  const full = matmul(qt, new Tensor(vectors, [block, block])).data as Float64Array // d x block
  const out = new Float64Array(d * k)
  for (let r = 0; r < d; r++) for (let j = 0; j < k; j++) out[r * k + j] = full[r * block + j]
  return { values: values.slice(0, k), vectors: out }
}

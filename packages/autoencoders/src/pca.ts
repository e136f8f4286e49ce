/**
 * Principal component analysis, the linear baseline for dimensionality reduction: the
 * directions of largest variance of the (centred) training data, from the eigendecomposition of
 * its covariance matrix. transform projects onto the first k components, inverseTransform maps
 * back; the reconstruction is the best rank-k linear one in squared error (Eckart-Young).
 */
import { add, allocate, matmul, slice, sub, Tensor, type DType } from '@latent/tensor'
import { checkBatch } from './autoencoder.js'
import { leadingEigen, symmetricEigen } from './linalg.js'

/** Rows per block when forming the covariance: float32 products, float64 sums across blocks. */
const BLOCK = 2048

export class PCA {
  /** [features], the training mean. */
  mean: Tensor | undefined
  /** [k, features], the principal axes as rows (unit length, decreasing variance). */
  components: Tensor | undefined
  /** The variance along each component, and its share of the total. */
  explainedVariance: Float64Array | undefined
  explainedVarianceRatio: Float64Array | undefined

  /** @example const pca = new PCA(32).fit(xTrain) */
  constructor(readonly k: number) {
    if (!(Number.isInteger(k) && k >= 1)) {
      throw new RangeError(`PCA: the number of components must be a positive integer, got ${k}`)
    }
  }

  /** Learns the mean and the components from [n, features] data. @example const pca = new PCA(32).fit(xTrain) */
  fit(x: Tensor): this {
    checkBatch('PCA.fit', x)
    const [n, d] = x.shape
    if (this.k > d) throw new RangeError(`PCA.fit: ${this.k} components asked of ${d} features`)
    if (n < 2) throw new RangeError('PCA.fit: needs at least two rows')
    const mean = new Float64Array(d)
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x.data[i * d + j]
    for (let j = 0; j < d; j++) mean[j] /= n
    const meanT = new Tensor(allocate(x.dtype, d), [d])
    meanT.data.set(mean)
    this.mean = meanT
    // Covariance (X - μ)ᵀ(X - μ) / (n - 1), accumulated in float64 over blocks of rows.
    const cov = new Float64Array(d * d)
    for (let at = 0; at < n; at += BLOCK) {
      const rows = slice(x, 0, at, Math.min(n, at + BLOCK))
      const c = sub(rows, meanT)
      const part = matmul(c, c, { transposeA: true })
      for (let i = 0; i < d * d; i++) cov[i] += part.data[i]
    }
    let total = 0
    for (let i = 0; i < d * d; i++) cov[i] /= n - 1
    for (let j = 0; j < d; j++) total += cov[j * d + j]
    const { values, vectors } = d <= 256 ? symmetricEigen(cov, d) : leadingEigen(cov, d, this.k)
    const width = d <= 256 ? d : this.k
    const comps = allocate(x.dtype, this.k * d)
    for (let c = 0; c < this.k; c++) {
      // A sign convention makes the result unique: the largest coordinate of each axis is positive.
      let big = 0
      for (let j = 0; j < d; j++) if (Math.abs(vectors[j * width + c]) > Math.abs(big)) big = vectors[j * width + c]
      for (let j = 0; j < d; j++) comps[c * d + j] = Math.sign(big || 1) * vectors[j * width + c]
    }
    this.components = new Tensor(comps, [this.k, d])
    this.explainedVariance = Float64Array.from(values.slice(0, this.k), (v) => Math.max(v, 0))
    this.explainedVarianceRatio = this.explainedVariance.map((v) => v / total)
    return this
  }

  private fitted(op: string): { mean: Tensor; components: Tensor } {
    if (!this.mean || !this.components) throw new Error(`PCA.${op}: call fit() first`)
    return { mean: this.mean, components: this.components }
  }

  /** Coordinates along the components: [n, k]. @example const codes = pca.transform(xTest) */
  transform(x: Tensor): Tensor {
    const { mean, components } = this.fitted('transform')
    checkBatch('PCA.transform', x, mean.size)
    return matmul(sub(x, cast(mean, x.dtype)), cast(components, x.dtype), { transposeB: true })
  }

  /** Back from coordinates to the data space: [n, features]. @example pca.inverseTransform(pca.transform(x)) */
  inverseTransform(codes: Tensor): Tensor {
    const { mean, components } = this.fitted('inverseTransform')
    if (codes.rank !== 2 || codes.shape[1] !== this.k) {
      throw new RangeError(`PCA.inverseTransform: expected [n, ${this.k}], got [${codes.shape.join(', ')}]`)
    }
    return add(matmul(codes, cast(components, codes.dtype)), cast(mean, codes.dtype))
  }

  /** The best rank-k reconstruction. @example pca.reconstruct(xTest) */
  reconstruct(x: Tensor): Tensor {
    return this.inverseTransform(this.transform(x))
  }
}

function cast(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t
  const out = allocate(dtype, t.size)
  out.set(t.data)
  return new Tensor(out, t.shape)
}

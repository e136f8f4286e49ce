/**
 * UMAP (McInnes, Healy and Melville 2018, "UMAP: Uniform Manifold Approximation and Projection
 * for Dimension Reduction", arXiv:1802.03426), as umap-learn computes it.
 *
 * The graph: each point's k - 1 nearest neighbours (k = nNeighbors counts the point itself; exact,
 * or by NN-descent from 20,000 rows) get
 * weights exp(-(d_ij - ρ_i) / σ_i), ρ_i the distance to the nearest, σ_i found by bisection so that
 * Σ_j exp(-(d_ij - ρ_i) / σ_i) = log₂ k; then the fuzzy union w = a + aᵀ - a ∘ aᵀ. The layout:
 * low-dimensional similarity 1 / (1 + a d^2b) with (a, b) fitted to the offset exponential of
 * minDist and spread; SGD over the edges, each sampled in proportion to its weight, pulling its
 * ends together along -2ab d^(2b-2) / (1 + a d^2b) and pushing the head from negativeSampleRate
 * random points along 2b / ((0.001 + d²)(1 + a d^2b)), each step clipped to ±4, the learning rate
 * falling linearly to 0. The start: the graph's spectral embedding (the 2nd and 3rd eigenvectors
 * of the normalized Laplacian, by Lanczos), or PCA when the graph is not connected.
 */
import { checkKeys, Rng, Tensor } from '@latent/tensor'
import { PCA } from '../pca.js'
import {
  checkSeed, embeddingInput, exactNeighbors, type Graph, type Neighbors, shown, symmetrize,
} from './neighbors.js'
import { nnDescent } from './nndescent.js'

/** Options of {@link umap}; every one has umap-learn's default. */
export interface UmapOptions {
  /** Neighbourhood size k, the point itself included (15). */
  nNeighbors?: number
  /** How tightly points may pack (0.1), and the scale of the embedded points (1). */
  minDist?: number
  spread?: number
  /** SGD epochs: 500 up to 10,000 rows, else 200. */
  epochs?: number
  /** The initial learning rate (1), negative samples per positive one (5), their weight (1). */
  learningRate?: number
  negativeSampleRate?: number
  repulsionStrength?: number
  /**
   * How the neighbours are found: 'exact', 'nndescent' (random projection trees and NN-descent,
   * approximate), or 'auto' (the default): exact below {@link APPROXIMATE_FROM} rows.
   */
  neighbors?: 'auto' | 'exact' | 'nndescent'
  /** 'spectral' (PCA instead if the graph is not connected), 'pca' or 'random'. */
  init?: 'spectral' | 'pca' | 'random'
  /** The generator of the noise, the random start and the negative samples, or its seed (0). */
  rng?: Rng
  seed?: number
  /** Called after each epoch. */
  onProgress?: (epoch: number) => void
}

/**
 * The (a, b) of the curve 1 / (1 + a x^2b) closest in least squares to 1 for x < minDist and
 * exp(-(x - minDist) / spread) beyond, on 300 points of [0, 3 spread] (umap-learn's
 * find_ab_params; Levenberg-Marquardt from (1, 1), as scipy's curve_fit).
 * @example findAbParams(1, 0.1) // { a: 1.577, b: 0.895 }
 */
export function findAbParams(spread: number, minDist: number): { a: number; b: number } {
  // In units of spread (u = x / spread) the target is the same curve with minDist / spread, and
  // 1 / (1 + a x^2b) = 1 / (1 + a spread^2b u^2b): fit (a', b) in u, then a = a' / spread^2b. Fitting
  // in x directly drifts to negative (a, b) for a small spread (scipy's curve_fit does too).
  const offset = minDist / spread
  const xs = Float64Array.from({ length: 300 }, (_, i) => (i * 3) / 299)
  const ys = xs.map((x) => (x < offset ? 1 : Math.exp(-(x - offset))))
  const residual = (a: number, b: number): number =>
    xs.reduce((s, x, i) => s + (1 / (1 + a * x ** (2 * b)) - ys[i]) ** 2, 0)
  let a = 1
  let b = 1
  let lambda = 1e-3
  let cost = residual(a, b)
  for (let it = 0; it < 200; it++) {
    // Normal equations JᵀJ δ = -Jᵀr; ∂f/∂a = -u / (1 + a u)², ∂f/∂b = -2 a u ln x / (1 + a u)², u = x^2b.
    let jaa = 0
    let jab = 0
    let jbb = 0
    let ga = 0
    let gb = 0
    xs.forEach((x, i) => {
      const u = x ** (2 * b)
      const f = 1 / (1 + a * u)
      const da = -u * f * f
      const db = x > 0 ? 2 * a * Math.log(x) * da : 0
      const r = f - ys[i]
      jaa += da * da
      jab += da * db
      jbb += db * db
      ga += da * r
      gb += db * r
    })
    const [maa, mbb] = [jaa * (1 + lambda), jbb * (1 + lambda)]
    const det = maa * mbb - jab * jab
    const stepA = -(mbb * ga - jab * gb) / det
    const stepB = -(maa * gb - jab * ga) / det
    const next = residual(a + stepA, b + stepB)
    if (next < cost) {
      const done = cost - next < 1e-15 * cost
      a += stepA
      b += stepB
      cost = next
      lambda /= 10
      if (done) break
    } else {
      lambda *= 10
      if (lambda > 1e12) break
    }
  }
  a /= spread ** (2 * b)
  if (!(a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b))) {
    throw new RangeError(`findAbParams: no curve 1 / (1 + a x^2b) fits spread ${spread}, minDist ${minDist}`)
  }
  return { a, b }
}

/**
 * Smooth-kNN weights exp(-(d_ij - ρ_i) / σ_i) of each row's neighbours (laid out as `neighbors`),
 * ρ_i the distance to the nearest that is not a copy, σ_i found by bisection so that the row sums
 * to log₂ k (k counts the point itself), and kept above 1e-3 times the mean distance.
 * @example const weights = smoothKnn(exactNeighbors(data, n, d, 14), 15)
 */
export function smoothKnn(neighbors: Neighbors, k: number): Float64Array {
  const m = neighbors.k
  const n = neighbors.indices.length / m
  const dist = neighbors.squared.map(Math.sqrt)
  const target = Math.log2(k)
  let meanAll = 0
  for (let e = 0; e < n * m; e++) meanAll += dist[e] / (n * k)
  const weights = new Float64Array(n * m)
  for (let i = 0; i < n; i++) {
    const o = i * m
    // The row's own distance, 0, counts in its mean, as in umap-learn.
    let rho = 0
    let mean = 0
    for (let t = 0; t < m; t++) {
      if (rho === 0 && dist[o + t] > 0) rho = dist[o + t]
      mean += dist[o + t] / k
    }
    let lo = 0
    let hi = Infinity
    let sigma = 1
    for (let it = 0; it < 64; it++) {
      let sum = 0
      for (let t = 0; t < m; t++) {
        const excess = dist[o + t] - rho
        sum += excess > 0 ? Math.exp(-excess / sigma) : 1
      }
      if (Math.abs(sum - target) < 1e-5) break
      if (sum > target) {
        hi = sigma
        sigma = (lo + hi) / 2
      } else {
        lo = sigma
        sigma = hi === Infinity ? sigma * 2 : (lo + hi) / 2
      }
    }
    sigma = Math.max(sigma, 1e-3 * (rho > 0 ? mean : meanAll))
    for (let t = 0; t < m; t++) {
      const excess = dist[o + t] - rho
      weights[o + t] = excess <= 0 ? 1 : Math.exp(-excess / sigma)
    }
  }
  return weights
}

/**
 * From this many rows on, 'auto' finds UMAP's neighbours by NN-descent. Measured with 14
 * neighbours of Fashion-MNIST training images in 32-d (EPYC, one thread), exact against NN-descent:
 * 0.31 / 0.40 s at 5,000 rows, 0.72 / 0.67 at 10,000, 2.8 / 1.7 at 20,000, 5.6 / 2.8 at 30,000,
 * 20.8 / 6.4 at 60,000; NN-descent found 99.3-99.7% of the exact neighbours.
 */
export const APPROXIMATE_FROM = 20000

/**
 * The fuzzy neighbour graph of [n, d] float64 data: the smooth-kNN weights a of each row's k - 1
 * nearest neighbours (exact, or by NN-descent with `rng`), then their fuzzy union a + aᵀ - a ∘ aᵀ.
 * @example const graph = fuzzyGraph(data, n, d, 15)
 */
export function fuzzyGraph(data: Float64Array, n: number, d: number, k: number, approximate?: Rng): Graph {
  const neighbors = approximate ? nnDescent(data, n, d, k - 1, approximate) : exactNeighbors(data, n, d, k - 1)
  return symmetrize(neighbors, smoothKnn(neighbors, k), 'fuzzy')
}

/** Whether every vertex of the graph can reach every other (union-find over its edges). */
function connected(graph: Graph): boolean {
  const parent = Int32Array.from({ length: graph.n }, (_, i) => i)
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]]
    return i
  }
  let parts = graph.n
  for (let i = 0; i < graph.n; i++) {
    for (let e = graph.rowStart[i]; e < graph.rowStart[i + 1]; e++) {
      const [a, b] = [root(i), root(graph.cols[e])]
      if (a !== b) {
        parent[a] = b
        parts--
      }
    }
  }
  return parts === 1
}

/**
 * The spectral embedding of a connected graph: the eigenvectors of N = D^-1/2 W D^-1/2 with the
 * 2nd and 3rd largest eigenvalues (the 2nd and 3rd smallest of the normalized Laplacian I - N),
 * [n, 2] flat. The first is known, D^1/2 1; each of the next is the leading eigenvector of N with
 * those before it projected out, by Lanczos (one at a time, so a repeated eigenvalue gives two).
 * @example const y = spectralLayout(graph, new Rng(0))
 */
export function spectralLayout(graph: Graph, rng: Rng): Float64Array {
  const { n, rowStart, cols, values } = graph
  const scale = new Float64Array(n)
  const first = new Float64Array(n)
  let total = 0
  for (let i = 0; i < n; i++) {
    let degree = 0
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) degree += values[e]
    first[i] = Math.sqrt(degree)
    scale[i] = 1 / first[i]
    total += degree
  }
  for (let i = 0; i < n; i++) first[i] /= Math.sqrt(total)
  const multiply = (q: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) s += values[e] * scale[cols[e]] * q[cols[e]]
      out[i] = scale[i] * s
    }
  }
  const found: Float64Array[] = [first]
  for (let c = 0; c < 2; c++) found.push(leadingVector(multiply, found, n, rng))
  const y = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) [y[2 * i], y[2 * i + 1]] = [found[1][i], found[2][i]]
  return y
}

/**
 * The unit eigenvector of the largest eigenvalue of a symmetric operator restricted to the
 * complement of the orthonormal `deflate`: Lanczos from a random start with full
 * reorthogonalization, until the Ritz pair's residual |β_m+1 s_m| is below 1e-4 (umap-learn's
 * tolerance for ARPACK) or after 300 steps.
 */
function leadingVector(multiply: (q: Float64Array, out: Float64Array) => void, deflate: Float64Array[], n: number,
  rng: Rng): Float64Array {
  const basis: Float64Array[] = []
  const alpha: number[] = []
  const beta: number[] = []
  const against = (v: Float64Array, u: Float64Array): void => {
    let dot = 0
    for (let i = 0; i < n; i++) dot += u[i] * v[i]
    for (let i = 0; i < n; i++) v[i] -= dot * u[i]
  }
  const project = (v: Float64Array): void => {
    for (const u of deflate) against(v, u)
    for (const u of basis) against(v, u)
  }
  const norm = (v: Float64Array): number => {
    let s = 0
    for (let i = 0; i < n; i++) s += v[i] * v[i]
    return Math.sqrt(s)
  }
  let v: Float64Array = rng.normal([n], 0, 1, 'float64').data as Float64Array
  project(v)
  let top: { value: number; vector: Float64Array } = { value: 0, vector: new Float64Array(0) }
  for (let m = 0; m < Math.min(300, n - deflate.length); m++) {
    const length = norm(v)
    if (m > 0 && length < 1e-12) break
    if (m > 0) beta.push(length)
    const q = v.map((x) => x / length)
    basis.push(q)
    const w = new Float64Array(n)
    multiply(q, w)
    let a = 0
    for (let i = 0; i < n; i++) a += w[i] * q[i]
    alpha.push(a)
    // Full reorthogonalization (modified Gram-Schmidt) keeps the basis orthonormal in floating point.
    project(w)
    v = w
    if ((m + 1) % 10 === 0) {
      top = topEigenpair(alpha, beta)
      if (Math.abs(norm(v) * top.vector[m]) < 1e-4) break
    }
  }
  if (top.vector.length !== alpha.length) top = topEigenpair(alpha, beta)
  const out = new Float64Array(n)
  basis.forEach((q, j) => {
    for (let i = 0; i < n; i++) out[i] += top.vector[j] * q[i]
  })
  return out
}

/**
 * The largest eigenvalue of the symmetric tridiagonal matrix with diagonal alpha and off-diagonal
 * beta, by bisection on Sturm counts, and its unit eigenvector by inverse iteration.
 */
function topEigenpair(alpha: number[], beta: number[]): { value: number; vector: Float64Array } {
  const m = alpha.length
  // Sturm count: the number of eigenvalues below x is the number of negative pivots of T - xI.
  const below = (x: number): number => {
    let count = 0
    let q = 1
    for (let i = 0; i < m; i++) {
      q = alpha[i] - x - (i > 0 ? (beta[i - 1] * beta[i - 1]) / q : 0)
      if (q === 0) q = 1e-300
      if (q < 0) count++
    }
    return count
  }
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i + 1 < m ? Math.abs(beta[i]) : 0)
    lo = Math.min(lo, alpha[i] - r)
    hi = Math.max(hi, alpha[i] + r)
  }
  while (hi - lo > 1e-15 * Math.max(1, Math.abs(hi))) {
    const mid = (lo + hi) / 2
    if (mid <= lo || mid >= hi) break
    if (below(mid) === m) hi = mid
    else lo = mid
  }
  // Inverse iteration: solve (T - θI) z = v by elimination, a tiny pivot nudged, then normalize.
  const value = hi
  let vector: Float64Array = new Float64Array(m).fill(1 / Math.sqrt(m))
  for (let it = 0; it < 3; it++) {
    const diag = new Float64Array(m)
    const rhs = Float64Array.from(vector)
    for (let i = 0; i < m; i++) {
      diag[i] = alpha[i] - value * (1 + 1e-12) - (i > 0 ? (beta[i - 1] * beta[i - 1]) / diag[i - 1] : 0)
      if (diag[i] === 0) diag[i] = 1e-300
      if (i > 0) rhs[i] -= (beta[i - 1] / diag[i - 1]) * rhs[i - 1]
    }
    const z = new Float64Array(m)
    for (let i = m - 1; i >= 0; i--) z[i] = (rhs[i] - (i + 1 < m ? beta[i] * z[i + 1] : 0)) / diag[i]
    const norm = Math.sqrt(z.reduce((s, x) => s + x * x, 0))
    vector = z.map((x) => x / norm)
  }
  return { value, vector }
}

/** The start: spectral (or PCA) coordinates scaled to a largest |coordinate| of 10 plus N(0, 1e-4²) noise. */
function initialLayout(data: Float64Array, n: number, d: number, graph: Graph, wanted: 'spectral' | 'pca' | 'random',
  rng: Rng): { y: Float64Array; init: 'spectral' | 'pca' | 'random' } {
  const init = wanted === 'spectral' && !connected(graph) ? 'pca' : wanted
  let y: Float64Array = new Float64Array(2 * n)
  if (init === 'random') {
    for (let i = 0; i < 2 * n; i++) y[i] = -10 + 20 * rng.float()
    return { y, init }
  }
  if (init === 'spectral') {
    y = spectralLayout(graph, rng)
  } else {
    const m = Math.min(2, d)
    const codes = new PCA(m).fit(new Tensor(data, [n, d])).transform(new Tensor(data, [n, d])).data
    for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) y[2 * i + c] = codes[i * m + c]
  }
  const largest = y.reduce((s, v) => Math.max(s, Math.abs(v)), 0)
  for (let i = 0; i < n; i++) {
    const [u, v] = rng.normalPair()
    y[2 * i] = (largest > 0 ? (10 * y[2 * i]) / largest : 0) + 1e-4 * u
    y[2 * i + 1] = (largest > 0 ? (10 * y[2 * i + 1]) / largest : 0) + 1e-4 * v
  }
  return { y, init }
}

/** Scales each axis of y to [0, 10], as umap-learn does before the SGD. */
function rescale(y: Float64Array, n: number): void {
  for (let c = 0; c < 2; c++) {
    let lo = Infinity
    let hi = -Infinity
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, y[2 * i + c])
      hi = Math.max(hi, y[2 * i + c])
    }
    for (let i = 0; i < n; i++) y[2 * i + c] = hi > lo ? (10 * (y[2 * i + c] - lo)) / (hi - lo) : 0
  }
}

/** The curve table's steps per unit of distance, and its end. */
export const CURVE_STEPS = 128
export const CURVE_END = 64

/**
 * a d^2b at d = i / CURVE_STEPS up to CURVE_END, for linear interpolation in d.
 * NOTE: the layout reads a d^2b here rather than computing exp(b ln d²), which takes three times
 * as long; the error of 1 + a d^2b is below 2e-4 relative, of a d^2b alone below 1e-3 from d = 1/4
 * on (tested, for b up to 1.33), far inside the noise of the sampled gradient.
 * @example const table = curveTable(1.577, 0.895) // table[128] = a
 */
export function curveTable(a: number, b: number): Float64Array {
  return Float64Array.from({ length: CURVE_END * CURVE_STEPS + 2 }, (_, i) => a * (i / CURVE_STEPS) ** (2 * b))
}

/** A gradient component clipped to [-4, 4], as umap-learn clips every step. */
function clip(v: number): number {
  return v > 4 ? 4 : v < -4 ? -4 : v
}

/** The SGD of umap-learn's optimize_layout_euclidean on the edges head → tail, in place. */
function optimizeLayout(y: Float64Array, n: number, head: Int32Array, tail: Int32Array, weights: Float64Array,
  o: { epochs: number; a: number; b: number; gamma: number; alpha: number; negativeRate: number; rng: Rng;
    onProgress?: (epoch: number) => void }): void {
  const { epochs, a, b, gamma, negativeRate, rng } = o
  const m = head.length
  const largest = weights.reduce((s, w) => Math.max(s, w), 0)
  // An edge of weight w is sampled every wmax / w epochs, and draws a negative every wmax / (w · rate).
  const perSample = weights.map((w) => largest / w)
  const perNegative = perSample.map((e) => e / negativeRate)
  const nextSample = perSample.slice()
  const nextNegative = perNegative.slice()
  const toIndex = n / 2 ** 32
  const table = curveTable(a, b)
  const end = CURVE_END * CURVE_STEPS
  for (let epoch = 0; epoch < epochs; epoch++) {
    const alpha = o.alpha * (1 - Math.max(0, epoch - 1) / epochs)
    for (let e = 0; e < m; e++) {
      if (nextSample[e] > epoch) continue
      const j = head[e]
      const k = tail[e]
      let dx = y[2 * j] - y[2 * k]
      let dy = y[2 * j + 1] - y[2 * k + 1]
      let d2 = dx * dx + dy * dy
      if (d2 > 0) {
        // attraction -2ab d^(2b-2) / (1 + a d^2b); a d^2b from the table from d = 1/4 on
        const u = Math.sqrt(d2) * CURVE_STEPS
        const at = Math.floor(u)
        const apw = at >= CURVE_STEPS / 4 && at < end
          ? table[at] + (u - at) * (table[at + 1] - table[at])
          : a * Math.exp(b * Math.log(d2))
        const coeff = (-2 * b * apw) / d2 / (apw + 1)
        const gx = clip(coeff * dx) * alpha
        const gy = clip(coeff * dy) * alpha
        y[2 * j] += gx
        y[2 * j + 1] += gy
        y[2 * k] -= gx
        y[2 * k + 1] -= gy
      }
      nextSample[e] += perSample[e]
      const negatives = Math.floor((epoch - nextNegative[e]) / perNegative[e])
      // The negatives of one edge all push from where the head is now and move it once: the same
      // expected step as umap-learn's one-by-one updates, and their arithmetic can overlap.
      const hx = y[2 * j]
      const hy = y[2 * j + 1]
      let sx = 0
      let sy = 0
      for (let s = 0; s < negatives; s++) {
        const t = Math.floor(rng.next() * toIndex) // uniform in [0, n) from 32 bits
        dx = hx - y[2 * t]
        dy = hy - y[2 * t + 1]
        d2 = dx * dx + dy * dy
        if (d2 > 0) {
          // repulsion 2γb / ((0.001 + d²)(1 + a d^2b)); a copy of the point (d = 0) is not pushed
          const u = Math.sqrt(d2) * CURVE_STEPS
          const at = Math.floor(u)
          const q = 1 + (at < end ? table[at] + (u - at) * (table[at + 1] - table[at]) : a * Math.exp(b * Math.log(d2)))
          const coeff = (2 * gamma * b) / ((0.001 + d2) * q)
          sx += clip(coeff * dx)
          sy += clip(coeff * dy)
        }
      }
      y[2 * j] = hx + sx * alpha
      y[2 * j + 1] = hy + sy * alpha
      nextNegative[e] += negatives * perNegative[e]
    }
    o.onProgress?.(epoch + 1)
  }
}

/**
 * A 2-D UMAP embedding of the rows of [n, d] data; `init` says how the layout started ('pca' when
 * 'spectral' was asked but the neighbour graph is not connected), `neighbors` how they were found.
 * @example const { embedding, init } = umap(codes, { nNeighbors: 15, minDist: 0.1, seed: 0 })
 */
export function umap(x: Tensor, options: UmapOptions = {}):
  { embedding: Tensor; init: 'spectral' | 'pca' | 'random'; neighbors: 'exact' | 'nndescent' } {
  checkKeys('umap', options, ['nNeighbors', 'minDist', 'spread', 'epochs', 'learningRate', 'negativeSampleRate',
    'repulsionStrength', 'neighbors', 'init', 'rng', 'seed', 'onProgress'])
  const k = options.nNeighbors ?? 15
  const minDist = options.minDist ?? 0.1
  const spread = options.spread ?? 1
  const wanted = options.init ?? 'spectral'
  // [name, value, whether 0 is allowed]
  const numbers: [string, unknown, boolean][] = [['spread', spread, false], ['minDist', minDist, true],
    ['learningRate', options.learningRate ?? 1, false], ['negativeSampleRate', options.negativeSampleRate ?? 5, true],
    ['repulsionStrength', options.repulsionStrength ?? 1, true]]
  for (const [name, v, zero] of numbers) {
    if (!(typeof v === 'number' && (zero ? v >= 0 : v > 0) && v < Infinity)) {
      throw new RangeError(`umap: ${name} must be a number ${zero ? '>= 0' : '> 0'}, got ${shown(v)}`)
    }
  }
  if (minDist > spread) throw new RangeError(`umap: minDist (${minDist}) must not exceed spread (${spread})`)
  if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`umap: nNeighbors must be an integer >= 2, got ${k}`)
  const search = options.neighbors ?? 'auto'
  if (!['auto', 'exact', 'nndescent'].includes(search)) {
    throw new RangeError(`umap: neighbors must be 'auto', 'exact' or 'nndescent', got '${search}'`)
  }
  if (!['spectral', 'pca', 'random'].includes(wanted)) {
    throw new RangeError(`umap: init must be 'spectral', 'pca' or 'random', got '${wanted}'`)
  }
  const data = embeddingInput('umap', x, 2)
  const [n, d] = x.shape
  if (k >= n) throw new RangeError(`umap: nNeighbors (${k}) must be less than the number of rows (${n})`)
  const epochs = options.epochs ?? (n <= 10000 ? 500 : 200)
  if (!(Number.isInteger(epochs) && epochs >= 1)) {
    throw new RangeError(`umap: epochs must be an integer >= 1, got ${epochs}`)
  }
  const rng = options.rng ?? new Rng(checkSeed('umap', options.seed))
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new TypeError(`umap: onProgress must be a function, got ${shown(options.onProgress)}`)
  }
  const approximate = search === 'nndescent' || (search === 'auto' && n >= APPROXIMATE_FROM)
  const graph = fuzzyGraph(data, n, d, k, approximate ? rng : undefined)
  const { y, init } = initialLayout(data, n, d, graph, wanted, rng)
  rescale(y, n)
  // Edges too weak to be sampled even once in `epochs` are dropped (umap-learn).
  const largest = graph.values.reduce((s, w) => Math.max(s, w), 0)
  const keep: number[] = []
  graph.values.forEach((w, e) => w >= largest / epochs && w > 0 && keep.push(e))
  const rowOf = new Int32Array(graph.cols.length)
  for (let i = 0; i < n; i++) rowOf.fill(i, graph.rowStart[i], graph.rowStart[i + 1])
  const { a, b } = findAbParams(spread, minDist)
  optimizeLayout(y, n, Int32Array.from(keep, (e) => rowOf[e]), Int32Array.from(keep, (e) => graph.cols[e]),
    Float64Array.from(keep, (e) => graph.values[e]), { epochs, a, b, gamma: options.repulsionStrength ?? 1,
      alpha: options.learningRate ?? 1, negativeRate: options.negativeSampleRate ?? 5, rng,
      onProgress: options.onProgress })
  return { embedding: new Tensor(y, [n, 2]), init, neighbors: approximate ? 'nndescent' : 'exact' }
}

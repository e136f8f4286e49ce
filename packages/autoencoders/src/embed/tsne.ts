/**
 * t-SNE (van der Maaten and Hinton 2008, "Visualizing Data using t-SNE", JMLR 9) with Barnes-Hut
 * forces (van der Maaten 2014, "Accelerating t-SNE using Tree-Based Algorithms", JMLR 15), the
 * way scikit-learn's TSNE does it.
 *
 * Input similarities: p_j|i ∝ exp(-β_i |x_i - x_j|²) over the 3·perplexity nearest neighbours, with
 * β_i found by bisection so that the entropy of p_·|i is log(perplexity); then P = (P + Pᵀ) / 2n.
 * Output similarities: q_ij = w_ij / Z, w_ij = 1 / (1 + |y_i - y_j|²), Z = Σ_k≠l w_kl. Gradient of
 * KL(P ‖ Q): ∂C/∂y_i = 4 Σ_j (p_ij - q_ij) w_ij (y_i - y_j) = 4 [Σ_j p_ij w_ij (y_i - y_j) -
 * Σ_j w_ij² (y_i - y_j) / Z]: the attraction runs over the sparse P, the repulsion over all pairs,
 * exactly (O(n²)) or by the quadtree. Descent: early exaggeration (P × 12) and momentum 0.5 for
 * 250 iterations, then momentum 0.8; per-coordinate gains (delta-bar-delta: +0.2 while the step
 * keeps its direction, that is update · gradient < 0, × 0.8 when it turns, at least 0.01).
 */
import { checkKeys, Rng, Tensor } from '@latent/tensor'
import { PCA } from '../pca.js'
import {
  checkSeed, embeddingInput, exactNeighbors, type Graph, type Neighbors, shown, symmetrize,
} from './neighbors.js'
import { QuadTree } from './quadtree.js'

/** Options of {@link tsne}; each has scikit-learn's default except theta below 500 rows. */
export interface TsneOptions {
  /** The effective number of neighbours, 2^entropy of each p_·|i (30); must be below n. */
  perplexity?: number
  /** Gradient steps in all (1000). */
  iterations?: number
  /** The factor on P (12) for the first `exaggerationIterations` (250) steps. */
  earlyExaggeration?: number
  exaggerationIterations?: number
  /** Step size; 'auto' is max(n / earlyExaggeration / 4, 50). */
  learningRate?: number | 'auto'
  /**
   * Barnes-Hut accuracy: 0.5 from 500 rows, 0 below (0 computes the repulsion exactly, O(n²) per
   * step, which is then the cheaper; scikit-learn uses 0.5 at every size).
   */
  theta?: number
  /** 'pca' (the first two principal components, scaled so the first has std 1e-4) or 'random'. */
  init?: 'pca' | 'random'
  /** The generator of the random initialisation, or its seed (0); the PCA start needs none. */
  rng?: Rng
  seed?: number
  /** Called every 50 iterations and after the last with the KL divergence (as `kl` below). */
  onProgress?: (iteration: number, kl: number) => void
}

/** Symmetric sparse affinities (values summing to 1). */
export type Affinities = Graph

/** Below this many rows the repulsion is computed exactly (cheaper than building trees). */
export const EXACT_BELOW = 500

/**
 * Conditional affinities p_j|i over each row's neighbours (rows of `neighbors.k`, each summing to
 * 1), with the precision β_i of each row such that their entropy is log(perplexity) within 1e-5.
 * @example const { p, beta } = conditionalAffinities(exactNeighbors(data, n, d, 90), 30)
 */
export function conditionalAffinities(neighbors: Neighbors, perplexity: number):
  { p: Float64Array; beta: Float64Array } {
  const { k, squared } = neighbors
  const n = squared.length / k
  const target = Math.log(perplexity)
  const p = new Float64Array(n * k)
  const beta = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const o = i * k
    // NOTE: distances are measured from the nearest, d_j - d_0, so exp never underflows to a zero sum.
    const d0 = squared[o]
    let b = 1
    let lo = -Infinity
    let hi = Infinity
    for (let step = 0; step < 100; step++) {
      let sum = 0
      let weighted = 0
      for (let t = 0; t < k; t++) {
        const e = Math.exp(-b * (squared[o + t] - d0))
        p[o + t] = e
        sum += e
        weighted += (squared[o + t] - d0) * e
      }
      // H = -Σ p log p with p = e / sum = log(sum) + β Σ (d - d_0) p
      const entropy = Math.log(sum) + (b * weighted) / sum
      for (let t = 0; t < k; t++) p[o + t] /= sum
      const diff = entropy - target
      if (Math.abs(diff) <= 1e-5) break
      if (diff > 0) {
        lo = b
        b = hi === Infinity ? b * 2 : (b + hi) / 2
      } else {
        hi = b
        b = lo === -Infinity ? b / 2 : (b + lo) / 2
      }
    }
    beta[i] = b
  }
  return { p, beta }
}

/**
 * The joint affinities P = (P + Pᵀ) / Σ(P + Pᵀ) (that is / 2n) from the conditional ones.
 * @example const P = jointAffinities(exactNeighbors(data, n, d, 90), 30)
 */
export function jointAffinities(neighbors: Neighbors, perplexity: number): Affinities {
  const joint = symmetrize(neighbors, conditionalAffinities(neighbors, perplexity).p, 'sum')
  let total = 0
  for (let e = 0; e < joint.values.length; e++) total += joint.values[e]
  for (let e = 0; e < joint.values.length; e++) joint.values[e] /= total
  return joint
}

/**
 * The gradient of KL(P ‖ Q) at the embedding y ([n, 2] flat) into `grad`, with P multiplied by
 * `exaggeration`. With `kl: true` it returns KL(P ‖ Q) for the plain P, with Z from the same
 * approximation as the repulsion (exact when theta is 0, as scikit-learn reports it otherwise);
 * else NaN (the logarithms would cost as much as the attraction).
 * @example const kl = klGradient(P, y, grad, { theta: 0.5, kl: true })
 */
export function klGradient(p: Affinities, y: Float64Array, grad: Float64Array,
  options: { theta?: number; exaggeration?: number; kl?: boolean; tree?: QuadTree } = {}): number {
  const { n, rowStart, cols, values } = p
  const theta = options.theta ?? 0.5
  const exaggeration = options.exaggeration ?? 1
  const rep = grad
  rep.fill(0)
  let z = 0
  if (theta === 0) {
    for (let i = 0; i < n; i++) {
      const yi = y[2 * i]
      const yi1 = y[2 * i + 1]
      let fx = 0
      let fy = 0
      for (let j = i + 1; j < n; j++) {
        const dx = yi - y[2 * j]
        const dy = yi1 - y[2 * j + 1]
        const w = 1 / (1 + dx * dx + dy * dy)
        const w2 = w * w
        z += 2 * w
        fx += w2 * dx
        fy += w2 * dy
        rep[2 * j] -= w2 * dx
        rep[2 * j + 1] -= w2 * dy
      }
      rep[2 * i] += fx
      rep[2 * i + 1] += fy
    }
  } else {
    const tree = options.tree ?? new QuadTree()
    tree.build(y, n)
    const theta2 = theta * theta
    for (let t = 0; t < n; t++) {
      const i = tree.order[t]
      z += tree.repulse(y[2 * i], y[2 * i + 1], theta2, rep, 2 * i)
    }
  }
  // grad_i = 4 (exaggeration Σ_j p_ij w_ij (y_i - y_j) - rep_i / Z)
  let kl = options.kl ? 0 : NaN
  for (let i = 0; i < n; i++) {
    const yi = y[2 * i]
    const yi1 = y[2 * i + 1]
    let ax = 0
    let ay = 0
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const j = cols[e]
      const dx = yi - y[2 * j]
      const dy = yi1 - y[2 * j + 1]
      const w = 1 / (1 + dx * dx + dy * dy)
      const pw = values[e] * w
      ax += pw * dx
      ay += pw * dy
      if (options.kl && values[e] > 0) kl += values[e] * Math.log(values[e] / Math.max(w / z, Number.MIN_VALUE))
    }
    grad[2 * i] = 4 * (exaggeration * ax - rep[2 * i] / z)
    grad[2 * i + 1] = 4 * (exaggeration * ay - rep[2 * i + 1] / z)
  }
  return kl
}

/**
 * The starting layout: PCA scaled to a first-coordinate std of 1e-4, or N(0, 1e-4²). A second
 * coordinate without variance (one feature, or rows on a line) would stay 0 in every step (its
 * gradient is 0 too), so it is drawn from N(0, 1e-4²) instead.
 */
function initialLayout(data: Float64Array, n: number, d: number, init: 'pca' | 'random', rng: Rng): Float64Array {
  const y = new Float64Array(2 * n)
  if (init === 'random') {
    for (let i = 0; i < n; i++) [y[2 * i], y[2 * i + 1]] = rng.normalPair().map((v) => 1e-4 * v)
    return y
  }
  const m = Math.min(2, d)
  const codes = new PCA(m).fit(new Tensor(data, [n, d])).transform(new Tensor(data, [n, d])).data
  let mean = 0
  let sq = 0
  for (let i = 0; i < n; i++) mean += codes[i * m] / n
  for (let i = 0; i < n; i++) sq += (codes[i * m] - mean) ** 2 / n
  const scale = Math.sqrt(sq) > 0 ? 1e-4 / Math.sqrt(sq) : 1
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) y[2 * i + c] = codes[i * m + c] * scale
  let spread = 0
  for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(y[2 * i + 1]))
  if (spread === 0) for (let i = 0; i < n; i++) y[2 * i + 1] = 1e-4 * rng.normalPair()[0]
  return y
}

/**
 * A 2-D t-SNE embedding of the rows of [n, d] data. `kl` is the final KL divergence, with the
 * Barnes-Hut estimate of Z unless the repulsion was exact (scikit-learn's `kl_divergence_`).
 * @example const { embedding, kl } = tsne(codes, { perplexity: 30, seed: 0 })
 */
export function tsne(x: Tensor, options: TsneOptions = {}): { embedding: Tensor; kl: number } {
  checkKeys('tsne', options, ['perplexity', 'iterations', 'earlyExaggeration', 'exaggerationIterations',
    'learningRate', 'theta', 'init', 'rng', 'seed', 'onProgress'])
  const perplexity = options.perplexity ?? 30
  const iterations = options.iterations ?? 1000
  const exaggeration = options.earlyExaggeration ?? 12
  const exaggerated = options.exaggerationIterations ?? 250
  const init = options.init ?? 'pca'
  const positive = (name: string, v: unknown): void => {
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
      throw new RangeError(`tsne: ${name} must be a positive number, got ${shown(v)}`)
    }
  }
  positive('perplexity', perplexity)
  positive('earlyExaggeration', exaggeration)
  if (!(Number.isInteger(iterations) && iterations >= 1 && Number.isInteger(exaggerated) && exaggerated >= 0)) {
    throw new RangeError(`tsne: iterations (${iterations}) and exaggerationIterations (${exaggerated}) ` +
      'must be whole numbers, iterations at least 1')
  }
  if (init !== 'pca' && init !== 'random') throw new RangeError(`tsne: init must be 'pca' or 'random', got '${init}'`)
  const data = embeddingInput('tsne', x, 2)
  const [n, d] = x.shape
  if (!(perplexity < n)) {
    throw new RangeError(`tsne: the perplexity (${perplexity}) must be less than the number of rows (${n})`)
  }
  const theta = options.theta ?? (n < EXACT_BELOW ? 0 : 0.5)
  if (!(typeof theta === 'number' && theta >= 0 && theta < Infinity)) {
    throw new RangeError(`tsne: theta must be a number >= 0, got ${shown(theta)}`)
  }
  const learningRate = options.learningRate === undefined || options.learningRate === 'auto'
    ? Math.max(n / exaggeration / 4, 50)
    : options.learningRate
  positive('learningRate', learningRate)
  const rng = options.rng ?? new Rng(checkSeed('tsne', options.seed))
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new TypeError(`tsne: onProgress must be a function, got ${shown(options.onProgress)}`)
  }
  const k = Math.min(n - 1, Math.floor(3 * perplexity + 1))
  const p = jointAffinities(exactNeighbors(data, n, d, k), perplexity)
  const y = initialLayout(data, n, d, init, rng)
  const grad = new Float64Array(2 * n)
  const update = new Float64Array(2 * n)
  const gains = new Float64Array(2 * n)
  const tree = new QuadTree()
  let kl = NaN
  for (let it = 0; it < iterations; it++) {
    // scikit-learn runs two descents, each starting with zero momentum and unit gains.
    if (it === 0 || it === exaggerated) {
      update.fill(0)
      gains.fill(1)
    }
    const early = it < exaggerated
    const report = (it + 1) % 50 === 0 || it === iterations - 1
    kl = klGradient(p, y, grad, { theta, exaggeration: early ? exaggeration : 1, kl: report, tree })
    const momentum = early ? 0.5 : 0.8
    for (let c = 0; c < 2 * n; c++) {
      const g = (gains[c] = update[c] * grad[c] < 0 ? gains[c] + 0.2 : Math.max(gains[c] * 0.8, 0.01))
      update[c] = momentum * update[c] - learningRate * g * grad[c]
      y[c] += update[c]
    }
    if (report) options.onProgress?.(it + 1, kl)
  }
  return { embedding: new Tensor(y, [n, 2]), kl }
}

/**
 * Ranking metrics for anomaly scores (higher = more anomalous) against binary labels
 * (1 = anomaly): the ROC curve and its area, and precision-recall with average precision. And
 * trustworthiness, how well an embedding keeps neighbourhoods (Venna and Kaski 2001).
 */
import { formatShape, type Tensor } from '@latent/tensor'
import { embeddingInput, exactNeighbors, squaredDistance } from './embed/neighbors.js'

function check(op: string, scores: ArrayLike<number>, labels: ArrayLike<number>): { pos: number; neg: number } {
  if (scores.length !== labels.length) {
    throw new RangeError(`${op}: ${scores.length} scores for ${labels.length} labels`)
  }
  let pos = 0
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new RangeError(`${op}: labels must be 0 or 1, got ${labels[i]} at ${i}`)
    }
    pos += labels[i]
  }
  const neg = labels.length - pos
  if (pos === 0 || neg === 0) throw new RangeError(`${op}: needs both classes, got ${pos} positive and ${neg} negative`)
  return { pos, neg }
}

/** Indices by decreasing score. */
const byScore = (scores: ArrayLike<number>): number[] =>
  Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a])

/**
 * Area under the ROC curve: the probability that a random anomaly scores above a random normal
 * sample (ties count half), the Mann-Whitney statistic.
 * @example auroc(scores, labels) // 0.5 at chance, 1 for a perfect ranking
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { pos, neg } = check('auroc', scores, labels)
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b])
  // Sum of the ranks of the positives, with tied scores sharing their average rank.
  let rankSum = 0
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++
    const rank = (i + j) / 2 + 1
    for (let t = i; t <= j; t++) if (labels[order[t]] === 1) rankSum += rank
    i = j + 1
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg)
}

/**
 * The ROC curve: false- and true-positive rates as the threshold sweeps down the scores, one
 * point per distinct score, from (0, 0) to (1, 1).
 * @example const { fpr, tpr, thresholds } = rocCurve(scores, labels)
 */
export function rocCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  const { pos, neg } = check('rocCurve', scores, labels)
  const order = byScore(scores)
  const fpr = [0]
  const tpr = [0]
  const thresholds = [Infinity]
  let tp = 0
  let fp = 0
  for (let i = 0; i < order.length; i++) {
    if (labels[order[i]] === 1) tp++
    else fp++
    if (i + 1 === order.length || scores[order[i + 1]] !== scores[order[i]]) {
      fpr.push(fp / neg)
      tpr.push(tp / pos)
      thresholds.push(scores[order[i]])
    }
  }
  return { fpr, tpr, thresholds }
}

/**
 * Precision and recall at every distinct score threshold, and average precision
 * (Σ (Rₙ - Rₙ₋₁) Pₙ, scikit-learn's definition).
 * @example const { averagePrecision } = precisionRecall(scores, labels)
 */
export function precisionRecall(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { precision: number[]; recall: number[]; thresholds: number[]; averagePrecision: number } {
  const { pos } = check('precisionRecall', scores, labels)
  const order = byScore(scores)
  const precision: number[] = []
  const recall: number[] = []
  const thresholds: number[] = []
  let tp = 0
  let ap = 0
  let lastRecall = 0
  for (let i = 0; i < order.length; i++) {
    if (labels[order[i]] === 1) tp++
    if (i + 1 === order.length || scores[order[i + 1]] !== scores[order[i]]) {
      const p = tp / (i + 1)
      const r = tp / pos
      ap += (r - lastRecall) * p
      lastRecall = r
      precision.push(p)
      recall.push(r)
      thresholds.push(scores[order[i]])
    }
  }
  return { precision, recall, thresholds, averagePrecision: ap }
}

/**
 * The q-quantile of values (linear interpolation between order statistics, NumPy's default).
 * @example quantile(trainScores, 0.99)
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`)
  if (values.length === 0) throw new RangeError('quantile: no values')
  const sorted = Array.from(values).sort((a, b) => a - b)
  const pos = q * (sorted.length - 1)
  const lo = Math.floor(pos)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo])
}

/**
 * Trustworthiness of an embedding `low` of the rows of `high` (scikit-learn's definition):
 * T(k) = 1 - 2 / (n k (2n - 3k - 1)) Σ_i Σ_{j ∈ U_k(i)} (r(i, j) - k), where U_k(i) holds the k
 * nearest neighbours of i in the embedding that are not among its k nearest in the input, and
 * r(i, j) is the rank of j by input distance from i (1 = nearest). Euclidean distances, ties
 * ranked by index (but among many exact copies in the embedding, which k count may vary; see
 * `Neighbors`); 1 when every embedded neighbourhood is an input neighbourhood.
 * @example trustworthiness(x, tsne(x).embedding, 10) // close to 1 for a faithful embedding
 */
export function trustworthiness(high: Tensor, low: Tensor, k = 5): number {
  const x = embeddingInput('trustworthiness', high, 2)
  const y = embeddingInput('trustworthiness', low, 2, 'the embedded points')
  const [n, d] = high.shape
  if (low.shape[0] !== n) {
    throw new RangeError(`trustworthiness: the data ${formatShape(high.shape)} and the embedding ` +
      `${formatShape(low.shape)} must have the same rows`)
  }
  if (!(Number.isInteger(k) && k >= 1 && k < n / 2)) {
    throw new RangeError(`trustworthiness: k must be an integer in [1, n / 2) = [1, ${n / 2}), got ${k}`)
  }
  const { indices } = exactNeighbors(y, n, low.shape[1], k)
  const dist = new Float64Array(n)
  let penalty = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) dist[j] = squaredDistance(x, d, i, j)
    dist[i] = Infinity
    for (let t = 0; t < k; t++) {
      // r(i, j) = 1 + #{l nearer than j, or as near with a smaller index}; i itself is at infinity
      const j = indices[i * k + t]
      const dj = dist[j]
      let rank = 1
      for (let l = 0; l < n; l++) if (dist[l] < dj || (dist[l] === dj && l < j)) rank++
      if (rank > k) penalty += rank - k
    }
  }
  return 1 - (2 * penalty) / (n * k * (2 * n - 3 * k - 1))
}

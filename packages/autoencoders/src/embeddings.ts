/**
 * The encoder as an embedding function: codes of new data, their nearest neighbours by
 * Euclidean, cosine or Manhattan distance, and k-nearest-neighbour accuracy as an intrinsic
 * measure of how well codes keep classes apart.
 */
import { checkKeys, formatShape, type Tensor } from '@latent/tensor'

export type Metric = 'euclidean' | 'cosine' | 'manhattan'

function distance(metric: Metric, a: Tensor['data'], ai: number, b: Tensor['data'], bi: number, d: number): number {
  let s = 0
  if (metric === 'euclidean') {
    for (let j = 0; j < d; j++) s += (a[ai + j] - b[bi + j]) ** 2
    return Math.sqrt(s)
  }
  if (metric === 'manhattan') {
    for (let j = 0; j < d; j++) s += Math.abs(a[ai + j] - b[bi + j])
    return s
  }
  let na = 0
  let nb = 0
  for (let j = 0; j < d; j++) {
    s += a[ai + j] * b[bi + j]
    na += a[ai + j] ** 2
    nb += b[bi + j] ** 2
  }
  // cosine distance 1 - cos θ; a zero vector is at distance 1 from everything
  return na === 0 || nb === 0 ? 1 : 1 - s / Math.sqrt(na * nb)
}

/**
 * Throws, naming the row and column, unless every value of a [n, d] matrix is finite: a NaN
 * would compare false with everything and rank as anyone's nearest neighbour.
 * @example checkFiniteRows('nearestNeighbors', 'queries', codes)
 */
export function checkFiniteRows(op: string, what: string, x: Tensor): void {
  const d = x.shape[1] ?? 1
  for (let i = 0; i < x.size; i++) {
    if (!Number.isFinite(x.data[i])) {
      throw new RangeError(`${op}: ${what} hold ${x.data[i]} at row ${Math.floor(i / d)}, column ${i % d}`)
    }
  }
}

/**
 * The k nearest rows of `reference` to each row of `queries`, closest first.
 * @example
 *   const { indices, distances } = nearestNeighbors(trainCodes, queryCodes, { k: 5, metric: 'cosine' })
 */
export function nearestNeighbors(
  reference: Tensor,
  queries: Tensor,
  options: { k: number; metric?: Metric; exclude?: 'self' },
): { indices: Int32Array[]; distances: Float64Array[] } {
  checkKeys('nearestNeighbors', options, ['k', 'metric', 'exclude'])
  const metric = options.metric ?? 'euclidean'
  if (!['euclidean', 'cosine', 'manhattan'].includes(metric)) {
    throw new RangeError(`nearestNeighbors: unknown metric '${metric}' (euclidean, cosine or manhattan)`)
  }
  if (reference.rank !== 2 || queries.rank !== 2 || reference.shape[1] !== queries.shape[1]) {
    throw new RangeError(`nearestNeighbors: reference ${formatShape(reference.shape)} ` +
      `and queries ${formatShape(queries.shape)} must be [n, d] with the same d`)
  }
  checkFiniteRows('nearestNeighbors', 'the reference rows', reference)
  checkFiniteRows('nearestNeighbors', 'the queries', queries)
  const [n, d] = reference.shape
  const k = Math.min(options.k, n - (options.exclude === 'self' ? 1 : 0))
  if (!(Number.isInteger(options.k) && options.k >= 1)) {
    throw new RangeError(`nearestNeighbors: k must be a positive integer, got ${options.k}`)
  }
  const indices: Int32Array[] = []
  const distances: Float64Array[] = []
  const dist = new Float64Array(n)
  const order = new Int32Array(n)
  for (let q = 0; q < queries.shape[0]; q++) {
    for (let i = 0; i < n; i++) {
      dist[i] = options.exclude === 'self' && i === q
        ? Infinity
        : distance(metric, reference.data, i * d, queries.data, q * d, d)
      order[i] = i
    }
    const best = Array.from(order).sort((a, b) => dist[a] - dist[b] || a - b).slice(0, k)
    indices.push(Int32Array.from(best))
    distances.push(Float64Array.from(best, (i) => dist[i]))
  }
  return { indices, distances }
}

/**
 * Accuracy of the k-nearest-neighbour classifier (majority vote, ties to the nearest) that
 * labels each test code from the training codes; with `exclude: 'self'` (the same rows for
 * both) each row is labelled by its neighbours other than itself (leave one out).
 * @example knnAccuracy(trainCodes, yTrain, testCodes, yTest, { k: 5 })
 */
export function knnAccuracy(
  trainCodes: Tensor,
  trainLabels: ArrayLike<number>,
  testCodes: Tensor,
  testLabels: ArrayLike<number>,
  options: { k?: number; metric?: Metric; exclude?: 'self' } = {},
): number {
  if (trainLabels.length !== trainCodes.shape[0] || testLabels.length !== testCodes.shape[0]) {
    throw new RangeError('knnAccuracy: one label per row is needed')
  }
  const { indices } = nearestNeighbors(trainCodes, testCodes,
    { k: options.k ?? 5, metric: options.metric, ...(options.exclude ? { exclude: options.exclude } : {}) })
  let hit = 0
  indices.forEach((nn, q) => {
    const votes = new Map<number, number>()
    let winner = trainLabels[nn[0]]
    for (const i of nn) {
      const c = (votes.get(trainLabels[i]) ?? 0) + 1
      votes.set(trainLabels[i], c)
      if (c > (votes.get(winner) ?? 0)) winner = trainLabels[i]
    }
    if (winner === testLabels[q]) hit++
  })
  return hit / testCodes.shape[0]
}

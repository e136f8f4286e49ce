/**
 * Exact k nearest neighbours for the neighbour embeddings (t-SNE, UMAP), by brute force: the
 * squared distance |a - b|² = |a|² + |b|² - 2 a·b ranks candidates from a float32 matrix product
 * (the fast GEMM), then the best few candidates of each row are re-measured in float64 and sorted,
 * so the result is the exact float64 answer unless float32 rounding moves a point across more
 * than the safety margin of candidates.
 */
import { formatShape, matmul, Tensor } from '@latent/tensor'
import { checkFiniteRows } from '../embeddings.js'

/**
 * The k nearest other rows of every row, nearest first, [n * k] row-major. Ties go by index, except
 * among more exact ties than the search's margin of candidates (many copies of one point): which
 * of those are kept then depends on float32 rounding.
 */
export interface Neighbors {
  k: number
  indices: Int32Array
  /** Squared Euclidean distances. */
  squared: Float64Array
}

/** A sparse square matrix, rows in compressed form: row i is cols/values[rowStart[i]..rowStart[i + 1]). */
export interface Graph {
  n: number
  rowStart: Int32Array
  cols: Int32Array
  values: Float64Array
}

/**
 * The symmetric matrix of a directed neighbour weighting a_ij (`values`, laid out as
 * `neighbors.indices`): a_ij + a_ji ('sum', t-SNE) or the fuzzy union a_ij + a_ji - a_ij a_ji
 * ('fuzzy', UMAP), a missing entry counting 0. Row i holds its own neighbours first, then the rows
 * that have i as a neighbour and are not among them.
 * @example const g = symmetrize(neighbors, weights, 'fuzzy')
 */
export function symmetrize(neighbors: Neighbors, values: Float64Array, mode: 'sum' | 'fuzzy'): Graph {
  const { k, indices } = neighbors
  const n = indices.length / k
  const incoming = new Int32Array(n + 1)
  for (let e = 0; e < n * k; e++) incoming[indices[e] + 1]++
  for (let i = 0; i < n; i++) incoming[i + 1] += incoming[i]
  const from = new Int32Array(n * k)
  const fill = incoming.slice(0, n)
  for (let e = 0; e < n * k; e++) from[fill[indices[e]]++] = e
  const rowStart = new Int32Array(n + 1)
  const cols = new Int32Array(2 * n * k)
  const out = new Float64Array(2 * n * k)
  const slot = new Int32Array(n).fill(-1)
  let at = 0
  for (let i = 0; i < n; i++) {
    rowStart[i] = at
    for (let t = 0; t < k; t++) {
      slot[indices[i * k + t]] = at
      cols[at] = indices[i * k + t]
      out[at++] = values[i * k + t]
    }
    for (let r = incoming[i]; r < incoming[i + 1]; r++) {
      const e = from[r]
      const j = Math.floor(e / k)
      const s = slot[j]
      if (s < 0) {
        cols[at] = j
        out[at++] = values[e]
      } else {
        out[s] = mode === 'sum' ? out[s] + values[e] : out[s] + values[e] - out[s] * values[e]
      }
    }
    for (let e = rowStart[i]; e < at; e++) slot[cols[e]] = -1
  }
  rowStart[n] = at
  return { n, rowStart, cols: cols.slice(0, at), values: out.slice(0, at) }
}

/**
 * The rows of a [n, d] tensor as float64, checked (2-D, at least `least` rows, every value
 * finite: a NaN is named by row and column), centred and divided by its largest |value|. Every
 * method here depends only on the ranks and ratios of distances, so this
 * changes no answer, but it keeps float32 ranking and the calibrations' bisections (which start at
 * a precision of 1) in range for data of any scale, from 1e-30 to 1e30.
 * @example const data = embeddingInput('tsne', x, 2)
 */
export function embeddingInput(op: string, x: Tensor, least: number, what = 'the data'): Float64Array {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${typeof x}`)
  if (x.rank !== 2) throw new RangeError(`${op}: expected ${what} of shape [n, features], got ${formatShape(x.shape)}`)
  if (x.shape[0] < least) throw new RangeError(`${op}: needs at least ${least} rows, got ${x.shape[0]}`)
  checkFiniteRows(op, what, x)
  const [n, d] = x.shape
  const data = Float64Array.from(x.data)
  const mean = new Float64Array(d)
  for (let i = 0; i < n * d; i++) mean[i % d] += data[i] / n
  let largest = 0
  for (let i = 0; i < n * d; i++) largest = Math.max(largest, Math.abs((data[i] -= mean[i % d])))
  if (largest > 0) for (let i = 0; i < n * d; i++) data[i] /= largest
  return data
}

/**
 * The squared Euclidean distance between rows a and b of [*, d] float64 data.
 * @example squaredDistance(data, d, i, j)
 */
export function squaredDistance(data: Float64Array, d: number, a: number, b: number): number {
  let s = 0
  for (let c = 0, x = a * d, y = b * d; c < d; c++) {
    const t = data[x + c] - data[y + c]
    s += t * t
  }
  return s
}

/** A value as an error message shows it: strings quoted, so '5' and 5 differ. */
export function shown(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : typeof v === 'function' ? 'a function' : String(v)
}

/**
 * The seed option of an embedding (0 when absent), checked: an integer, named with the op.
 * @example new Rng(checkSeed('umap', options.seed))
 */
export function checkSeed(op: string, seed: unknown): number {
  if (seed === undefined) return 0
  if (!(typeof seed === 'number' && Number.isSafeInteger(seed))) {
    throw new RangeError(`${op}: seed must be an integer, got ${shown(seed)}`)
  }
  return seed
}

/** Keys compared while ranking; their heap of the `c` smallest (largest on top). */
function siftDown(keys: Float64Array, ids: Int32Array, c: number, key: number, id: number): void {
  let p = 0
  for (;;) {
    let ch = 2 * p + 1
    if (ch >= c) break
    if (ch + 1 < c && keys[ch + 1] > keys[ch]) ch++
    if (keys[ch] <= key) break
    keys[p] = keys[ch]
    ids[p] = ids[ch]
    p = ch
  }
  keys[p] = key
  ids[p] = id
}

/**
 * The k nearest neighbours of each row of [n, d] float64 data, itself excluded.
 * @example const { indices, squared } = exactNeighbors(data, n, d, 15)
 */
export function exactNeighbors(data: Float64Array, n: number, d: number, k: number): Neighbors {
  if (!(Number.isInteger(k) && k >= 1 && k < n)) {
    throw new RangeError(`exactNeighbors: k must be an integer in [1, ${n - 1}] for ${n} rows, got ${k}`)
  }
  // Centring loses nothing and keeps |a|² small, so the float32 ranking cancels less.
  const mean = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n
  const x64 = new Float64Array(n * d)
  for (let i = 0; i < n * d; i++) x64[i] = data[i] - mean[i % d]
  const all = new Tensor(Float32Array.from(x64), [n, d])
  const norms = new Float64Array(n)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) norms[i] += all.data[i * d + j] ** 2
  const c = Math.min(n - 1, k + Math.max(8, k >> 2))
  const keys = new Float64Array(c)
  const ids = new Int32Array(c)
  const exact = new Float64Array(c)
  const order = new Int32Array(c)
  const indices = new Int32Array(n * k)
  const squared = new Float64Array(n * k)
  const block = Math.max(16, Math.min(1024, Math.floor((1 << 22) / n)))
  for (let at = 0; at < n; at += block) {
    const rows = Math.min(block, n - at)
    const g = matmul(new Tensor(all.data.subarray(at * d, (at + rows) * d), [rows, d]), all, { transposeB: true }).data
    for (let r = 0; r < rows; r++) {
      const i = at + r
      candidates(g as Float32Array, r * n, norms, i, keys, ids)
      for (let t = 0; t < c; t++) {
        exact[t] = squaredDistance(x64, d, i, ids[t])
        order[t] = t
      }
      order.sort((u, v) => exact[u] - exact[v] || ids[u] - ids[v])
      for (let t = 0; t < k; t++) {
        indices[i * k + t] = ids[order[t]]
        squared[i * k + t] = exact[order[t]]
      }
    }
  }
  return { k, indices, squared }
}

/**
 * The `keys.length` smallest rank keys |b|² - 2 a·b of row `self` (|a|², the same for the whole row,
 * dropped), from its products with every row: g[o + j] = a·b_j.
 */
function candidates(g: Float32Array, o: number, norms: Float64Array, self: number, keys: Float64Array,
  ids: Int32Array): void {
  const n = norms.length
  const c = keys.length
  let j = 0
  for (let filled = 0; filled < c; j++) if (j !== self) siftUp(keys, ids, filled++, norms[j] - 2 * g[o + j], j)
  for (; j < n; j++) {
    const key = norms[j] - 2 * g[o + j]
    if (key < keys[0] && j !== self) siftDown(keys, ids, c, key, j)
  }
}

/** Adds a key to a max-heap holding `size` keys. */
function siftUp(keys: Float64Array, ids: Int32Array, size: number, key: number, id: number): void {
  let p = size
  while (p > 0) {
    const parent = (p - 1) >> 1
    if (keys[parent] >= key) break
    keys[p] = keys[parent]
    ids[p] = ids[parent]
    p = parent
  }
  keys[p] = key
  ids[p] = id
}

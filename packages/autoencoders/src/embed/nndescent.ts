/**
 * Approximate k nearest neighbours for large inputs, as umap-learn finds them: a forest of random
 * projection trees gives every point candidates (the points sharing its leaves), and NN-descent
 * (Dong, Moses and Li 2011, "Efficient k-nearest neighbor graph construction for generic similarity
 * measures", WWW) refines them on the principle that a neighbour of a neighbour is likely a
 * neighbour: each round, every point's new candidates are compared with each other and with its
 * old ones, in both directions, until a round improves fewer than δ·n·k entries.
 *
 * Each point keeps its k best as a max-heap (the worst on top) of squared float64 distances with a
 * "new" flag per entry, so an entry takes part in the join once as new and is old after.
 */
import type { Rng } from '@latent/tensor'
import { type Neighbors, squaredDistance } from './neighbors.js'

/** At most min(60, k) candidates per point and round (pynndescent's default max_candidates). */
const MAX_CANDIDATES = 60
/** Stop when a round changes fewer than DELTA · n · k entries. */
const DELTA = 0.001

/** The neighbour heaps of all points: row i is [i * k, (i + 1) * k), its worst entry first. */
class Heaps {
  readonly dist: Float64Array
  readonly ids: Int32Array
  readonly fresh: Uint8Array

  constructor(readonly n: number, readonly k: number) {
    this.dist = new Float64Array(n * k).fill(Infinity)
    this.ids = new Int32Array(n * k).fill(-1)
    this.fresh = new Uint8Array(n * k)
  }

  /** Offers j to i's heap at squared distance d; 1 if it went in (nearer than the worst, not there yet). */
  push(i: number, d: number, j: number): number {
    const { k, dist, ids, fresh } = this
    const o = i * k
    if (!(d < dist[o])) return 0
    for (let t = 0; t < k; t++) if (ids[o + t] === j) return 0
    // Replace the root and sift it down (children of p are 2p + 1 and 2p + 2).
    let p = 0
    for (;;) {
      let c = 2 * p + 1
      if (c >= k) break
      if (c + 1 < k && dist[o + c + 1] > dist[o + c]) c++
      if (dist[o + c] <= d) break
      dist[o + p] = dist[o + c]
      ids[o + p] = ids[o + c]
      fresh[o + p] = fresh[o + c]
      p = c
    }
    dist[o + p] = d
    ids[o + p] = j
    fresh[o + p] = 1
    return 1
  }
}

/**
 * One random projection tree: splits the points by the hyperplane halfway between two random
 * members until a part has at most `leafSize`, then offers every pair within a leaf to the heaps.
 * A part whose points all fall on one side (copies) is halved as it stands.
 */
function plantTree(data: Float64Array, d: number, heaps: Heaps, leafSize: number, rng: Rng): void {
  const order = Int32Array.from({ length: heaps.n }, (_, i) => i)
  const stack: [number, number][] = [[0, heaps.n]]
  const side = new Float64Array(heaps.n)
  while (stack.length > 0) {
    const [lo, hi] = stack.pop()!
    if (hi - lo <= leafSize) {
      for (let s = lo; s < hi; s++) {
        for (let t = s + 1; t < hi; t++) {
          const dist = squaredDistance(data, d, order[s], order[t])
          heaps.push(order[s], dist, order[t])
          heaps.push(order[t], dist, order[s])
        }
      }
      continue
    }
    // Point x is on the side of a if |x - a|² < |x - b|², i.e. (b - a)·x < (|b|² - |a|²) / 2.
    const a = order[lo + rng.int(hi - lo)]
    let b = order[lo + rng.int(hi - lo - 1)]
    if (b === a) b = order[hi - 1]
    for (let s = lo; s < hi; s++) {
      side[order[s]] = squaredDistance(data, d, order[s], a) - squaredDistance(data, d, order[s], b)
    }
    let mid = lo
    for (let s = lo; s < hi; s++) {
      if (side[order[s]] < 0) {
        const t = order[mid]
        order[mid++] = order[s]
        order[s] = t
      }
    }
    if (mid === lo || mid === hi) mid = (lo + hi) >> 1
    stack.push([mid, hi], [lo, mid])
  }
}

/**
 * Adds j to a bounded candidate list of i by reservoir sampling: every offer has the same chance
 * to be kept whatever the order of the offers.
 */
function offer(list: Int32Array, count: Int32Array, seen: Int32Array, m: number, i: number, j: number,
  rng: Rng): void {
  const t = seen[i]++
  if (count[i] < m) list[i * m + count[i]++] = j
  else {
    const r = rng.int(t + 1)
    if (r < m) list[i * m + r] = j
  }
}

/**
 * Approximate k nearest neighbours of each row of [n, d] float64 data (itself excluded), nearest
 * first (ties by index), with exact squared distances: random projection trees, then NN-descent.
 * @example const { indices, squared } = nnDescent(data, n, d, 15, new Rng(0))
 */
export function nnDescent(data: Float64Array, n: number, d: number, k: number, rng: Rng): Neighbors {
  if (!(Number.isInteger(k) && k >= 1 && k < n)) {
    throw new RangeError(`nnDescent: k must be an integer in [1, ${n - 1}] for ${n} rows, got ${k}`)
  }
  const heaps = new Heaps(n, k)
  const trees = Math.min(32, 5 + Math.round(Math.sqrt(n) / 20))
  for (let t = 0; t < trees; t++) plantTree(data, d, heaps, Math.max(10, k + 1), rng)
  // A point left with empty slots (a tiny leaf) takes the points after a random one; the descent
  // improves them. (An empty slot has distance Infinity, so it is the heap's top.)
  for (let i = 0; i < n; i++) {
    const start = heaps.ids[i * k] < 0 ? rng.int(n) : 0
    for (let s = 0; s < n && heaps.ids[i * k] < 0; s++) {
      const j = (start + s) % n
      if (j !== i) heaps.push(i, squaredDistance(data, d, i, j), j)
    }
  }
  const m = Math.min(MAX_CANDIDATES, k)
  const fresh = new Int32Array(n * m)
  const old = new Int32Array(n * m)
  const freshCount = new Int32Array(n)
  const oldCount = new Int32Array(n)
  const freshSeen = new Int32Array(n)
  const oldSeen = new Int32Array(n)
  const rounds = Math.max(5, Math.round(Math.log2(n)))
  for (let round = 0; round < rounds; round++) {
    freshCount.fill(0)
    oldCount.fill(0)
    freshSeen.fill(0)
    oldSeen.fill(0)
    // Candidates: each entry i → j goes to i's list and, reversed, to j's.
    for (let i = 0; i < n; i++) {
      for (let t = i * k; t < (i + 1) * k; t++) {
        const j = heaps.ids[t]
        if (j < 0) continue
        if (heaps.fresh[t]) {
          offer(fresh, freshCount, freshSeen, m, i, j, rng)
          offer(fresh, freshCount, freshSeen, m, j, i, rng)
        } else {
          offer(old, oldCount, oldSeen, m, i, j, rng)
          offer(old, oldCount, oldSeen, m, j, i, rng)
        }
      }
    }
    // The entries that made it into a new list are old from now on.
    for (let i = 0; i < n; i++) {
      for (let t = i * k; t < (i + 1) * k; t++) {
        if (!heaps.fresh[t]) continue
        const j = heaps.ids[t]
        for (let c = 0; c < freshCount[i]; c++) {
          if (fresh[i * m + c] === j) {
            heaps.fresh[t] = 0
            break
          }
        }
      }
    }
    // The local join: new with new, and new with old, each pair offered both ways.
    let changed = 0
    for (let i = 0; i < n; i++) {
      const f = i * m
      for (let s = 0; s < freshCount[i]; s++) {
        const p = fresh[f + s]
        for (let t = s + 1; t < freshCount[i]; t++) {
          const q = fresh[f + t]
          if (p === q) continue
          const dist = squaredDistance(data, d, p, q)
          changed += heaps.push(p, dist, q) + heaps.push(q, dist, p)
        }
        for (let t = 0; t < oldCount[i]; t++) {
          const q = old[f + t]
          if (p === q) continue
          const dist = squaredDistance(data, d, p, q)
          changed += heaps.push(p, dist, q) + heaps.push(q, dist, p)
        }
      }
    }
    if (changed <= DELTA * n * k) break
  }
  // Each heap sorted, nearest first, ties by index.
  const indices = new Int32Array(n * k)
  const squared = new Float64Array(n * k)
  const slots = Int32Array.from({ length: k }, (_, t) => t)
  for (let i = 0; i < n; i++) {
    const o = i * k
    slots.sort((u, v) => heaps.dist[o + u] - heaps.dist[o + v] || heaps.ids[o + u] - heaps.ids[o + v])
    for (let t = 0; t < k; t++) {
      indices[o + t] = heaps.ids[o + slots[t]]
      squared[o + t] = heaps.dist[o + slots[t]]
    }
  }
  return { k, indices, squared }
}

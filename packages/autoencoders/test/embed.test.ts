/**
 * t-SNE, UMAP and trustworthiness: each part against an oracle (a naive float64 loop, central
 * differences, scikit-learn's values in fixtures/embed.json from fixtures/generate_embed.py, or
 * arithmetic worked in a comment), then whole runs that must pull well-separated clusters apart.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Rng, Tensor } from '@latent/tensor'
import { findAbParams, knnAccuracy, trustworthiness, tsne, umap } from '../src/index.js'
import { exactNeighbors, type Graph } from '../src/embed/neighbors.js'
import { nnDescent } from '../src/embed/nndescent.js'
import { QuadTree } from '../src/embed/quadtree.js'
import { conditionalAffinities, jointAffinities, klGradient } from '../src/embed/tsne.js'
import { CURVE_END, CURVE_STEPS, curveTable, fuzzyGraph, smoothKnn, spectralLayout } from '../src/embed/umap.js'

const fixture = JSON.parse(readFileSync(new URL('./fixtures/embed.json', import.meta.url), 'utf8')) as {
  tsne: { x: number[]; n: number; d: number; perplexity: number; P: number[]; y: number[];
    gradients: Record<string, { kl: number; grad: number[] }> }
  trustworthiness: { x: number[]; y: number[]; n: number; d: number; values: Record<string, number>; line: number }
  findAbParams: { spread: number; minDist: number; ab: [number, number] }[]
}

/** `per` points around each of `classes` centres 10 apart in `d` dimensions (unit spread), and their labels. */
function clusters(classes: number, per: number, d: number, seed: number): { x: Tensor; labels: Int32Array } {
  const rng = new Rng(seed)
  const centres = rng.normal([classes, d], 0, 10, 'float64').data
  const x = new Float64Array(classes * per * d)
  const labels = new Int32Array(classes * per)
  for (let i = 0; i < classes * per; i++) {
    labels[i] = i % classes
    for (let j = 0; j < d; j++) x[i * d + j] = centres[labels[i] * d + j] + rng.normalPair()[0]
  }
  return { x: new Tensor(x, [classes * per, d]), labels }
}

/** Leave-one-out k-NN accuracy of an embedding: each point labelled by the vote of its k nearest others. */
function looAccuracy(y: Tensor, labels: Int32Array, k = 5): number {
  const n = y.shape[0]
  const { indices } = exactNeighbors(Float64Array.from(y.data), n, 2, k)
  let hits = 0
  for (let i = 0; i < n; i++) {
    const votes = new Map<number, number>()
    for (let t = 0; t < k; t++) votes.set(labels[indices[i * k + t]], (votes.get(labels[indices[i * k + t]]) ?? 0) + 1)
    const best = [...votes].sort((a, b) => b[1] - a[1])[0][0]
    if (best === labels[i]) hits++
  }
  return hits / n
}

/** A dense [n, n] row-major matrix as a Graph. */
function sparse(dense: ArrayLike<number>, n: number): Graph {
  const rowStart = new Int32Array(n + 1)
  const cols: number[] = []
  const values: number[] = []
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (dense[i * n + j] !== 0) {
        cols.push(j)
        values.push(dense[i * n + j])
      }
    }
    rowStart[i + 1] = cols.length
  }
  return { n, rowStart, cols: Int32Array.from(cols), values: Float64Array.from(values) }
}

describe('exactNeighbors', () => {
  it('matches a naive float64 search, ties broken by index, on ragged sizes and copied rows', () => {
    for (const [n, d, k] of [[2, 1, 1], [37, 5, 7], [61, 3, 60], [130, 17, 13]]) {
      const data = new Rng(n).normal([n, d], 0, 1, 'float64').data as Float64Array
      data.copyWithin(d, 0, d) // row 1 = row 0
      const { indices, squared } = exactNeighbors(data, n, d, k)
      for (let i = 0; i < n; i++) {
        const dist = (j: number): number =>
          data.slice(j * d, j * d + d).reduce((s, v, c) => s + (v - data[i * d + c]) ** 2, 0)
        const naive = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i)
          .sort((a, b) => dist(a) - dist(b) || a - b).slice(0, k)
        expect(Array.from(indices.subarray(i * k, i * k + k))).toEqual(naive)
        naive.forEach((j, t) => expect(squared[i * k + t]).toBeCloseTo(dist(j), 12))
      }
    }
  })
})

describe('nnDescent', () => {
  it('finds almost all exact neighbours, with exact distances, sorted, never itself or twice', () => {
    const { x } = clusters(8, 250, 12, 5)
    const [n, d] = x.shape
    const data = Float64Array.from(x.data)
    const k = 10
    const exact = exactNeighbors(data, n, d, k)
    const found = nnDescent(data, n, d, k, new Rng(2))
    let hits = 0
    for (let i = 0; i < n; i++) {
      const row = Array.from(found.indices.subarray(i * k, (i + 1) * k))
      expect(new Set(row).size).toBe(k)
      expect(row).not.toContain(i)
      const truth = new Set(exact.indices.subarray(i * k, (i + 1) * k))
      row.forEach((j, t) => {
        if (truth.has(j)) hits++
        let s = 0
        for (let c = 0; c < d; c++) s += (data[i * d + c] - data[j * d + c]) ** 2
        expect(found.squared[i * k + t]).toBe(s)
        if (t > 0) expect(found.squared[i * k + t]).toBeGreaterThanOrEqual(found.squared[i * k + t - 1])
      })
    }
    expect(hits / (n * k)).toBeGreaterThan(0.98)
    const again = nnDescent(data, n, d, k, new Rng(2))
    expect(Array.from(again.indices)).toEqual(Array.from(found.indices))
  })

  it('fills every slot when the points are copies, or barely more than k', () => {
    const copies = new Float64Array(40 * 3).fill(1)
    const r = nnDescent(copies, 40, 3, 7, new Rng(0))
    for (let i = 0; i < 40; i++) {
      const row = Array.from(r.indices.subarray(i * 7, (i + 1) * 7))
      expect(new Set(row).size).toBe(7)
      expect(row).not.toContain(i)
    }
    expect(Array.from(r.squared).every((v) => v === 0)).toBe(true)
    const few = nnDescent(Float64Array.from({ length: 9 }, (_, i) => i * i), 9, 1, 8, new Rng(1))
    for (let i = 0; i < 9; i++) expect([...few.indices.subarray(i * 8, (i + 1) * 8)].sort()).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8].filter((j) => j !== i))
    expect(() => nnDescent(copies, 40, 3, 40, new Rng(0))).toThrow(/k must be an integer in \[1, 39\]/)
  })
})

describe('t-SNE affinities', () => {
  it('each conditional row sums to 1 with entropy log(perplexity)', () => {
    const x = new Rng(3).normal([200, 6], 0, 1, 'float64').data as Float64Array
    for (const perplexity of [2, 10, 30]) {
      const k = Math.min(199, Math.floor(3 * perplexity + 1))
      const { p } = conditionalAffinities(exactNeighbors(x, 200, 6, k), perplexity)
      for (let i = 0; i < 200; i++) {
        const row = p.subarray(i * k, i * k + k)
        expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12)
        const entropy = -row.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0)
        expect(Math.abs(entropy - Math.log(perplexity))).toBeLessThan(1e-5)
      }
    }
  })

  it("P = (P + Pᵀ) / 2n matches scikit-learn's _joint_probabilities_nn", () => {
    const { x, n, d, perplexity, P } = fixture.tsne
    const k = Math.min(n - 1, Math.floor(3 * perplexity + 1))
    const joint = jointAffinities(exactNeighbors(Float64Array.from(x), n, d, k), perplexity)
    const dense = new Float64Array(n * n)
    for (let i = 0; i < n; i++) {
      for (let e = joint.rowStart[i]; e < joint.rowStart[i + 1]; e++) dense[i * n + joint.cols[e]] = joint.values[e]
    }
    for (let i = 0; i < n * n; i++) expect(Math.abs(dense[i] - P[i])).toBeLessThan(1e-6 * Math.max(P[i], 1e-3))
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(dense[i * n + j]).toBe(dense[j * n + i])
  })
})

describe('t-SNE gradient', () => {
  const { n, P, y } = fixture.tsne
  const p = sparse(P, n)
  const layout = Float64Array.from(y)

  it('the exact gradient is the derivative of the KL divergence (central differences)', () => {
    const grad = new Float64Array(2 * n)
    klGradient(p, layout, grad, { theta: 0 })
    const rng = new Rng(5)
    for (let trial = 0; trial < 3; trial++) {
      const v = rng.normal([2 * n], 0, 1, 'float64').data
      const at = (s: number): number => klGradient(p, layout.map((c, i) => c + s * v[i]), new Float64Array(2 * n),
        { theta: 0, kl: true })
      const numeric = (at(1e-6) - at(-1e-6)) / 2e-6
      const analytic = grad.reduce((s, g, i) => s + g * v[i], 0)
      expect(Math.abs(analytic - numeric)).toBeLessThan(1e-6 * Math.abs(numeric) + 1e-9)
    }
  })

  it("matches scikit-learn's gradient and KL, exact (angle 0) and Barnes-Hut (angle 0.5)", () => {
    for (const [angle, theta] of [['0.0', 0], ['0.0', 1e-12], ['0.5', 0.5]] as const) {
      const grad = new Float64Array(2 * n)
      const kl = klGradient(p, layout, grad, { theta, kl: true })
      const expected = fixture.tsne.gradients[angle]
      const scale = Math.max(...expected.grad.map(Math.abs))
      // scikit-learn computes in float32
      grad.forEach((g, i) => expect(Math.abs(g - expected.grad[i])).toBeLessThan(1e-5 * scale))
      expect(kl).toBeCloseTo(expected.kl, 5)
    }
  })

  it('Barnes-Hut (theta 0.5) stays close to the exact gradient on 500 points', () => {
    const rng = new Rng(8)
    const m = 500
    const { x } = clusters(5, 100, 4, 9)
    const q = jointAffinities(exactNeighbors(Float64Array.from(x.data), m, 4, 90), 30)
    const spread = rng.normal([2 * m], 0, 5, 'float64').data as Float64Array
    const exact = new Float64Array(2 * m)
    const approx = new Float64Array(2 * m)
    const klExact = klGradient(q, spread, exact, { theta: 0, kl: true })
    const norm = (v: Float64Array): number => Math.sqrt(v.reduce((s, a) => s + a * a, 0))
    // the relative error of the gradient, and of the KL through Z, shrinks with theta
    for (const [theta, bound] of [[0.5, 0.05], [0.2, 0.01]]) {
      const klApprox = klGradient(q, spread, approx, { theta, kl: true })
      expect(norm(exact.map((g, i) => g - approx[i])) / norm(exact)).toBeLessThan(bound)
      expect(Math.abs(klApprox - klExact) / klExact).toBeLessThan(bound / 5)
    }
    // and the tree with theta → 0 opens every cell: the exact gradient again
    klGradient(q, spread, approx, { theta: 1e-9 })
    approx.forEach((g, i) => expect(g).toBeCloseTo(exact[i], 10))
  })

  it('the quadtree counts every point once and copies of a point push nowhere', () => {
    // 4 points: two copies at the origin, one at (3, 0), one at (0, 4)
    const pts = Float64Array.from([0, 0, 0, 0, 3, 0, 0, 4])
    const tree = new QuadTree()
    tree.build(pts, 4)
    expect(tree.cells[2]).toBe(4)
    const force = new Float64Array(8)
    // from the origin: the copy gives q = 1, (3, 0) gives 1/10, (0, 4) gives 1/17; forces q² (p - y_j)
    const z = tree.repulse(0, 0, 0, force, 0)
    expect(z).toBeCloseTo(1 + 1 / 10 + 1 / 17, 14)
    expect(force[0]).toBeCloseTo(-3 / 100, 14)
    expect(force[1]).toBeCloseTo(-4 / 289, 14)
  })
})

describe('tsne', () => {
  it('pulls well-separated Gaussian clusters apart (exact and Barnes-Hut)', () => {
    const { x, labels } = clusters(4, 50, 10, 1)
    for (const theta of [0, 0.5]) {
      const { embedding, kl } = tsne(x, { perplexity: 15, iterations: 500, theta, seed: 2 })
      expect(embedding.shape).toEqual([200, 2])
      expect(looAccuracy(embedding, labels)).toBe(1)
      expect(trustworthiness(x, embedding, 5)).toBeGreaterThan(0.9)
      expect(kl).toBeGreaterThan(0)
      expect(kl).toBeLessThan(1)
    }
  })

  it('is deterministic for a seed, reports progress, and the seed matters for a random start', () => {
    const { x } = clusters(3, 20, 5, 4)
    const seen: number[] = []
    const a = tsne(x, { perplexity: 5, iterations: 120, init: 'random', seed: 7, onProgress: (it) => seen.push(it) })
    const b = tsne(x, { perplexity: 5, iterations: 120, init: 'random', rng: new Rng(7) })
    const c = tsne(x, { perplexity: 5, iterations: 120, init: 'random', seed: 8 })
    expect(Array.from(a.embedding.data)).toEqual(Array.from(b.embedding.data))
    expect(a.kl).toBe(b.kl)
    expect(Array.from(a.embedding.data)).not.toEqual(Array.from(c.embedding.data))
    expect(seen).toEqual([50, 100, 120])
  })

  it('gives the same layout for the data scaled by 1e30 or 1e-30, and spreads one feature into 2-D', () => {
    const { x } = clusters(3, 20, 4, 8)
    const at = (s: number): { y: number[]; trust: number } => {
      const scaled = new Tensor(x.data.map((v) => v * s), x.shape)
      const r = tsne(scaled, { perplexity: 8, iterations: 300 })
      return { y: Array.from(r.embedding.data), trust: trustworthiness(scaled, r.embedding, 5) }
    }
    const base = at(1)
    expect(base.trust).toBeGreaterThan(0.95)
    // A power of two scales exactly, so the normalised input and the layout are the same bits.
    for (const s of [2 ** 100, 2 ** -100]) expect(at(s).y).toEqual(base.y)
    // Other factors round in the last bits, which the descent amplifies into another layout (KL
    // within about 15%): the neighbourhoods must survive. Without the scaling, float32 ranking at
    // 1e30 kept 5% of the true neighbours.
    for (const s of [1e30, 1e-30]) expect(Math.abs(at(s).trust - base.trust)).toBeLessThan(0.02)
    const line = new Tensor(Float64Array.from({ length: 60 }, (_, i) => (i % 3) * 10 + Math.sin(i)), [60, 1])
    const y = tsne(line, { perplexity: 8, iterations: 300 }).embedding.data
    expect(Math.max(...y.filter((_, i) => i % 2 === 1).map(Math.abs))).toBeGreaterThan(1e-3)
  })

  it('survives copied rows without NaN', () => {
    const { x } = clusters(2, 30, 4, 6)
    x.data.copyWithin(4, 0, 4) // row 1 = row 0
    for (let i = 12; i < 20; i++) x.data.set(x.data.subarray(4 * 11, 4 * 12), 4 * i) // 9 copies of row 11
    for (const theta of [0, 0.5]) {
      const { embedding, kl } = tsne(x, { perplexity: 10, iterations: 300, theta })
      expect(embedding.data.every(Number.isFinite)).toBe(true)
      expect(Number.isFinite(kl)).toBe(true)
    }
  })

  it('refuses bad input by name', () => {
    const x = new Rng(0).normal([10, 3], 0, 1, 'float64')
    expect(() => tsne(x)).toThrow(/perplexity \(30\) must be less than the number of rows \(10\)/)
    const bad = x.data.slice()
    bad[2 * 3 + 1] = NaN
    expect(() => tsne(new Tensor(bad, [10, 3]), { perplexity: 3 })).toThrow(/NaN at row 2, column 1/)
    bad[2 * 3 + 1] = Infinity
    expect(() => tsne(new Tensor(bad, [10, 3]), { perplexity: 3 })).toThrow(/Infinity at row 2, column 1/)
    expect(() => tsne(new Tensor(x.data, [30]), { perplexity: 3 }))
      .toThrow(/expected the data of shape \[n, features\], got \[30\]/)
    expect(() => tsne(x, { perplexity: 3, init: 'spectral' as 'pca' })).toThrow(/init must be 'pca' or 'random'/)
    expect(() => tsne(x, { perplexity: 3, theta: -1 })).toThrow(/theta/)
    expect(() => tsne(x, { perplexity: 3, perplex: 3 } as never)).toThrow(/perplex/)
    expect(() => tsne(x, { perplexity: '3' as unknown as number }))
      .toThrow(/perplexity must be a positive number, got '3'/)
    expect(() => tsne(x, { perplexity: 3, theta: '0.5' as unknown as number })).toThrow(/theta must be a number >= 0/)
    expect(() => tsne(x, { perplexity: 3, seed: NaN })).toThrow(/tsne: seed must be an integer, got NaN/)
    expect(() => tsne(x, { perplexity: 3, onProgress: 5 as never })).toThrow(/onProgress must be a function/)
    expect(() => tsne([[1, 2]] as never)).toThrow(/tsne: the data must be a Tensor/)
  })
})

describe('UMAP parts', () => {
  it("findAbParams gives umap-learn's (a, b): (1.577, 0.895) for minDist 0.1, spread 1", () => {
    const { a, b } = findAbParams(1, 0.1)
    expect(a).toBeCloseTo(1.577, 3)
    expect(b).toBeCloseTo(0.895, 3)
    for (const { spread, minDist, ab } of fixture.findAbParams) {
      const fit = findAbParams(spread, minDist)
      expect(fit.a).toBeCloseTo(ab[0], 4)
      expect(fit.b).toBeCloseTo(ab[1], 4)
    }
    // A small spread: the same shape of curve, scaled (fitting in x directly gave a = -33, b = -17).
    const small = findAbParams(0.1, 0)
    const unit = findAbParams(1, 0)
    expect(small.b).toBeCloseTo(unit.b, 6)
    expect(small.a).toBeCloseTo(unit.a / 0.1 ** (2 * unit.b), 3)
  })

  it('the smooth-kNN weights of each row sum to log2(k), and the fuzzy union is a + aᵀ - a ∘ aᵀ', () => {
    const n = 120
    const k = 10
    const data = new Rng(2).normal([n, 4], 0, 1, 'float64').data as Float64Array
    const neighbors = exactNeighbors(data, n, 4, k - 1)
    const weights = smoothKnn(neighbors, k)
    const a = new Float64Array(n * n)
    for (let i = 0; i < n; i++) {
      const row = weights.subarray(i * (k - 1), (i + 1) * (k - 1))
      expect(row[0]).toBe(1) // the nearest neighbour is at ρ
      expect(Math.abs(row.reduce((s, w) => s + w, 0) - Math.log2(k))).toBeLessThan(1e-5)
      row.forEach((w, t) => (a[i * n + neighbors.indices[i * (k - 1) + t]] = w))
    }
    const g = fuzzyGraph(data, n, 4, k)
    const dense = new Float64Array(n * n)
    for (let i = 0; i < n; i++) {
      for (let e = g.rowStart[i]; e < g.rowStart[i + 1]; e++) dense[i * n + g.cols[e]] = g.values[e]
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        expect(dense[i * n + j]).toBeCloseTo(a[i * n + j] + a[j * n + i] - a[i * n + j] * a[j * n + i], 15)
      }
    }
  })

  it('the curve table gives 1 + a d^2b within 2e-4 and a d^2b within 1e-3 from d = 1/4', () => {
    for (const [a, b] of [[1.577, 0.895], [1.929, 0.7915], [0.583, 1.334]]) {
      const table = curveTable(a, b)
      let worstCurve = 0
      let worstPower = 0
      for (let d = 0; d < CURVE_END; d += 0.000917) {
        const u = d * CURVE_STEPS
        const at = Math.floor(u)
        const lerp = table[at] + (u - at) * (table[at + 1] - table[at])
        const exact = a * d ** (2 * b)
        worstCurve = Math.max(worstCurve, Math.abs((1 + lerp) / (1 + exact) - 1))
        if (d >= 0.25) worstPower = Math.max(worstPower, Math.abs(lerp / exact - 1))
      }
      expect(worstCurve).toBeLessThan(2e-4)
      expect(worstPower).toBeLessThan(1e-3)
    }
  })

  it('the spectral layout of a ring is a circle (its 2nd and 3rd eigenvectors are cos and sin)', () => {
    const n = 40
    const dense = new Float64Array(n * n)
    for (let i = 0; i < n; i++) dense[i * n + ((i + 1) % n)] = dense[((i + 1) % n) * n + i] = 1
    const y = spectralLayout(sparse(dense, n), new Rng(0))
    const radii = Array.from({ length: n }, (_, i) => Math.hypot(y[2 * i], y[2 * i + 1]))
    for (const r of radii) expect(r).toBeCloseTo(radii[0], 6)
    expect(radii[0]).toBeCloseTo(Math.sqrt(2 / n), 6) // unit eigenvectors cos and sin: r² = 2/n
  })
})

describe('umap', () => {
  it('pulls well-separated Gaussian clusters apart from a spectral start', () => {
    const { x, labels } = clusters(4, 60, 10, 3)
    const { embedding, init } = umap(x, { nNeighbors: 15, seed: 1, epochs: 200 })
    expect(['spectral', 'pca']).toContain(init)
    expect(looAccuracy(embedding, labels)).toBe(1)
    expect(trustworthiness(x, embedding, 5)).toBeGreaterThan(0.9)
    const half = 120
    const split = knnAccuracy(new Tensor(embedding.data.slice(0, 2 * half), [half, 2]), labels.slice(0, half),
      new Tensor(embedding.data.slice(2 * half), [half, 2]), labels.slice(half), { k: 5 })
    expect(split).toBe(1)
  })

  it("reports 'spectral' for a connected graph and 'pca' for clusters too far apart to connect", () => {
    const line = new Tensor(Float64Array.from({ length: 100 }, (_, i) => i + 0.01 * Math.sin(i)), [50, 2])
    expect(umap(line, { nNeighbors: 5, epochs: 20 }).init).toBe('spectral')
    const { x } = clusters(3, 20, 5, 11)
    const far = x.data.map((v, i) => v + 1000 * (Math.floor(i / 5) % 3))
    const r = umap(new Tensor(far, [60, 5]), { nNeighbors: 5, epochs: 50 })
    expect(r.init).toBe('pca')
    expect(r.embedding.data.every(Number.isFinite)).toBe(true)
  })

  it('is deterministic for a seed and survives copied rows', () => {
    const { x } = clusters(3, 20, 5, 4)
    for (let i = 1; i < 8; i++) x.data.set(x.data.subarray(0, 5), 5 * i)
    const a = umap(x, { nNeighbors: 6, epochs: 60, seed: 3 })
    const b = umap(x, { nNeighbors: 6, epochs: 60, rng: new Rng(3) })
    expect(Array.from(a.embedding.data)).toEqual(Array.from(b.embedding.data))
    expect(a.embedding.data.every(Number.isFinite)).toBe(true)
  })

  it("with neighbors: 'nndescent' separates the clusters as the exact search does, and says so", () => {
    const { x, labels } = clusters(4, 60, 10, 3)
    const r = umap(x, { nNeighbors: 15, seed: 1, epochs: 200, neighbors: 'nndescent' })
    expect(r.neighbors).toBe('nndescent')
    expect(umap(x, { nNeighbors: 15, epochs: 1 }).neighbors).toBe('exact')
    expect(looAccuracy(r.embedding, labels)).toBe(1)
    expect(trustworthiness(x, r.embedding, 5)).toBeGreaterThan(0.9)
  })

  it('refuses bad input by name', () => {
    const x = new Rng(0).normal([10, 3], 0, 1, 'float64')
    expect(() => umap(x, { nNeighbors: 3, minDist: '5' as unknown as number, spread: 10 }))
      .toThrow(/minDist must be a number >= 0, got '5'/)
    expect(() => umap(x, { nNeighbors: 3, learningRate: 0 })).toThrow(/learningRate must be a number > 0, got 0/)
    expect(() => umap(x, { nNeighbors: 3, seed: 1.5 })).toThrow(/umap: seed must be an integer, got 1.5/)
    expect(() => umap(x, { nNeighbors: 3, neighbors: 'kd' as 'exact' })).toThrow(
      /neighbors must be 'auto', 'exact' or 'nndescent', got 'kd'/)
    expect(() => umap(x)).toThrow(/nNeighbors \(15\) must be less than the number of rows \(10\)/)
    const bad = x.data.slice()
    bad[4 * 3 + 2] = NaN
    expect(() => umap(new Tensor(bad, [10, 3]), { nNeighbors: 3 })).toThrow(/NaN at row 4, column 2/)
    expect(() => umap(new Tensor(x.data, [2, 5, 3]))).toThrow(/expected the data of shape \[n, features\]/)
    expect(() => umap(x, { nNeighbors: 3, minDist: 2 })).toThrow(/minDist \(2\) must not exceed spread \(1\)/)
    expect(() => umap(x, { nNeighbors: 1.5 })).toThrow(/nNeighbors must be an integer >= 2/)
  })
})

describe('trustworthiness', () => {
  it('is 1 for the data itself and for any distance-preserving map', () => {
    const x = new Rng(1).normal([40, 2], 0, 1, 'float64')
    expect(trustworthiness(x, x, 5)).toBe(1)
    const turned = x.data.map((_, i) => (i % 2 === 0 ? -x.data[i + 1] : x.data[i - 1]) + 3)
    expect(trustworthiness(x, new Tensor(turned, [40, 2]), 7)).toBe(1)
  })

  it('a worked case: five points on a line, the ends swapped, k = 1', () => {
    // x = 0, 1, 3, 6, 10; the embedding swaps points 0 and 4 (y = 10, 1, 3, 6, 0). Embedded nearest
    // neighbours: 0→3, 1→4, 2→1, 3→2, 4→1, whose ranks in the input are 3, 4, 1, 1, 3. The sum of
    // (rank - k) over ranks above k = 2 + 3 + 2 = 7; T = 1 - 2·7 / (5·1·(10 - 3 - 1)) = 16/30.
    const x = new Tensor(Float64Array.from([0, 1, 3, 6, 10]), [5, 1])
    const y = new Tensor(Float64Array.from([10, 1, 3, 6, 0]), [5, 1])
    expect(trustworthiness(x, y, 1)).toBeCloseTo(16 / 30, 14)
    expect(fixture.trustworthiness.line).toBeCloseTo(16 / 30, 14)
  })

  it("agrees with scikit-learn's trustworthiness", () => {
    const { x, y, n, d, values } = fixture.trustworthiness
    for (const [k, expected] of Object.entries(values)) {
      expect(trustworthiness(new Tensor(Float64Array.from(x), [n, d]), new Tensor(Float64Array.from(y), [n, 2]), +k))
        .toBeCloseTo(expected, 12)
    }
  })

  it('refuses k of half the rows or more, and mismatched rows', () => {
    const x = new Rng(1).normal([10, 3], 0, 1, 'float64')
    const y = new Rng(2).normal([10, 2], 0, 1, 'float64')
    expect(() => trustworthiness(x, y, 5)).toThrow(/k must be an integer in \[1, n \/ 2\) = \[1, 5\), got 5/)
    expect(() => trustworthiness(x, new Rng(2).normal([9, 2]), 2)).toThrow(/same rows/)
  })
})

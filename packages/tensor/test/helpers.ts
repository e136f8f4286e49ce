/**
 * Test-only references and helpers. The references here are deliberately naive (explicit
 * multi-index arithmetic, float64 everywhere) and share no code with the kernels they check.
 */
import { matmul, Rng, Tensor, type DType, type GemmBackend } from '../src/index.js'

/** Runs `body` for `count` seeds; a failure names its seed so it can be replayed alone. */
export function forSeeds(count: number, body: (rng: Rng, seed: number) => void, firstSeed = 1): void {
  for (let seed = firstSeed; seed < firstSeed + count; seed++) {
    try {
      body(new Rng(seed), seed)
    } catch (e) {
      if (e instanceof Error) e.message = `[seed ${seed}] ${e.message}`
      throw e
    }
  }
}

/** A random shape of the given rank with dimensions in 1..maxDim. */
export function randomShape(rng: Rng, rank: number, maxDim = 4): number[] {
  return Array.from({ length: rank }, () => 1 + rng.int(maxDim))
}

export function randomTensor(rng: Rng, shape: number[], dtype: DType = 'float64', low = -2, high = 2): Tensor {
  return rng.uniform(shape, low, high, dtype)
}

/** Row-major multi-index of flat position `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length)
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]
    i = Math.floor(i / shape[d])
  }
  return idx
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + idx[d]
  return i
}

/** Reads `x` at the output multi-index `idx` under NumPy broadcasting. */
export function readBroadcast(x: Tensor, idx: readonly number[]): number {
  const lead = idx.length - x.rank
  const own = x.shape.map((d, k) => (d === 1 ? 0 : idx[lead + k]))
  return x.data[ravel(own, x.shape)]
}

/** C = op(A) op(B) in float64 by the textbook triple loop, for 2-D operands given as flat data. */
export function referenceGemm(m: number, n: number, k: number, a: ArrayLike<number>, transA: boolean,
  b: ArrayLike<number>, transB: boolean): { c: Float64Array; absSum: Float64Array } {
  const c = new Float64Array(m * n)
  const absSum = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      let t = 0
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i] : a[i * k + p]
        const bv = transB ? b[j * k + p] : b[p * n + j]
        s += av * bv
        t += Math.abs(av * bv)
      }
      c[i * n + j] = s
      absSum[i * n + j] = t
    }
  }
  return { c, absSum }
}

/**
 * The classical bound on a computed dot product of length k: |ŝ - s| <= γ_k Σ|a_i b_i|, with
 * γ_k = k u / (1 - k u) and u the unit roundoff of the accumulation. A float32 result rounded
 * from a wider accumulator adds u_out |s|.
 */
export function dotErrorBound(k: number, uAccumulate: number, uOutput: number, absSum: number, exact: number): number {
  const gamma = (k * uAccumulate) / (1 - k * uAccumulate)
  return gamma * absSum + uOutput * Math.abs(exact) + Number.MIN_VALUE
}

export const U32 = 2 ** -24
export const U64 = 2 ** -53

export function nanFilled(shape: number[], dtype: DType): Tensor {
  const size = shape.reduce((a, b) => a * b, 1)
  const t = new Tensor(dtype === 'float64' ? new Float64Array(size) : new Float32Array(size), shape)
  t.data.fill(NaN)
  return t
}

/** Ragged sizes: 1, primes, around the 4x4 tile, and larger than one tile in every direction. */
export const GRID = [1, 2, 3, 4, 5, 7, 8, 13, 17, 33]

/**
 * Checks `matmul` against the float64 reference for every (m, n, k) in `sizes`, every
 * combination of transposes, with the output poisoned with NaN so a skipped element shows.
 * `uAccumulate` is the unit roundoff of the kernel's accumulation.
 */
export function checkMatmulGrid(sizes: number[], dtype: DType, uAccumulate: number, seed = 1): void {
  const rng = new Rng(seed)
  for (const m of sizes) for (const n of sizes) for (const k of sizes) {
    for (const transA of [false, true]) for (const transB of [false, true]) {
      const a = rng.uniform(transA ? [k, m] : [m, k], -1, 1, dtype)
      const b = rng.uniform(transB ? [n, k] : [k, n], -1, 1, dtype)
      const out = matmul(a, b, { transposeA: transA, transposeB: transB, out: nanFilled([m, n], dtype) })
      const ref = referenceGemm(m, n, k, a.data, transA, b.data, transB)
      const uOut = dtype === 'float32' ? U32 : 0
      for (let i = 0; i < m * n; i++) {
        const err = Math.abs(out.data[i] - ref.c[i])
        const bound = dotErrorBound(k, uAccumulate, uOut, ref.absSum[i], ref.c[i])
        if (!(err <= bound)) {
          throw new Error(`m=${m} n=${n} k=${k} transA=${transA} transB=${transB} ${dtype}: ` +
            `C[${i}] = ${out.data[i]}, reference ${ref.c[i]}, error ${err} > bound ${bound}`)
        }
      }
    }
  }
}


/**
 * Runs `backend.gemm` directly (no dispatch) over every (m, n, k) in `sizes` and every pair of
 * transposes, on float32 data, with C poisoned with NaN, against the float64 reference within
 * the float32 error bound γ_k Σ|a b|. Returns the outputs, to compare runs bit for bit.
 */
export function checkGemmBackend(backend: GemmBackend, sizes: readonly (readonly [number, number, number])[],
  seed = 1): Float32Array[] {
  const rng = new Rng(seed)
  const outputs: Float32Array[] = []
  for (const [m, n, k] of sizes) {
    for (const transA of [false, true]) for (const transB of [false, true]) {
      const a = rng.uniform([m * k], -1, 1).data as Float32Array
      const b = rng.uniform([k * n], -1, 1).data as Float32Array
      const c = new Float32Array(m * n).fill(NaN)
      backend.gemm({ m, n, k, a, aOffset: 0, transA, b, bOffset: 0, transB, c, cOffset: 0 })
      const ref = referenceGemm(m, n, k, a, transA, b, transB)
      for (let i = 0; i < m * n; i++) {
        const err = Math.abs(c[i] - ref.c[i])
        const bound = dotErrorBound(k, U32, 0, ref.absSum[i], ref.c[i])
        if (!(err <= bound)) {
          throw new Error(`${backend.name}: m=${m} n=${n} k=${k} transA=${transA} transB=${transB}: ` +
            `C[${i}] = ${c[i]}, reference ${ref.c[i]}, error ${err} > bound ${bound}`)
        }
      }
      outputs.push(c)
    }
  }
  return outputs
}

/** All (m, n, k) from a list of sizes. */
export function cube(sizes: readonly number[]): [number, number, number][] {
  return sizes.flatMap((m) => sizes.flatMap((n) => sizes.map((k): [number, number, number] => [m, n, k])))
}

/** Resolves once `ready()` holds (polling), or rejects after `ms`. */
export async function eventually(ready: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now()
  while (!ready()) {
    if (Date.now() - start > ms) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

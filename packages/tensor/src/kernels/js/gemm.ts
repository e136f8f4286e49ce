/**
 * The JavaScript GEMM: register-blocked and packed, generic over Float32Array and
 * Float64Array. It has the same structure as the WASM kernel, in scalar form:
 *
 *   1. B is packed into panels of NR = 4 columns: panel p holds op(B)[kk][4p..4p+3] for every
 *      kk, contiguously, so the inner loop reads B sequentially whatever its layout.
 *   2. For each block of MR = 4 rows, A is packed the same way: op(A)[4i..4i+3][kk] at kk*4.
 *   3. A 4x4 tile of C is accumulated in 16 local variables over the whole of k, then stored.
 *
 * Packing absorbs both transposes, so there is no slow path for Aᵀ·B or A·Bᵀ. Accumulation is
 * in float64 (JavaScript numbers), so the float32 result is rounded once per element.
 * Measured on the 2-core Zen 4 machines: about 3x a naive i-k-j loop (see bench/README.md).
 */
import type { FloatArray } from '../../dtype.js'
import type { GemmArgs, GemmBackend } from '../types.js'

const MR = 4
const NR = 4

/**
 * Scratch for the packed panels, kept between calls and grown on demand. It is float64 for
 * both dtypes: the inner loop then never converts, and only ever sees one array type.
 */
let scratch = new Float64Array(0)

function scratchFor(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n)
  return scratch
}

/**
 * Packs rows r0..r0+rows-1 of an operand, seen as a (rows x k) slice of op(X), into `dst` as
 * k groups of `width` values, zero-padding past `rows`. op(X)[r][kk] is X[r*ld + kk], or
 * X[kk*ld + r] when transposed.
 * @example packPanel(a, 0, k, false, 0, 4, k, 4, panel, 0) // the first 4 rows of a row-major A
 */
export function packPanel(src: FloatArray, offset: number, ld: number, trans: boolean, r0: number, rows: number,
  k: number, width: number, dst: FloatArray, at: number): void {
  for (let kk = 0; kk < k; kk++) {
    for (let r = 0; r < width; r++) {
      dst[at++] = r < rows ? (trans ? src[offset + kk * ld + r0 + r] : src[offset + (r0 + r) * ld + kk]) : 0
    }
  }
}

function gemmJs(p: GemmArgs): void {
  const { m, n, k, a, b, c } = p
  const panels = Math.ceil(n / NR)
  const work = scratchFor((panels * NR + MR) * k + MR * NR)
  const apAt = panels * NR * k
  const tileAt = apAt + MR * k
  // op(B) is k x n; its rows of the packed panel are B's columns, i.e. op(B)ᵀ's rows.
  const ldb = p.transB ? k : n
  for (let j = 0; j < panels; j++) {
    packPanel(b, p.bOffset, ldb, !p.transB, j * NR, Math.min(NR, n - j * NR), k, NR, work, j * NR * k)
  }
  const lda = p.transA ? m : k
  for (let i0 = 0; i0 < m; i0 += MR) {
    const rows = Math.min(MR, m - i0)
    packPanel(a, p.aOffset, lda, p.transA, i0, rows, k, MR, work, apAt)
    for (let j = 0; j < panels; j++) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0
      let ap = apAt
      let bp = j * NR * k
      for (let kk = 0; kk < k; kk++, ap += MR, bp += NR) {
        const b0 = work[bp], b1 = work[bp + 1], b2 = work[bp + 2], b3 = work[bp + 3]
        const a0 = work[ap], a1 = work[ap + 1], a2 = work[ap + 2], a3 = work[ap + 3]
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3
      }
      const cols = Math.min(NR, n - j * NR)
      let at = p.cOffset + i0 * n + j * NR
      if (rows === MR && cols === NR) {
        c[at] = c00; c[at + 1] = c01; c[at + 2] = c02; c[at + 3] = c03; at += n
        c[at] = c10; c[at + 1] = c11; c[at + 2] = c12; c[at + 3] = c13; at += n
        c[at] = c20; c[at + 1] = c21; c[at + 2] = c22; c[at + 3] = c23; at += n
        c[at] = c30; c[at + 1] = c31; c[at + 2] = c32; c[at + 3] = c33
      } else {
        // A ragged edge tile: spill the 16 sums and store only the valid part.
        const t = tileAt
        work[t] = c00; work[t + 1] = c01; work[t + 2] = c02; work[t + 3] = c03
        work[t + 4] = c10; work[t + 5] = c11; work[t + 6] = c12; work[t + 7] = c13
        work[t + 8] = c20; work[t + 9] = c21; work[t + 10] = c22; work[t + 11] = c23
        work[t + 12] = c30; work[t + 13] = c31; work[t + 14] = c32; work[t + 15] = c33
        for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) c[at + r * n + q] = work[t + r * NR + q]
      }
    }
  }
}

/**
 * The JavaScript kernel (any dtype, no SIMD), as a backend.
 * @example jsGemmBackend.gemm({ m, n, k, a, aOffset: 0, transA: false, b, bOffset: 0, transB: false, c, cOffset: 0 })
 */
export const jsGemmBackend: GemmBackend = {
  name: `js-${MR}x${NR}`,
  supports: () => true,
  gemm: gemmJs,
}

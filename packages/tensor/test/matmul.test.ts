import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as T from '../src/index.js'
import { Rng, type Tensor } from '../src/index.js'
import { checkMatmulGrid, GRID, nanFilled, referenceGemm, U64 } from './helpers.js'

describe('matmul (JS kernel)', () => {
  beforeAll(() => T.setBackend('js'))
  afterAll(() => T.setBackend('auto'))

  it('float64: matches the reference within the float64 error bound over a ragged grid', () => {
    checkMatmulGrid(GRID, 'float64', U64)
  })

  it('float32: accumulates in float64, so only the final rounding shows', () => {
    checkMatmulGrid(GRID, 'float32', U64)
  })

  it('batched 3-D products, and a 2-D operand shared across the batch', () => {
    const rng = new Rng(9)
    const a = rng.uniform([3, 5, 4], -1, 1, 'float64')
    const b = rng.uniform([3, 4, 6], -1, 1, 'float64')
    const w = rng.uniform([6, 4], -1, 1, 'float64')
    const slice = (t: Tensor, i: number): Tensor => T.squeeze(T.slice(t, 0, i, i + 1), 0)
    const c = T.matmul(a, b)
    const cw = T.matmul(a, w, { transposeB: true })
    const wa = T.matmul(w, a, { transposeB: true })
    expect(c.shape).toEqual([3, 5, 6])
    expect(wa.shape).toEqual([3, 6, 5])
    for (let i = 0; i < 3; i++) {
      const ai = slice(a, i)
      const ref = referenceGemm(5, 6, 4, ai.data, false, slice(b, i).data, false).c
      slice(c, i).data.forEach((v, j) => expect(v).toBeCloseTo(ref[j], 13))
      const refW = referenceGemm(5, 6, 4, ai.data, false, w.data, true).c
      slice(cw, i).data.forEach((v, j) => expect(v).toBeCloseTo(refW[j], 13))
      const refWA = referenceGemm(6, 5, 4, w.data, false, ai.data, true).c
      slice(wa, i).data.forEach((v, j) => expect(v).toBeCloseTo(refWA[j], 13))
    }
  })

  it('defines the empty cases: m or n = 0 gives an empty result, k = 0 gives zeros', () => {
    expect(T.matmul(T.zeros([0, 3]), T.zeros([3, 4])).shape).toEqual([0, 4])
    expect(T.matmul(T.zeros([2, 3]), T.zeros([3, 0])).shape).toEqual([2, 0])
    const z = T.matmul(T.zeros([2, 0]), T.zeros([0, 3]), { out: nanFilled([2, 3], 'float32') })
    expect([...z.data]).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('names both shapes on errors', () => {
    expect(() => T.matmul(T.zeros([2, 3]), T.zeros([4, 5])))
      .toThrow('matmul: inner dimensions differ (3 vs 4) for a [2, 3] and b [4, 5]')
    expect(() => T.matmul(T.zeros([2, 3]), T.zeros([4, 3]), { transposeA: true }))
      .toThrow(/inner dimensions differ \(2 vs 4\) for a \[2, 3\]ᵀ and b \[4, 3\]/)
    expect(() => T.matmul(T.zeros([3]), T.zeros([3, 1]))).toThrow(/operands must be 2-D or 3-D/)
    expect(() => T.matmul(T.zeros([2, 2, 2]), T.zeros([3, 2, 2]))).toThrow(/batch sizes differ \(2 vs 3\)/)
    expect(() => T.matmul(T.zeros([2, 2]), T.zeros([2, 2], { dtype: 'float64' }))).toThrow(/mixed dtypes/)
    const a = T.zeros([2, 2])
    expect(() => T.matmul(a, a, { out: a })).toThrow(/out must not share storage/)
  })
})

import { describe, expect, it } from 'vitest'
import * as T from '../src/index.js'
import { tensor, type Tensor } from '../src/index.js'
import { forSeeds, randomShape, randomTensor, ravel, unravel } from './helpers.js'

/** Reference reduction: visit every element and fold it into its output slot. */
function referenceReduce(x: Tensor, axes: number[], keepdims: boolean, init: number,
  fold: (acc: number, v: number) => number): { shape: number[]; data: number[] } {
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
  const data = new Array<number>(keptShape.reduce((a, b) => a * b, 1)).fill(init)
  for (let i = 0; i < x.size; i++) {
    const idx = unravel(i, x.shape).map((v, k) => (axes.includes(k) ? 0 : v))
    const o = ravel(idx, keptShape)
    data[o] = fold(data[o], x.data[i])
  }
  const shape = keepdims ? keptShape : x.shape.filter((_, i) => !axes.includes(i))
  return { shape, data }
}

function randomAxes(rng: T.Rng, rank: number): number[] | undefined {
  if (rng.float() < 0.2) return undefined
  return [...Array(rank).keys()].filter(() => rng.float() < 0.5)
}

describe('reductions', () => {
  const cases: [string, (x: Tensor, o: T.ReduceOptions) => Tensor, number, (a: number, v: number) => number][] = [
    ['sum', T.sum, 0, (a, v) => a + v],
    ['max', T.max, -Infinity, (a, v) => Math.max(a, v)],
    ['min', T.min, Infinity, (a, v) => Math.min(a, v)],
  ]
  for (const [name, op, init, fold] of cases) {
    it(`${name} over random axes and keepdims equals the element-visiting reference`, () => {
      forSeeds(40, (rng) => {
        const x = randomTensor(rng, randomShape(rng, 1 + rng.int(4), 4))
        const axis = randomAxes(rng, x.rank)
        const keepdims = rng.float() < 0.5
        const got = op(x, { axis, keepdims })
        const ref = referenceReduce(x, axis ?? [...Array(x.rank).keys()], keepdims, init, fold)
        expect(got.shape).toEqual(ref.shape)
        ref.data.forEach((v, i) => expect(got.data[i]).toBeCloseTo(v, 12))
      })
    })
  }

  it('mean, variance (PyTorch correction) and logSumExp', () => {
    const x = tensor([[1, 2, 3, 6], [0, 0, 0, 4]], { dtype: 'float64' })
    expect(T.mean(x).item()).toBe(2)
    expect(T.mean(x, { axis: 1 }).toArray()).toEqual([3, 1])
    // Row 0: deviations -2 -1 0 3, squares sum to 14; unbiased 14/3, population 14/4.
    expect(T.variance(x, { axis: 1 }).data[0]).toBeCloseTo(14 / 3, 14)
    expect(T.variance(x, { axis: 1, correction: 0 }).data[0]).toBeCloseTo(3.5, 14)
    const big = tensor([[1000, 1000], [-Infinity, -Infinity]], { dtype: 'float64' })
    const lse = T.logSumExp(big, { axis: 1 })
    expect(lse.data[0]).toBeCloseTo(1000 + Math.log(2), 10)
    expect(lse.data[1]).toBe(-Infinity)
    expect(T.logSumExp(x, { axis: 0, keepdims: true }).shape).toEqual([1, 4])
  })

  it('max propagates NaN; argmax takes the first maximum', () => {
    expect(T.max(tensor([1, NaN, 3])).item()).toBeNaN()
    expect(T.argmax(tensor([[1, 5, 5], [7, 2, 7]]), { axis: 1 }).toArray()).toEqual([1, 0])
    expect(T.argmax(tensor([[1, 5], [7, 2]]), { axis: 0, keepdims: true }).toArray()).toEqual([[1, 0]])
    expect(T.argmax(tensor([[1, 5], [7, 2]])).item()).toBe(2)
    expect(T.argmax(tensor([1, NaN, 9])).item()).toBe(1)
  })

  it('rejects bad axes and empty reductions with the op named', () => {
    expect(() => T.sum(T.zeros([2, 3]), { axis: 2 })).toThrow('sum: axis 2 is out of range for a tensor of rank 2')
    expect(() => T.sum(T.zeros([2, 3]), { axis: [0, -2] })).toThrow(/axis 0 is repeated/)
    expect(() => T.max(T.zeros([2, 0]), { axis: 1 })).toThrow(/max: cannot reduce over an empty axis of \[2, 0\]/)
    expect(T.sum(T.zeros([2, 0]), { axis: 1 }).toArray()).toEqual([0, 0])
  })
})

/** Composite functions and the conventions at kinks and ties. */
import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng, tensor } from '@latent/tensor'
import * as A from '../src/index.js'

const f64 = (x: number | number[] | number[][]): T.Tensor => tensor(x, { dtype: 'float64' })
const d = (f: (x: A.Value) => A.Value, x: number[]): number[] => [...A.grad((v) => A.sum(f(v)))(f64(x)).data]

describe('conventions at kinks and ties (as in PyTorch)', () => {
  it("relu'(0) = 0, abs'(0) = 0, leakyRelu'(0) = slope", () => {
    expect(d(A.relu, [-1, 0, 2])).toEqual([0, 0, 1])
    expect(d(A.abs, [-1, 0, 2])).toEqual([-1, 0, 1])
    expect(d((x) => A.leakyRelu(x, 0.1), [-1, 0, 2])).toEqual([0.1, 0.1, 1])
  })

  it('clamp passes the gradient on the closed interval', () => {
    expect(d((x) => A.clamp(x, 0, 1), [-1, 0, 0.5, 1, 2])).toEqual([0, 1, 1, 1, 0])
  })

  it('maximum and minimum split ties evenly; max shares among tied maxima', () => {
    expect(d((x) => A.maximum(x, f64([0, 0, 0])), [-1, 0, 1])).toEqual([0, 0.5, 1])
    expect(d((x) => A.minimum(x, f64([0, 0, 0])), [-1, 0, 1])).toEqual([1, 0.5, 0])
    expect(d((x) => A.max(x), [3, 1, 3])).toEqual([0.5, 0, 0.5])
    expect(d((x) => A.min(x, { axis: 0 }), [2, 1, 1])).toEqual([0, 0.5, 0.5])
  })
})

describe('composites', () => {
  it('softmax and logSoftmax are stable for large inputs, and sum to one', () => {
    const x = f64([[1000, 1001, 1002], [-1000, -1000, -1000]])
    const s = A.softmax(x, 1).data
    expect([...s.data].every(Number.isFinite)).toBe(true)
    expect(s.data[0] + s.data[1] + s.data[2]).toBeCloseTo(1, 14)
    expect(s.data[3]).toBeCloseTo(1 / 3, 14)
    expect(A.logSoftmax(x, 1).data.data[2]).toBeCloseTo(-Math.log(1 + Math.exp(-1) + Math.exp(-2)), 12)
  })

  it('the gradient of logSumExp is softmax', () => {
    const x = new Rng(1).normal([3, 4], 0, 3, 'float64')
    const g = A.grad((v) => A.sum(A.logSumExp(v, { axis: 1 })))(x)
    const s = A.softmax(x, 1).data
    g.data.forEach((v: number, i: number) => expect(v).toBeCloseTo(s.data[i], 14))
  })

  it('mean, variance, square, split, stack and transpose compose correctly', () => {
    const rng = new Rng(2)
    const x = rng.normal([3, 4], 0, 1, 'float64')
    expect(A.variance(x, { axis: 0 }).data.toArray()).toEqual(T.variance(x, { axis: 0 }).toArray())
    const parts = A.split(x, [1, 3], 1)
    expect(parts.map((p) => p.shape)).toEqual([[3, 1], [3, 3]])
    expect(A.stack([x, x], 0).shape).toEqual([2, 3, 4])
    expect(A.transpose(x).shape).toEqual([4, 3])
    for (const f of [(v: A.Value) => A.variance(v, { axis: 1 }), (v: A.Value) => A.stack(A.split(v, 2, 1), 0),
      (v: A.Value) => A.mean(A.square(v), { axis: 0, keepdims: true })]) {
      A.gradcheck(f, [x])
    }
  })

  it('a whole two-layer network passes the dot-product test', () => {
    const rng = new Rng(3)
    const [x, w1, b1, w2] = [rng.normal([5, 4], 0, 1, 'float64'), rng.normal([6, 4], 0, 0.5, 'float64'),
      rng.normal([6], 0, 0.5, 'float64'), rng.normal([3, 6], 0, 0.5, 'float64')]
    A.dotProductTest((xv, a, b, c) =>
      A.logSoftmax(A.matmul(A.tanh(A.add(A.matmul(xv, a, { transposeB: true }), b)), c, { transposeB: true }), 1),
    [x, w1, b1, w2])
  })
})

describe('errors name the op and the shapes', () => {
  it('broadcasting, matmul, dtypes', () => {
    expect(() => A.add(f64([1, 2]), f64([1, 2, 3]))).toThrow('add: cannot broadcast shapes [2] and [3]')
    expect(() => A.matmul(f64([[1, 2]]), f64([[1, 2]]))).toThrow(/matmul: inner dimensions differ \(2 vs 1\)/)
    expect(() => A.mul(tensor([1]), f64([1]))).toThrow(/mul: mixed dtypes float32 \[1\] and float64 \[1\]/)
    expect(() => A.expand(f64([1, 2]), [3])).toThrow(/expand: cannot broadcast/)
    expect(() => A.add('x' as never, 1)).toThrow(/expected a Value, a Tensor or a number, got string/)
  })
})

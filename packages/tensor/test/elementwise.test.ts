import { describe, expect, it } from 'vitest'
import * as T from '../src/index.js'
import { Tensor, tensor } from '../src/index.js'
import { forSeeds, nanFilled, randomShape, randomTensor, readBroadcast, unravel } from './helpers.js'

/** Float64 references, written independently of the kernels. */
const unaryRefs: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  log1p: (x) => Math.log1p(x),
  sqrt: (x) => Math.sqrt(x),
  square: (x) => x * x,
  tanh: (x) => Math.tanh(x),
  sin: (x) => Math.sin(x),
  cos: (x) => Math.cos(x),
  sign: (x) => Math.sign(x),
  relu: (x) => Math.max(x, 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  softplus: (x) => Math.log(1 + Math.exp(x)),
}

const binaryRefs: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
  equal: (a, b) => Number(a === b),
  notEqual: (a, b) => Number(a !== b),
  less: (a, b) => Number(a < b),
  lessEqual: (a, b) => Number(a <= b),
  greater: (a, b) => Number(a > b),
  greaterEqual: (a, b) => Number(a >= b),
  reluGrad: (g, x) => (x > 0 ? g : 0),
  sigmoidGrad: (g, y) => g * (y * (1 - y)),
}

type Unary = (x: Tensor, out?: Tensor) => Tensor
type Binary = (a: Tensor | number, b: Tensor | number, out?: Tensor) => Tensor

describe('unary ops', () => {
  for (const [name, ref] of Object.entries(unaryRefs)) {
    it(`${name} matches its float64 formula and writes every element`, () => {
      const op = (T as unknown as Record<string, Unary>)[name]
      forSeeds(3, (rng) => {
        const positive = name === 'log' || name === 'sqrt' || name === 'log1p'
        const x = randomTensor(rng, randomShape(rng, 1 + rng.int(3), 5), 'float64', positive ? 0.05 : -3, 3)
        const out = op(x, nanFilled([...x.shape], 'float64'))
        x.data.forEach((v, i) => expect(out.data[i]).toBeCloseTo(ref(v), 13))
        const x32 = T.astype(x, 'float32')
        const y32 = op(x32)
        expect(y32.dtype).toBe('float32')
        x32.data.forEach((v, i) =>
          expect(Math.abs(y32.data[i] - ref(v))).toBeLessThanOrEqual(2 ** -23 * Math.max(1, Math.abs(ref(v)))))
      })
    })
  }

  it('sigmoid and softplus stay finite and accurate at large |x|', () => {
    const x = tensor([-800, -40, 0, 40, 800], { dtype: 'float64' })
    const s = T.sigmoid(x).data
    const expected = [0, 1 / (1 + Math.exp(40)), 0.5, 1 / (1 + Math.exp(-40)), 1]
    expected.forEach((v, i) => expect(Math.abs(s[i] - v)).toBeLessThanOrEqual(1e-15 * v))
    const sp = T.softplus(x).data
    expect(sp[0]).toBe(0)
    expect(sp[1]).toBeCloseTo(Math.exp(-40), 30)
    expect(sp[1] / Math.exp(-40)).toBeCloseTo(1, 12)
    expect(sp[4]).toBe(800)
  })

  it('leakyRelu and clamp', () => {
    expect(T.leakyRelu(tensor([-2, 0, 3]), 0.1).toArray()).toEqual([Math.fround(-0.2), 0, 3])
    expect(T.clamp(tensor([-2, 0.5, 3, NaN]), 0, 1).toArray()).toEqual([0, 0.5, 1, NaN])
    expect(T.clamp(tensor([-2, 3]), undefined, 1).toArray()).toEqual([-2, 1])
    expect(() => T.clamp(tensor([1]), 2, 1)).toThrow(/clamp: min 2 is greater than max 1/)
  })

  it('can write in place', () => {
    const x = tensor([1, -2])
    expect(T.relu(x, x)).toBe(x)
    expect(x.toArray()).toEqual([1, 0])
  })
})

describe('binary ops with broadcasting', () => {
  for (const [name, ref] of Object.entries(binaryRefs)) {
    it(`${name} equals the index-by-index reference on random broadcastable shapes`, () => {
      const op = (T as unknown as Record<string, Binary>)[name]
      forSeeds(20, (rng) => {
        // Draw an output shape, then derive each operand by dropping leading axes and
        // setting some dimensions to 1.
        const outShape = randomShape(rng, rng.int(5), 4)
        const derive = (): number[] =>
          outShape.slice(rng.int(outShape.length + 1)).map((d) => (rng.float() < 0.3 ? 1 : d))
        const low = name === 'pow' ? 0.1 : -3
        const a = randomTensor(rng, derive(), 'float64', low, 3)
        const b = randomTensor(rng, derive(), 'float64', low, 3)
        // Make ties likely for the comparisons.
        if (rng.float() < 0.5) {
          for (let i = 0; i < Math.min(a.size, b.size); i++) if (rng.float() < 0.5) b.data[i] = a.data[i]
        }
        const shape = T.broadcastShapes('test', a.shape, b.shape)
        const out = op(a, b, nanFilled(shape, 'float64'))
        expect(out.shape).toEqual(shape)
        for (let i = 0; i < out.size; i++) {
          const idx = unravel(i, shape)
          expect(out.data[i]).toBe(ref(readBroadcast(a, idx), readBroadcast(b, idx)))
        }
      })
    })
  }

  it('accepts numbers on either side, in the tensor dtype', () => {
    const x = tensor([1, 2], { dtype: 'float64' })
    expect(T.sub(10, x).toArray()).toEqual([9, 8])
    expect(T.div(x, 4).dtype).toBe('float64')
    expect(T.mul(2, 3).item()).toBe(6)
  })

  it('names the op and both shapes on a broadcast error, and refuses mixed dtypes', () => {
    expect(() => T.add(T.zeros([2, 3]), T.zeros([4]))).toThrow('add: cannot broadcast shapes [2, 3] and [4]')
    expect(() => T.mul(T.zeros([2]), T.zeros([2], { dtype: 'float64' })))
      .toThrow(/mul: mixed dtypes float32 \[2\] and float64 \[2\]/)
    expect(() => T.add(T.zeros([2]), T.zeros([2]), T.zeros([3])))
      .toThrow(/add: out is float32 \[3\], expected float32 \[2\]/)
  })

  it('where picks by condition with broadcasting', () => {
    const cond = tensor([[1], [0]])
    const out = T.where(cond, tensor([1, 2, 3]), -1)
    expect(out.toArray()).toEqual([[1, 2, 3], [-1, -1, -1]])
  })
})

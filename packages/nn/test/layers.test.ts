import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { astype, Rng } from '@latent/tensor'
import * as A from '@latent/autodiff'
import { Value } from '@latent/autodiff'
import {
  ACTIVATIONS, activation, Dense, Dropout, elu, gelu, initWeight, softplus, type InitScheme,
} from '../src/index.js'
import { NN, t64 } from './fixtures.js'

describe('Dense', () => {
  it('computes x·Wᵀ + b with W stored [out, in]', () => {
    const d = new Dense(3, 2, { rng: new Rng(1), dtype: 'float64' })
    const x = new Rng(2).normal([4, 3], 0, 1, 'float64')
    const ref = T.add(T.matmul(x, d.weight.data, { transposeB: true }), d.bias!.data)
    expect(d.call(x).data.toArray()).toEqual(ref.toArray())
    expect(new Dense(3, 2, { rng: new Rng(1), bias: false }).bias).toBeUndefined()
  })

  it('passes the dot-product test with respect to input, weight and bias (float64)', () => {
    const d = new Dense(5, 3, { rng: new Rng(3), dtype: 'float64' })
    const x = new Rng(4).normal([6, 5], 0, 1, 'float64')
    A.dotProductTest((xv, w, b) => A.add(A.matmul(xv, w, { transposeB: true }), b), [x, d.weight.data, d.bias!.data])
    A.gradcheck((xv) => d.forward(xv), [x])
  })

  it('rejects bad sizes and a missing generator', () => {
    expect(() => new Dense(0, 2, { rng: new Rng(1) })).toThrow(/positive integers, got 0 -> 2/)
    expect(() => new Dense(2, 2, {} as never)).toThrow(/pass \{ rng \}/)
    expect(() => new Dense(2, 2, { rng: new Rng(1), bais: false } as never))
      .toThrow("Dense: unknown option 'bais' (expected rng, init, bias, dtype)")
  })

  it('names itself and the width it takes when an input has another', () => {
    const d = new Dense(8, 4, { rng: new Rng(1) })
    expect(() => d.call(T.zeros([2, 5]))).toThrow('Dense(8 -> 4): input [2, 5] has 5 features, the layer takes 8')
    expect(() => d.call(T.zeros([]))).toThrow('Dense(8 -> 4): input [] has no features, the layer takes 8')
    expect(d.call(T.zeros([3, 2, 8])).data.shape).toEqual([3, 2, 4]) // batched inputs still work
  })
})

describe('initialisation', () => {
  // Large draws: the sample moments must match the formulas.
  const fanIn = 400
  const fanOut = 300
  const cases: [InitScheme, 'uniform' | 'normal', number][] = [
    ['pytorch', 'uniform', 1 / Math.sqrt(fanIn)],
    ['xavier-uniform', 'uniform', Math.sqrt(6 / (fanIn + fanOut))],
    ['xavier-normal', 'normal', Math.sqrt(2 / (fanIn + fanOut))],
    ['kaiming-uniform', 'uniform', Math.SQRT2 * Math.sqrt(3 / fanIn)],
    ['kaiming-normal', 'normal', Math.SQRT2 / Math.sqrt(fanIn)],
    ['lecun-uniform', 'uniform', Math.sqrt(3 / fanIn)],
    ['lecun-normal', 'normal', 1 / Math.sqrt(fanIn)],
  ]
  for (const [scheme, kind, scale] of cases) {
    const law = kind === 'uniform' ? `U(-${scale.toFixed(4)}, ${scale.toFixed(4)})` : `N(0, ${scale.toFixed(4)}²)`
    it(`${scheme}: ${law}`, () => {
      const w = initWeight(new Rng(1), scheme, fanIn, fanOut, { dtype: 'float64' })
      expect(w.shape).toEqual([fanOut, fanIn])
      const d = w.data
      let sq = 0
      for (const v of d) sq += v * v
      const std = Math.sqrt(sq / d.length)
      if (kind === 'uniform') {
        expect(Math.max(...d)).toBeLessThanOrEqual(scale)
        expect(Math.min(...d)).toBeGreaterThanOrEqual(-scale)
        expect(std / (scale / Math.sqrt(3))).toBeCloseTo(1, 2)
      } else {
        expect(std / scale).toBeCloseTo(1, 2)
      }
    })
  }
})

describe('activations', () => {
  const z = t64(NN.z)
  const ours: Record<string, (x: Value) => Value> = {
    gelu: (x) => gelu(x),
    geluTanh: (x) => gelu(x, 'tanh'),
    elu: (x) => elu(x, 1.3),
    softplus: (x) => softplus(x),
    softplusBeta: (x) => softplus(x, 2, 10),
    leakyRelu: (x) => A.leakyRelu(x, 0.2),
  }
  for (const c of NN.activations) {
    it(`${c.name}: values and derivatives against PyTorch`, () => {
      const x = new Value(z, { requiresGrad: true })
      const y = ours[c.name](x)
      A.backward(A.sum(y))
      y.data.data.forEach((v, i) => expect(v).toBeCloseTo(c.output.data[i], 12))
      x.grad!.data.data.forEach((v, i) => expect(v).toBeCloseTo(c.grad.data[i], 11))
    })
  }

  it('every activation module passes the gradient check away from kinks', () => {
    const x = new Rng(5).uniform([3, 4], 0.2, 2, 'float64')
    for (let i = 0; i < x.size; i++) if (i % 2) x.data[i] = -x.data[i]
    for (const name of Object.keys(ACTIVATIONS) as (keyof typeof ACTIVATIONS)[]) {
      const m = activation(name)
      A.gradcheck((v) => m.forward(v), [x])
    }
    expect(() => activation('swish' as never)).toThrow(/unknown 'swish'/)
  })
})

describe('Dropout', () => {
  it('is the identity in eval mode', () => {
    const d = new Dropout(0.5, { rng: new Rng(1) })
    d.eval()
    const x = new Value(T.ones([10]))
    expect(d.forward(x)).toBe(x)
  })

  it('keeps each element with probability 1 - p, scaled by 1/(1 - p), so the mean is unchanged', () => {
    const d = new Dropout(0.3, { rng: new Rng(2) })
    const y = d.forward(new Value(T.ones([100_000]))).data
    const kept = y.data.filter((v) => v !== 0)
    expect(Math.abs(kept.length / 100_000 - 0.7)).toBeLessThan(0.01)
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true)
    expect(Math.abs(T.mean(y).item() - 1)).toBeLessThan(0.01)
  })

  it('is reproducible from its seed and differentiable through the mask', () => {
    const run = (): number[] => [...new Dropout(0.5, { rng: new Rng(3) }).forward(new Value(T.ones([20]))).data.data]
    expect(run()).toEqual(run())
    const x = new Rng(4).normal([4, 5], 0, 1, 'float64')
    A.gradcheck((v) => new Dropout(0.4, { rng: new Rng(9) }).forward(v), [x])
    expect(() => new Dropout(1, { rng: new Rng(1) })).toThrow(/p must be in \[0, 1\)/)
  })

  it('float32 layers work on float32 inputs', () => {
    const d = new Dense(3, 2, { rng: new Rng(1) })
    expect(d.call(astype(new Rng(1).normal([2, 3], 0, 1, 'float64'), 'float32')).dtype).toBe('float32')
  })
})

import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng } from '@latent/tensor'
import * as A from '@latent/autodiff'
import { Value } from '@latent/autodiff'
import {
  bceLoss, bceWithLogitsLoss, bernoulliKl, crossEntropyLoss, gaussianKl, l1Activity, l1Loss, l1Penalty, l2Activity,
  l2Penalty, mseLoss, poissonNllLoss, type Reduction,
} from '../src/index.js'
import { NN, t64, type LossCase } from './fixtures.js'

const LOSSES: Record<string, (x: Value, c: LossCase, reduction: Reduction) => Value> = {
  mse: (x, c, reduction) => mseLoss(x, t64(c.target!), { reduction }),
  l1: (x, c, reduction) => l1Loss(x, t64(c.target!), { reduction }),
  bce: (x, c, reduction) => bceLoss(x, t64(c.target!), { reduction }),
  bceWithLogits: (x, c, reduction) => bceWithLogitsLoss(x, t64(c.target!), { reduction }),
  poisson: (x, c, reduction) => poissonNllLoss(x, t64(c.target!), { reduction }),
  poissonFull: (x, c, reduction) => poissonNllLoss(x, t64(c.target!), { reduction, full: true }),
  poissonRate: (x, c, reduction) => poissonNllLoss(x, t64(c.target!), { reduction, logInput: false }),
  crossEntropy: (x, c, reduction) => crossEntropyLoss(x, c.labels!, { reduction }),
}

describe('losses against PyTorch (value and gradient, every reduction)', () => {
  for (const c of NN.losses) {
    it(`${c.name}, reduction ${c.reduction}`, () => {
      const x = new Value(t64(c.input), { requiresGrad: true })
      const out = LOSSES[c.name](x, c, c.reduction)
      expect(out.shape).toEqual(c.output.shape)
      out.data.data.forEach((v, i) => expect(v).toBeCloseTo(c.output.data[i], 12))
      A.backward(A.sum(out))
      x.grad!.data.data.forEach((v, i) => expect(v).toBeCloseTo(c.grad.data[i], 12))
    })
  }

  it('every loss passes the dot-product test in float64', () => {
    const seen = new Set<string>()
    for (const c of NN.losses.filter((l) => l.reduction === 'none')) {
      if (seen.has(c.name)) continue
      seen.add(c.name)
      A.dotProductTest((x) => LOSSES[c.name](x, c, 'none'), [t64(c.input)])
    }
    expect(seen.size).toBe(Object.keys(LOSSES).length)
  })
})

describe('losses: edge cases and errors', () => {
  it('bceLoss refuses an input that is not a probability', () => {
    expect(() => bceLoss(T.tensor([0.5, 1.5]), T.tensor([1, 0])))
      .toThrow('bceLoss: input 1.5 at index 1 is not a probability in [0, 1] (for logits, use bceWithLogitsLoss)')
    expect(() => bceLoss(T.tensor([NaN]), T.tensor([1]))).toThrow('bceLoss: input NaN at index 0')
    expect(() => bceLoss(T.tensor([-0.25]), T.tensor([1]))).toThrow('bceLoss: input -0.25 at index 0')
  })

  it('bceLoss clamps log at -100 as PyTorch does; bceWithLogits is stable at large logits', () => {
    expect(bceLoss(T.tensor([0, 1], { dtype: 'float64' }), T.tensor([1, 0], { dtype: 'float64' }),
      { reduction: 'none' }).data.toArray()).toEqual([100, 100])
    const big = bceWithLogitsLoss(T.tensor([1000, -1000], { dtype: 'float64' }), T.tensor([0, 1], { dtype: 'float64' }),
      { reduction: 'none' })
    expect(big.data.toArray()).toEqual([1000, 1000])
    // d/dx at x = 0 is σ(0) - y exactly (no kink)
    const x = new Value(T.tensor([0], { dtype: 'float64' }), { requiresGrad: true })
    A.backward(bceWithLogitsLoss(x, T.tensor([0.25], { dtype: 'float64' })))
    expect(x.grad!.item()).toBe(0.25)
  })

  it('names the loss and both shapes on a mismatch; checks labels', () => {
    expect(() => mseLoss(T.zeros([2, 3]), T.zeros([3, 2])))
      .toThrow('mseLoss: input [2, 3] and target [3, 2] differ in shape')
    expect(() => crossEntropyLoss(T.zeros([2, 3]), [0, 3]))
      .toThrow('crossEntropyLoss: label 3 at row 1 is not a class in 0..2')
    expect(() => crossEntropyLoss(T.zeros([2, 3]), [0])).toThrow(/1 labels for 2 rows/)
    expect(() => mseLoss(T.zeros([2]), T.zeros([2]), { reduction: 'avg' as never })).toThrow(/unknown reduction 'avg'/)
    expect(mseLoss(T.tensor([1, 3]), 1).item()).toBe(2)
  })

  it('mseLoss reduced (fused) gives the composed loss and gradients bit for bit in float32, ' +
    'and records for double backward', () => {
    const rng = new Rng(5)
    const input = rng.normal([9, 37])
    const target = rng.uniform([9, 37])
    for (const reduction of ['mean', 'sum'] as const) {
      const run = (loss: (x: Value) => Value): [number, number[]] => {
        const x = new Value(input, { requiresGrad: true })
        const out = loss(x)
        A.backward(out)
        return [out.item(), Array.from(x.grad!.data.data)]
      }
      const composedOf = (x: Value): Value => (reduction === 'mean' ? A.mean : A.sum)(A.square(A.sub(x, target)))
      expect(run((x) => mseLoss(x, target, { reduction }))).toEqual(run(composedOf))
      // The target's gradient too (a target that requires one, as in a siamese loss).
      const grads = (loss: (x: Value, t: Value) => Value): number[][] => {
        const x = new Value(input, { requiresGrad: true })
        const t = new Value(target, { requiresGrad: true })
        A.backward(loss(x, t))
        return [Array.from(x.grad!.data.data), Array.from(t.grad!.data.data)]
      }
      expect(grads((x, t) => mseLoss(x, t, { reduction })))
        .toEqual(grads((x, t) => (reduction === 'mean' ? A.mean : A.sum)(A.square(A.sub(x, t)))))
    }
    // Recorded (createGraph), the fused loss differentiates twice: d²/dx² of Σ(x - t)² is 2.
    const x = new Value(T.tensor([0.5, -1], { dtype: 'float64' }), { requiresGrad: true })
    const [g] = A.gradients([mseLoss(x, T.tensor([1, 1], { dtype: 'float64' }), { reduction: 'sum' })], [x],
      { createGraph: true })
    expect(g.data.toArray()).toEqual([-1, -4])
    const [h] = A.gradients([A.sum(g)], [x])
    expect(h.data.toArray()).toEqual([2, 2])
  })

  it('gaussianKl is zero for the prior and matches a seeded Monte Carlo estimate', () => {
    expect(gaussianKl(T.zeros([3, 4]), T.zeros([3, 4])).item()).toBe(0)
    const mu = T.tensor([[0.5, -1]], { dtype: 'float64' })
    const logVar = T.tensor([[-0.5, 0.3]], { dtype: 'float64' })
    // E_q[log q(z) - log p(z)] with z ~ q = N(mu, exp(logVar))
    const rng = new Rng(1)
    const n = 200_000
    let total = 0
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 2; j++) {
        const s = Math.exp(0.5 * logVar.data[j])
        const eps = rng.normalPair()[0]
        const zj = mu.data[j] + s * eps
        total += -0.5 * eps * eps - Math.log(s) + 0.5 * zj * zj
      }
    }
    expect(gaussianKl(mu, logVar).item()).toBeCloseTo(total / n, 2)
  })

  it('bernoulliKl is zero at the target rate and grows away from it', () => {
    expect(bernoulliKl(0.1, T.full([5, 3], 0.1, { dtype: 'float64' })).item()).toBeCloseTo(0, 14)
    const kl = bernoulliKl(0.1, T.full([5, 3], 0.3, { dtype: 'float64' })).item()
    expect(kl).toBeCloseTo(3 * (0.1 * Math.log(0.1 / 0.3) + 0.9 * Math.log(0.9 / 0.7)), 12)
    A.gradcheck((h) => bernoulliKl(0.05, h), [new Rng(2).uniform([4, 3], 0.1, 0.9, 'float64')])
    expect(() => bernoulliKl(1, T.zeros([2]))).toThrow(/target rate must be in \(0, 1\)/)
  })

  it('regularizers are the sums they claim and differentiate through autodiff', () => {
    const w = new Value(T.tensor([[1, -2], [3, -4]], { dtype: 'float64' }), { requiresGrad: true })
    expect(l1Penalty([w], 0.5).item()).toBe(5)
    expect(l2Penalty([w], 0.5).item()).toBe(15)
    A.backward(l2Penalty([w], 0.5))
    expect(w.grad!.data.toArray()).toEqual([[1, -2], [3, -4]])
    const h = T.tensor([[1, -1], [2, 0]], { dtype: 'float64' })
    expect(l1Activity(new Value(h), 2).item()).toBe(2 * ((2 + 2) / 2))
    expect(l2Activity(new Value(h), 1).item()).toBe((2 + 4) / 2)
  })
})

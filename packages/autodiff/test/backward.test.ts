import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { tensor } from '@latent/tensor'
import * as A from '../src/index.js'
import { Value } from '../src/index.js'

const leaf = (x: number | number[], name?: string): Value =>
  new Value(tensor(x, { dtype: 'float64' }), { requiresGrad: true, name })

describe('backward', () => {
  it("reproduces micrograd's README example (24.7041, 138.8338, 645.5773)", () => {
    const a = leaf(-4)
    const b = leaf(2)
    let c = a.add(b)
    let d = a.mul(b).add(b.pow(3))
    c = c.add(c.add(1))
    c = c.add(c.add(1).add(a.neg()))
    d = d.add(d.mul(2).add(b.add(a).relu()))
    d = d.add(d.mul(3).add(b.sub(a).relu()))
    const e = c.sub(d)
    const f = e.pow(2)
    let g = f.div(2)
    g = g.add(A.div(10, f))
    expect(g.item().toFixed(4)).toBe('24.7041')
    g.backward()
    expect(a.grad!.item().toFixed(4)).toBe('138.8338')
    expect(b.grad!.item().toFixed(4)).toBe('645.5773')
  })

  it('adds the gradients of a value used twice, and of a diamond', () => {
    // y = x·x + x: dy/dx = 2x + 1 = 7 at x = 3
    const x = leaf(3)
    A.backward(x.mul(x).add(x))
    expect(x.grad!.item()).toBe(7)
    // diamond: a = 2x, b = x², y = a·b = 2x³: dy/dx = 6x² = 24 at x = 2
    const z = leaf(2)
    const a = z.mul(2)
    const b = z.mul(z)
    A.backward(a.mul(b))
    expect(z.grad!.item()).toBe(24)
  })

  it('accumulates over two backward calls until zeroGrad', () => {
    const x = leaf(1.5)
    A.backward(x.mul(x))
    A.backward(x.mul(4))
    expect(x.grad!.item()).toBe(3 + 4)
    x.zeroGrad()
    A.backward(x.mul(x))
    expect(x.grad!.item()).toBe(3)
  })

  it('detach and noGrad cut the graph; noGrad restores recording even after a throw', () => {
    const x = leaf(2)
    const y = x.mul(x.detach()) // d/dx = detached x = 2, not 2x = 4
    A.backward(y)
    expect(x.grad!.item()).toBe(2)
    const c = A.noGrad(() => x.mul(3))
    expect(c.requiresGrad).toBe(false)
    expect(() => A.noGrad(() => { throw new Error('inside') })).toThrow('inside')
    expect(A.isGradEnabled()).toBe(true)
    expect(x.mul(3).requiresGrad).toBe(true)
  })

  it('needs a seed for a non-scalar root, of the root shape', () => {
    const x = leaf([1, 2, 3])
    const y = x.mul(2)
    expect(() => A.backward(y)).toThrow('backward: the root has shape [3]; ' +
      'pass a seed (its cotangent, of that shape) or reduce it to a scalar first')
    expect(() => A.backward(y, { seed: tensor([1, 1], { dtype: 'float64' }) }))
      .toThrow(/the seed has shape \[2\], the root \[3\]/)
    A.backward(y, { seed: tensor([1, 0, -1], { dtype: 'float64' }) })
    expect(x.grad!.data.toArray()).toEqual([2, 0, -2])
    expect(() => A.backward(A.mul(tensor([1]), 2))).toThrow(/does not depend on any value that requires a gradient/)
  })

  it('frees the graph after backward unless retainGraph, and says so on a second pass', () => {
    const x = leaf(2)
    const y = x.exp().mul(3)
    A.backward(y)
    expect(() => A.backward(y))
      .toThrow(/the graph behind mul was freed by an earlier backward pass; pass \{ retainGraph: true \}/)
    const z = x.exp().mul(3)
    A.backward(z, { retainGraph: true })
    x.zeroGrad()
    A.backward(z)
    expect(x.grad!.item()).toBeCloseTo(3 * Math.exp(2), 12)
  })

  it('asserts every gradient shape, naming the op', () => {
    const bad = { name: 'badShape', forward: ([t]: readonly T.Tensor[]) => T.mul(t, 2), vjp: [(g: Value) => A.sum(g)] }
    const x = leaf([1, 2])
    const y = A.apply(bad, [x], undefined)
    expect(() => A.backward(A.sum(y))).toThrow('backward: the VJP of badShape gave input 0 ' +
      'a gradient of shape []; the input has shape [2]')
  })

  it('anomaly mode names the op where a NaN or infinity first appears', () => {
    const x = leaf([1, -1])
    A.setAnomalyDetection(true)
    try {
      expect(() => A.log(x)).toThrow('anomaly: log (forward) produced NaN at element 1 of a [2] tensor')
      const y = A.sqrt(leaf([0, 4])) // forward fine, gradient 1/(2·0) = inf
      expect(() => A.backward(A.sum(y))).toThrow('anomaly: div (forward) produced Infinity at element 0 ' +
        'of a [2] tensor, while computing the gradient of sqrt (input 0)')
    } finally {
      A.setAnomalyDetection(false)
    }
    expect(() => A.log(x)).not.toThrow()
  })

  it('walks a 10,000-op chain without overflowing the stack', () => {
    const x = leaf(1)
    let y: Value = x
    for (let i = 0; i < 10_000; i++) y = y.mul(1.0001)
    A.backward(y)
    expect(x.grad!.item()).toBeCloseTo(1.0001 ** 10_000, 6)
  })

  it('createGraph makes gradients differentiable: d²/dx² x³ = 6x', () => {
    const x = leaf(2)
    A.backward(x.pow(3), { createGraph: true })
    const g = x.grad!
    expect(g.item()).toBe(12)
    expect(g.requiresGrad).toBe(true)
    x.zeroGrad()
    A.backward(g)
    expect(x.grad!.item()).toBe(12)
  })

  it('broadcasting sums the gradient back in expand: a bias gets column sums', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' })
    const b = leaf([10, 20])
    const y = A.add(x, b)
    A.backward(y, { seed: tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' }) })
    expect(b.grad!.data.toArray()).toEqual([9, 12])
  })
})

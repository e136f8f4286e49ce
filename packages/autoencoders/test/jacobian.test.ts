/**
 * The contractive penalty ‖∂h/∂x‖²_F: autodiff's general double-backward path, the structured
 * path for dense stacks, and the closed form (a primitive defined outside autodiff's table)
 * agree with each other and with a Jacobian built row by row, and their gradients match finite
 * differences, to second order for the closed form.
 */
import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng } from '@latent/tensor'
import * as A from '@latent/autodiff'
import { Value } from '@latent/autodiff'
import { denseContractive, denseStackPenalty } from '../src/index.js'

const rng = new Rng(7)
const param = (shape: number[], scale = 0.5): Value =>
  new Value(rng.normal(shape, 0, scale, 'float64'), { requiresGrad: true })
const x = rng.normal([5, 6], 0, 1, 'float64')

/** ‖J_b‖²_F from the full Jacobian of one sample at a time (jacobian(), one VJP per code unit). */
function bruteForce(encoder: (v: Value) => Value): number[] {
  return [...Array(x.shape[0]).keys()].map((b) => {
    const row = T.slice(x, 0, b, b + 1)
    const j = A.jacobian((v) => encoder(v), row)
    return [...j.data].reduce((s, v) => s + v * v, 0)
  })
}

describe('contractive penalty', () => {
  for (const [name, fn] of [['sigmoid', A.sigmoid], ['tanh', A.tanh], ['softplus', A.softplus]] as const) {
    it(`one dense layer (${name}): closed form = stack path = double backward = brute force`, () => {
      const w = param([4, 6])
      const b = param([4])
      const encoder = (v: Value): Value => fn(A.add(A.matmul(v, w, { transposeB: true }), b))
      const z = A.add(A.matmul(x, w, { transposeB: true }), b)
      const closed = denseContractive(z, w, name, { reduction: 'none' }).data.data
      const stack = denseStackPenalty(x, [{ weight: w, bias: b, activation: fn }], { reduction: 'none' })
        .penalty.data.data
      const general = A.jacobianPenalty(encoder, x, { reduction: 'none' }).penalty.data.data
      const brute = bruteForce(encoder)
      brute.forEach((v, i) => {
        expect(closed[i]).toBeCloseTo(v, 12)
        expect(stack[i]).toBeCloseTo(v, 12)
        expect(general[i]).toBeCloseTo(v, 12)
      })
    })
  }

  it("Rifai et al.'s formula for the sigmoid: Σ_j (h_j(1 - h_j))² Σ_i W_ji²", () => {
    const w = param([3, 6])
    const z = A.matmul(x, w, { transposeB: true })
    const h = T.sigmoid(z.data)
    const rowNorms = T.sum(T.square(w.data), { axis: 1 })
    const closed = denseContractive(z, w, 'sigmoid', { reduction: 'none' }).data
    for (let b = 0; b < 5; b++) {
      let p = 0
      for (let j = 0; j < 3; j++) p += (h.data[b * 3 + j] * (1 - h.data[b * 3 + j])) ** 2 * rowNorms.data[j]
      expect(closed.data[b]).toBeCloseTo(p, 14)
    }
  })

  it('a deep encoder (relu, then tanh, then sigmoid): stack path = double backward = brute force', () => {
    const [w1, b1, w2, b2, w3] = [param([7, 6]), param([7]), param([5, 7]), param([5]), param([3, 5])]
    const layers = [
      { weight: w1, bias: b1, activation: A.relu }, { weight: w2, bias: b2, activation: A.tanh },
      { weight: w3, activation: A.sigmoid },
    ]
    const encoder = (v: Value): Value => layers.reduce((h, l) => l.activation(l.bias
      ? A.add(A.matmul(h, l.weight, { transposeB: true }), l.bias)
      : A.matmul(h, l.weight, { transposeB: true })), v)
    const stack = denseStackPenalty(x, layers, { reduction: 'none' })
    const general = A.jacobianPenalty(encoder, x, { reduction: 'none' })
    const brute = bruteForce(encoder)
    brute.forEach((v, i) => {
      expect(stack.penalty.data.data[i]).toBeCloseTo(v, 11)
      expect(general.penalty.data.data[i]).toBeCloseTo(v, 11)
    })
    expect(stack.output.data.toArray()).toEqual(encoder(new Value(x)).data.toArray())
  })

  it('all three give the same penalty under noGrad (e.g. on validation data), as constants', () => {
    const w = param([4, 6])
    const b = param([4])
    const layers = [{ weight: w, bias: b, activation: A.tanh }]
    const encoder = (v: Value): Value => A.tanh(A.add(A.matmul(v, w, { transposeB: true }), b))
    const recorded = A.jacobianPenalty(encoder, x).penalty.item()
    const [stack, general] =
      A.noGrad(() => [denseStackPenalty(x, layers).penalty, A.jacobianPenalty(encoder, x).penalty])
    expect(stack.requiresGrad || general.requiresGrad).toBe(false)
    expect(stack.item()).toBeCloseTo(recorded, 12)
    expect(general.item()).toBeCloseTo(recorded, 12)
  })

  it('reductions: mean (default), sum, none', () => {
    const w = param([3, 6])
    const z = A.matmul(x, w, { transposeB: true })
    const none = denseContractive(z, w, 'tanh', { reduction: 'none' }).data
    expect(denseContractive(z, w, 'tanh').item()).toBeCloseTo(T.mean(none).item(), 14)
    expect(denseContractive(z, w, 'tanh', { reduction: 'sum' }).item()).toBeCloseTo(T.sum(none).item(), 14)
    expect(() => denseContractive(z, w, 'gelu' as never)).toThrow(/no closed form for 'gelu'/)
    expect(() => denseContractive(z, param([4, 6]), 'tanh')).toThrow(/do not match/)
  })

  it('gradients of a loss containing each form match finite differences (weights, bias and input)', () => {
    const xs = new Rng(3).normal([3, 4], 0, 1, 'float64')
    const w0 = new Rng(4).normal([3, 4], 0, 0.7, 'float64')
    const b0 = new Rng(5).normal([3], 0, 0.5, 'float64')
    const recon = (h: Value, w: Value, target: Value): Value => A.mean(A.square(A.sub(A.matmul(h, w), target)))
    // closed form
    A.gradcheck((w, b, xv) => {
      const z = A.add(A.matmul(xv, w, { transposeB: true }), b)
      return A.add(recon(A.sigmoid(z), w, xv), A.mul(denseContractive(z, w, 'sigmoid'), 0.1))
    }, [w0, b0, T.clone(xs)])
    // structured stack path (two layers)
    const w2 = new Rng(6).normal([2, 3], 0, 0.7, 'float64')
    A.gradcheck((w, b, v) => denseStackPenalty(xs, [
      { weight: w, bias: b, activation: A.tanh }, { weight: v, activation: A.sigmoid },
    ]).penalty, [w0, b0, w2])
    // general double-backward path
    A.gradcheck((w, b) =>
      A.jacobianPenalty((v) => A.tanh(A.add(A.matmul(v, w, { transposeB: true }), b)), xs).penalty, [w0, b0])
  })

  it.each(['sigmoid', 'tanh', 'relu', 'softplus', 'identity'] as const)(
    'the closed form (%s) passes gradcheck and gradgradcheck', (act) => {
    const r = new Rng(11)
    // relu: inputs away from its kink at 0, where finite differences would straddle it
    const z = r.normal([4, 3], 0, 1, 'float64')
    if (act === 'relu') for (let i = 0; i < z.size; i++) z.data[i] += z.data[i] > 0 ? 0.5 : -0.5
    const w = r.normal([3, 5], 0, 1, 'float64')
    const f = (zv: Value, wv: Value): Value => denseContractive(zv, wv, act, { reduction: 'none' })
    A.gradcheck(f, [z, w]) // each throws, naming the input and element, on a mismatch
    A.gradgradcheck(f, [z, w])
  })

  it('a convolutional encoder through the general path: the penalty equals brute force, ' +
    'and passes gradcheck and gradgradcheck', () => {
    const r = new Rng(12)
    const x2 = r.normal([2, 25], 0, 1, 'float64') // two 1x5x5 images as rows
    const encoder = (w: Value, v: Value): Value => {
      const images = A.reshape(v, [v.shape[0], 1, 5, 5])
      const h = A.tanh(A.conv2d(images, w, undefined, { stride: 2, padding: 1 })) // [n, 2, 3, 3]
      return A.sum(A.reshape(h, [v.shape[0], 2, 9]), { axis: 2 }) // a 2-d code
    }
    const w = r.normal([2, 1, 3, 3], 0, 0.5, 'float64')
    const penalty = (wv: Value): Value => A.jacobianPenalty((v) => encoder(wv, v), x2, { reduction: 'sum' }).penalty
    const brute = [0, 1].map((b) => {
      const j = A.jacobian((v) => encoder(new Value(w), v), T.slice(x2, 0, b, b + 1))
      return [...j.data].reduce((s, v) => s + v * v, 0)
    })
    expect(penalty(new Value(w)).item()).toBeCloseTo(brute[0] + brute[1], 12)
    A.gradcheck(penalty, [w])
    A.gradgradcheck(penalty, [w])
  })
})

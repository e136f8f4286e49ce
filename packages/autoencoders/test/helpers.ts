import { expect } from 'vitest'
import { backward, noGrad } from '@latent/autodiff'
import { Rng, type Tensor } from '@latent/tensor'
import type { Autoencoder } from '../src/index.js'

/**
 * The dot-product test for a model's loss with respect to all its parameters, in float64:
 * ⟨∇L, v⟩ against (L(θ + εv) - L(θ - εv)) / 2ε for random directions v. The model's generators
 * are rewound before every evaluation, so noisy objectives see the same noise each time.
 */
export function checkModelGradient(
  model: Autoencoder, x: Tensor, options: { trials?: number; seed?: number; eps?: number; rtol?: number } = {},
): void {
  const params = model.parameters()
  const gens = Object.values(model.generators())
  const saved = gens.map((g) => g.getState())
  const rewind = (): void => gens.forEach((g, i) => g.setState(saved[i]))
  const rng = new Rng(options.seed ?? 11)
  const eps = options.eps ?? 1e-6
  for (let t = 0; t < (options.trials ?? 2); t++) {
    model.zeroGrad()
    rewind()
    backward(model.loss(x).total)
    const vs = params.map((p) => rng.normal(p.shape, 0, 1, 'float64').data)
    let analytic = 0
    params.forEach((p, i) => p.grad && p.grad.data.data.forEach((g, j) => (analytic += g * vs[i][j])))
    const shifted = (sign: number): number => {
      params.forEach((p, i) => p.data.data.forEach((_, j) => (p.data.data[j] += sign * eps * vs[i][j])))
      rewind()
      const value = noGrad(() => model.loss(x).total.item())
      params.forEach((p, i) => p.data.data.forEach((_, j) => (p.data.data[j] -= sign * eps * vs[i][j])))
      return value
    }
    const numeric = (shifted(1) - shifted(-1)) / (2 * eps)
    expect(Math.abs(analytic - numeric)).toBeLessThanOrEqual((options.rtol ?? 1e-6) * Math.abs(numeric) + 1e-9)
  }
  model.zeroGrad()
}

/**
 * Points on one fixed 3-D manifold in 12 dimensions: Gaussian coordinates on a random (but fixed,
 * seed 0) 3-D subspace, squashed into [0, 1] by a sigmoid. `seed` draws the coordinates only, so
 * every call samples the same manifold.
 */
export function lowRankData(n: number, seed: number): Tensor {
  const basis = new Rng(0).normal([3, 12], 0, 1)
  const coords = new Rng(seed).normal([n, 3])
  const out = new Float32Array(n * 12)
  for (let i = 0; i < n; i++) for (let j = 0; j < 12; j++) {
    let s = 0
    for (let c = 0; c < 3; c++) s += coords.data[i * 3 + c] * basis.data[c * 12 + j]
    out[i * 12 + j] = 1 / (1 + Math.exp(-s))
  }
  return new (coords.constructor as typeof import('@latent/tensor').Tensor)(out, [n, 12])
}

/** Every variant: its objective's gradient (float64 dot-product test), its defining property, and that it learns. */
import { describe, expect, it } from 'vitest'
import * as A from '@latent/autodiff'
import { astype, mean, Rng, sub, square, tensor } from '@latent/tensor'
import { Adam } from '@latent/nn'
import * as AE from '../src/index.js'
import { checkModelGradient, lowRankData } from './helpers.js'

const x64 = astype(lowRankData(16, 1), 'float64')
const layers = (seed: number, extra: Partial<AE.SymmetricOptions> = {}) =>
  AE.symmetricLayers({ sizes: [12, 6, 3], rng: new Rng(seed), dtype: 'float64', ...extra })

describe('gradients of every objective (float64 dot-product test)', () => {
  it('vanilla, BCE and MSE', () => {
    for (const loss of ['bce', 'mse', 'l1'] as const) {
      const { encoder, decoder } = layers(1)
      checkModelGradient(new AE.Autoencoder(encoder, decoder, { loss }), x64)
    }
  })

  it('tied weights', () => {
    const { encoder, decoder } = layers(2, { tied: true })
    checkModelGradient(new AE.Autoencoder(encoder, decoder), x64)
  })

  it('denoising, with each kind of noise (the noise held fixed)', () => {
    for (const noise of [
      { kind: 'gaussian', std: 0.2 }, { kind: 'masking', p: 0.3 }, { kind: 'saltPepper', p: 0.2 },
    ] as const) {
      const { encoder, decoder } = layers(3)
      checkModelGradient(new AE.DenoisingAutoencoder(encoder, decoder, { noise, rng: new Rng(4) }), x64)
    }
  })

  it('sparse, L1 and KL', () => {
    const a = layers(5)
    checkModelGradient(new AE.SparseAutoencoder(a.encoder, a.decoder, { sparsity: { kind: 'l1', lambda: 0.1 } }), x64)
    const b = layers(6, { codeActivation: 'sigmoid' })
    checkModelGradient(
      new AE.SparseAutoencoder(b.encoder, b.decoder, { sparsity: { kind: 'kl', rho: 0.1, beta: 0.5 } }), x64)
  })

  it('contractive, through each path of the penalty', () => {
    const one = AE.symmetricLayers({ sizes: [12, 4], rng: new Rng(7), dtype: 'float64', codeActivation: 'sigmoid' })
    const closed = new AE.ContractiveAutoencoder(one.encoder, one.decoder, { lambda: 0.5 })
    expect(closed.path).toBe('closed form')
    checkModelGradient(closed, x64)
    const deep = layers(8, { activation: 'tanh', codeActivation: 'sigmoid' })
    const stack = new AE.ContractiveAutoencoder(deep.encoder, deep.decoder, { lambda: 0.5 })
    expect(stack.path).toBe('dense stack')
    checkModelGradient(stack, x64)
  })

  it('variational, Bernoulli and Gaussian likelihoods (ε held fixed)', () => {
    for (const likelihood of ['bernoulli', 'gaussian'] as const) {
      checkModelGradient(
        AE.buildVariational({ sizes: [12, 6, 2], rng: new Rng(9), dtype: 'float64', likelihood, beta: 0.7 }), x64)
    }
  })
})

describe('what each variant is', () => {
  it('the builder is symmetric; tied weights are shared, counted and saved once', () => {
    const ae = AE.buildAutoencoder({ sizes: [784, 256, 64], rng: new Rng(1) })
    expect(ae.namedParameters().map(([n, p]) => `${n} [${p.shape}]`)).toEqual([
      'encoder.0.weight [256,784]', 'encoder.0.bias [256]', 'encoder.2.weight [64,256]', 'encoder.2.bias [64]',
      'decoder.0.weight [256,64]', 'decoder.0.bias [256]', 'decoder.2.weight [784,256]', 'decoder.2.bias [784]',
    ])
    const tied = AE.buildAutoencoder({ sizes: [784, 256, 64], rng: new Rng(1), tied: true })
    expect(tied.parameterCount()).toBe(784 * 256 + 256 + 256 * 64 + 64 + 256 + 784)
    // Changing the encoder's first weight changes the decoder's last layer: they are one tensor.
    const probe = new Rng(2).uniform([2, 64])
    const before = tied.decode(probe)
    tied.parameters()[0].data.data.fill(0)
    const after = tied.decode(probe)
    expect([...after.data]).not.toEqual([...before.data])
    expect(() => AE.buildAutoencoder({ sizes: [784], rng: new Rng(1) })).toThrow(/at least two positive integers/)
  })

  it('denoising corrupts in training only, and each noise has its statistics', () => {
    const x = tensor(new Float32Array(20_000).fill(0.5), { shape: [100, 200] })
    const rng = new Rng(3)
    const masked = AE.corrupt(x, { kind: 'masking', p: 0.25 }, rng)
    expect(Math.abs(masked.data.filter((v) => v === 0).length / x.size - 0.25)).toBeLessThan(0.01)
    const sp = AE.corrupt(x, { kind: 'saltPepper', p: 0.2 }, rng)
    expect(Math.abs(sp.data.filter((v) => v !== 0.5).length / x.size - 0.2)).toBeLessThan(0.01)
    const g = AE.corrupt(x, { kind: 'gaussian', std: 0.1 }, rng)
    expect(Math.sqrt(mean(square(sub(g, x))).item())).toBeCloseTo(0.1, 2)
    expect(() => AE.checkNoise({ kind: 'blur' } as never)).toThrow(/unknown kind 'blur'/)
    // Clipped: the same draw (same generator state), clamped to [0, 1]: x + 0.5ε leaves it often.
    const state = rng.getState()
    const wide = AE.corrupt(x, { kind: 'gaussian', std: 0.5 }, rng)
    rng.setState(state)
    const clipped = AE.corrupt(x, AE.parseNoise('gaussian:0.5:clip'), rng)
    expect(wide.data.filter((v) => v < 0 || v > 1).length / x.size).toBeGreaterThan(0.25)
    wide.data.forEach((v, i) => expect(clipped.data[i]).toBe(Math.min(1, Math.max(0, v))))
    expect(AE.formatNoise(AE.parseNoise('gaussian:0.5:clip'))).toBe('gaussian:0.5:clip')
    expect(() => AE.parseNoise('masking:0.2:clip')).toThrow(/only gaussian:STD takes a third part/)
    expect(() => AE.checkNoise({ kind: 'gaussian', std: 1, clip: [1, 0] })).toThrow(/clip must be \[low, high\]/)
    expect(() => AE.buildVariational({ sizes: [4, 2], rng, betta: 2 } as never))
      .toThrow(/buildVariational: unknown option 'betta'/)
    const { encoder, decoder } = AE.symmetricLayers({ sizes: [200, 10], rng })
    const dae = new AE.DenoisingAutoencoder(encoder, decoder, { noise: { kind: 'masking', p: 0.5 }, rng: new Rng(4) })
    dae.eval()
    const clean = new AE.Autoencoder(encoder, decoder).loss(x).total.item()
    expect(A.noGrad(() => dae.loss(x).total.item())).toBe(clean)
  })

  it('VAE: the KL term of the loss equals a seeded Monte Carlo estimate of E_q[log q(z) - log p(z)]', () => {
    const vae = AE.buildVariational({ sizes: [12, 6, 2], rng: new Rng(5), dtype: 'float64' })
    // Move the posterior well away from the prior (KL about 1.5 per sample, not about 0).
    vae.mu.parameters()[1].data.data.set([1.2, -0.6])
    vae.logVar.parameters()[1].data.data.set([-0.9, 0.4])
    const x = x64
    const { mu, logVar } = A.noGrad(() => vae.posterior(x))
    const kl = A.noGrad(() => vae.loss(x).kl.item())
    const rng = new Rng(6)
    let total = 0
    const draws = 20_000
    for (let s = 0; s < draws; s++) {
      for (let i = 0; i < mu.size; i++) {
        const sd = Math.exp(0.5 * logVar.data.data[i])
        const eps = rng.normalPair()[0]
        const z = mu.data.data[i] + sd * eps
        total += -0.5 * eps * eps - Math.log(sd) + 0.5 * z * z
      }
    }
    expect(kl).toBeCloseTo(total / draws / x.shape[0], 2)
  })

  it('VAE: samples, interpolation between two inputs, and the ELBO', () => {
    const vae = AE.buildVariational({ sizes: [12, 6, 2], rng: new Rng(7) })
    const s = vae.sample(5)
    expect(s.shape).toEqual([5, 12])
    expect(s.data.every((v) => v > 0 && v < 1)).toBe(true)
    const x = lowRankData(2, 8)
    const strip = vae.interpolate(sliceRow(x, 0), sliceRow(x, 1), 5)
    expect(strip.shape).toEqual([5, 12])
    expect(strip.data.subarray(0, 12)).toEqual(vae.reconstruct(sliceRow(x, 0)).data)
    expect(vae.negativeElbo(x)).toBeGreaterThan(0)
    expect(() => vae.interpolate(sliceRow(x, 0), sliceRow(x, 1), 1)).toThrow(/steps must be an integer >= 2/)
  })

  it('sparse (KL): mean activations approach the target rate', () => {
    const x = lowRankData(200, 9)
    const { encoder, decoder } = AE.symmetricLayers({ sizes: [12, 16], rng: new Rng(10), codeActivation: 'sigmoid' })
    const sae = new AE.SparseAutoencoder(encoder, decoder, { loss: 'bce', sparsity: { kind: 'kl', rho: 0.1, beta: 1 } })
    AE.fit(sae, x, {
      epochs: 60, batchSize: 50, optimizer: new Adam(sae.namedParameters(), { lr: 0.01 }), rng: new Rng(11),
    })
    const rates = sae.meanActivation(x)
    expect(Math.abs(mean(rates).item() - 0.1)).toBeLessThan(0.03)
  })

  it('contractive: a larger λ gives a smaller Jacobian norm', () => {
    const x = lowRankData(200, 12)
    const norms = [0, 1].map((lambda) => {
      const { encoder, decoder } = AE.symmetricLayers({ sizes: [12, 6], rng: new Rng(13), codeActivation: 'sigmoid' })
      const cae = new AE.ContractiveAutoencoder(encoder, decoder, { loss: 'bce', lambda })
      AE.fit(cae, x, {
        epochs: 40, batchSize: 50, optimizer: new Adam(cae.namedParameters(), { lr: 0.01 }), rng: new Rng(14),
      })
      expect(cae.jacobianNorm(x)).toBeCloseTo(AE.jacobianNormOf(cae, x), 4)
      return cae.jacobianNorm(x)
    })
    expect(norms[1]).toBeLessThan(norms[0] * 0.7)
  })
})

function sliceRow(x: ReturnType<typeof lowRankData>, i: number) {
  return tensor(x.data.slice(i * x.shape[1], (i + 1) * x.shape[1]), { shape: [1, x.shape[1]] })
}


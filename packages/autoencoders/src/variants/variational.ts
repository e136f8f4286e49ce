/**
 * Variational autoencoder: Kingma and Welling (2014), "Auto-encoding variational Bayes". The
 * encoder gives a Gaussian q(z|x) = N(μ(x), diag σ²(x)) through two heads (μ and log σ²); a code is
 * drawn by reparameterisation, z = μ + σ·ε with ε ~ N(0, I) from the model's generator, so the
 * sample is differentiable in μ and σ. The objective is the negative evidence lower bound per
 * sample (β-VAE: Higgins et al. 2017 weights the KL by β):
 *
 *   -ELBO = E_q[-log p(x|z)] + β · KL(q(z|x) ‖ N(0, I))
 *   Bernoulli decoder:  -log p(x|z) = Σ_features BCE(x̂, x)
 *   Gaussian decoder:   -log p(x|z) = ½ Σ_features (x̂ - x)² (unit variance, constants dropped)
 *
 * Losses are summed over features and averaged over the batch: nats per sample.
 */
import * as A from '@latent/autodiff'
import { type ActivationName, activation, Dense, gaussianKl, type Module, resolveOptions, Sequential } from '@latent/nn'
import { Value } from '@latent/autodiff'
import { add, checkKeys, type DType, linspace, matmul, mul, reshape, type Rng, sub, type Tensor } from '@latent/tensor'
import { Autoencoder, type LossParts, reconstructionLoss } from '../autoencoder.js'

export type Likelihood = 'bernoulli' | 'gaussian'

/**
 * The variational autoencoder's options, in the form of @latent/nn's option tables (the command
 * line prints them from here).
 */
export const VARIATIONAL_OPTIONS = {
  beta: { type: 'number', default: 1, min: 0, help: 'variational: weight β of the KL term' },
  likelihood: {
    type: 'choice', values: ['bernoulli', 'gaussian'], default: 'bernoulli',
    help: 'variational: the decoder\'s distribution',
  },
} as const

export interface VariationalOptions {
  /** The decoder's output distribution (default 'bernoulli': outputs are probabilities). */
  likelihood?: Likelihood
  /** Weight of the KL term (default 1). */
  beta?: number
  /** Draws ε for the reparameterisation and the samples. */
  rng: Rng
}

export class VariationalAutoencoder extends Autoencoder {
  readonly likelihood: Likelihood
  readonly beta: number
  private readonly rng: Rng

  /**
   * `encoder` maps x to features; `mu` and `logVar` map the features to the code's mean and log
   * variance; `decoder` maps a code to the output (probabilities for 'bernoulli').
   * @example
   *   new VariationalAutoencoder(body, muHead, logVarHead, decoder, { rng: rng.fork(), beta: 1 })
   */
  constructor(
    encoder: Module,
    readonly mu: Module,
    readonly logVar: Module,
    decoder: Module,
    options: VariationalOptions,
  ) {
    super(encoder, decoder, { loss: options.likelihood === 'gaussian' ? 'mse' : 'bce' })
    if (!options.rng) throw new TypeError('VariationalAutoencoder: pass { rng } (a seeded Rng) for ε')
    const resolved = resolveOptions('VariationalAutoencoder', VARIATIONAL_OPTIONS, {
      likelihood: options.likelihood, beta: options.beta,
    })
    ;({ likelihood: this.likelihood, beta: this.beta } = resolved)
    this.rng = options.rng
  }

  /** μ and log σ² of q(z|x). */
  posterior(x: Value | Tensor): { mu: Value; logVar: Value } {
    const h = this.encoder.forward(x instanceof Value ? x : new Value(x))
    return { mu: this.mu.forward(h), logVar: this.logVar.forward(h) }
  }

  /** The code used as an embedding: the posterior mean. @example const mu = vae.encodeValue(x) */
  override encodeValue(x: Value | Tensor): Value {
    return this.posterior(x).mu
  }

  /** -log p(x|z) per sample, summed over features. */
  private negLogLikelihood(xhat: Value, x: Tensor): Value {
    const perElement = reconstructionLoss(this.lossKind, xhat, x, 'none')
    const summed = A.sum(perElement, { axis: 1 })
    return this.likelihood === 'gaussian' ? A.mul(summed, 0.5) : summed
  }

  /**
   * { total: reconstruction + β·kl, reconstruction, kl }, each averaged over the batch's samples
   * (the negative ELBO for β = 1).
   * @example vae.loss(batch).kl.item()
   */
  override loss(x: Tensor): LossParts {
    const { mu, logVar } = this.posterior(x)
    // z = μ + σ·ε, ε drawn in training; the mean in evaluation (a deterministic reconstruction).
    const z = this.training
      ? A.add(mu, A.mul(A.exp(A.mul(logVar, 0.5)), this.rng.normal(mu.shape, 0, 1, mu.dtype)))
      : mu
    const reconstruction = A.mean(this.negLogLikelihood(this.decodeValue(z), x))
    const kl = gaussianKl(mu, logVar)
    return { total: A.add(reconstruction, A.mul(kl, this.beta)), reconstruction, kl }
  }

  /**
   * The negative ELBO in nats per sample (β = 1), estimated with `samples` draws of z per input.
   * @example vae.negativeElbo(xTest) // ≈ 250 on Fashion-MNIST after 3 epochs
   */
  negativeElbo(x: Tensor, samples = 1): number {
    return this.inEval(() => {
      const { mu, logVar } = this.posterior(x)
      const kl = gaussianKl(mu, logVar).item()
      let nll = 0
      for (let s = 0; s < samples; s++) {
        const z = add(mu.data, mul(A.exp(A.mul(logVar, 0.5)).data, this.rng.normal(mu.shape, 0, 1, mu.dtype)))
        nll += A.mean(this.negLogLikelihood(this.decodeValue(z), x)).item()
      }
      return nll / samples + kl
    })
  }

  /**
   * n new samples: codes from the prior N(0, I), decoded (decoder means).
   * @example const images = vae.sample(16)
   */
  sample(n: number): Tensor {
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`sample: n must be a positive integer, got ${n}`)
    return this.decode(this.rng.normal([n, this.codeDimension()], 0, 1, this.mu.parameters()[0]?.dtype ?? 'float32'))
  }

  /**
   * Decodes `steps` codes on the straight line between the posterior means of two inputs (rows).
   * @example const strip = vae.interpolate(x0, x1, 8) // [8, features]
   */
  interpolate(a: Tensor, b: Tensor, steps: number): Tensor {
    if (!(Number.isInteger(steps) && steps >= 2)) {
      throw new RangeError(`interpolate: steps must be an integer >= 2, got ${steps}`)
    }
    const [za, zb] = [this.encode(a), this.encode(b)]
    const t = reshape(linspace(0, 1, steps, { dtype: za.dtype }), [steps, 1])
    // z(t) = za + t (zb - za)
    const codes = add(za, matmul(t, sub(zb, za)))
    return this.decode(codes)
  }

  /**
   * The code size: the width of the μ head.
   * @example buildVariational({ sizes: [784, 400, 20], rng }).codeDimension() // 20
   */
  codeDimension(): number {
    const p = this.mu.parameters()
    const w = p.find((q) => q.shape.length === 2)
    if (!w) throw new Error('VariationalAutoencoder: cannot tell the code size from the mu head')
    return w.shape[0]
  }

  /**
   * The generator of ε (the reparameterisation's noise, and samples), for checkpoints.
   * @example vae.generators().epsilon
   */
  override generators(): Record<string, Rng> {
    return { epsilon: this.rng }
  }
}

export interface VariationalBuildOptions extends VariationalOptions {
  /** Sizes from the input to the code: [784, 400, 20] gives 784-400-(μ, log σ²: 20)-400-784. */
  sizes: readonly number[]
  activation?: ActivationName
  /** Output activation (default 'sigmoid': Bernoulli probabilities). */
  outputActivation?: ActivationName
  dtype?: DType
}

/**
 * A symmetric VAE from layer sizes.
 * @example
 *   const vae = buildVariational({ sizes: [784, 400, 20], rng: new Rng(0) })
 */
export function buildVariational(options: VariationalBuildOptions): VariationalAutoencoder {
  checkKeys('buildVariational', options,
    ['sizes', 'activation', 'outputActivation', 'dtype', 'likelihood', 'beta', 'rng'])
  const { sizes, rng } = options
  if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`buildVariational: sizes must be at least two positive integers, got [${sizes.join(', ')}]`)
  }
  const act = options.activation ?? 'relu'
  const hidden = sizes.slice(0, -1)
  const code = sizes[sizes.length - 1]
  const dtype = options.dtype
  const body = new Sequential(
    ...hidden.slice(1).flatMap((s, i) => [new Dense(hidden[i], s, { rng, dtype }), activation(act)]),
  )
  const width = hidden[hidden.length - 1]
  const back = [...sizes].reverse()
  const decoder = new Sequential(...back.slice(1).flatMap((s, i) => [
    new Dense(back[i], s, { rng, dtype }),
    activation(i === back.length - 2 ? options.outputActivation ?? 'sigmoid' : act),
  ]))
  const mu = new Dense(width, code, { rng, dtype })
  const logVar = new Dense(width, code, { rng, dtype })
  return new VariationalAutoencoder(body, mu, logVar, decoder, { ...options, rng: options.rng.fork() })
}

/**
 * Denoising autoencoder: Vincent, Larochelle, Bengio and Manzagol (2008), "Extracting and
 * composing robust features with denoising autoencoders". The input is corrupted, the target
 * is the clean input: loss = L(decode(encode(x̃)), x). Corruption happens in training mode only,
 * from the model's own seeded generator.
 *
 *   gaussian        x̃ = x + σε, ε ~ N(0, 1); with clip [a, b], x̃ is then clamped to [a, b]
 *                   (the common x + 0.5ε clipped to [0, 1] keeps the images in their range)
 *   masking         x̃ = x·m, m ~ Bernoulli(1 - p): a fraction p of the inputs set to 0
 *   saltPepper      a fraction p of the inputs set to 0 or 1, with equal probability
 */
import { Value } from '@latent/autodiff'
import { add, clamp, mul, type Rng, type Tensor, Tensor as TensorClass } from '@latent/tensor'
import { Autoencoder, type AutoencoderOptions, reconstructionLoss, type LossParts } from '../autoencoder.js'
import type { Module } from '@latent/nn'

export type Noise =
  | { kind: 'gaussian'; std: number; clip?: readonly [number, number] }
  | { kind: 'masking'; p: number }
  | { kind: 'saltPepper'; p: number }

/**
 * The noise a denoising autoencoder gets unless told: a fraction 0.3 of the inputs masked.
 * @example formatNoise(DEFAULT_NOISE) // 'masking:0.3'
 */
export const DEFAULT_NOISE: Noise = { kind: 'masking', p: 0.3 }

/**
 * Noise from its short form: masking:P, gaussian:STD, gaussian:STD:clip (clamped to [0, 1], the
 * data's range) or salt-pepper:P (as the command line takes it).
 * @example parseNoise('gaussian:0.5:clip') // { kind: 'gaussian', std: 0.5, clip: [0, 1] }
 */
export function parseNoise(s: string): Noise {
  const [kind, p, extra, ...more] = s.split(':')
  const value = Number(p)
  if (p === undefined || p.trim() === '' || !Number.isFinite(value)) {
    throw new RangeError(`noise: expected kind:amount like masking:0.3, gaussian:0.2 or salt-pepper:0.1, got '${s}'`)
  }
  if ((extra !== undefined && !(kind === 'gaussian' && extra === 'clip')) || more.length > 0) {
    throw new RangeError(`noise: only gaussian:STD takes a third part, ':clip', got '${s}'`)
  }
  const gaussian: Noise = { kind: 'gaussian', std: value, ...(extra === 'clip' ? { clip: [0, 1] as const } : {}) }
  const noise: Noise | undefined = kind === 'gaussian' ? gaussian : kind === 'masking' ? { kind, p: value }
    : kind === 'salt-pepper' ? { kind: 'saltPepper', p: value } : undefined
  if (!noise) throw new RangeError(`noise: unknown kind '${kind}' (gaussian, masking or salt-pepper)`)
  checkNoise(noise)
  return noise
}

/**
 * The short form of a noise (parseNoise's inverse).
 * @example formatNoise({ kind: 'gaussian', std: 0.2 }) // 'gaussian:0.2'
 */
export function formatNoise(noise: Noise): string {
  if (noise.kind === 'gaussian' && noise.clip && !(noise.clip[0] === 0 && noise.clip[1] === 1)) {
    throw new RangeError(`noise: the short form clips to [0, 1] only, not [${noise.clip.join(', ')}]`)
  }
  return noise.kind === 'gaussian'
    ? `gaussian:${noise.std}${noise.clip ? ':clip' : ''}`
    : `${noise.kind === 'saltPepper' ? 'salt-pepper' : noise.kind}:${noise.p}`
}

/**
 * Throws unless the noise is one of the three kinds with a valid level.
 * @example checkNoise({ kind: 'masking', p: 0.3 })
 */
export function checkNoise(noise: Noise): void {
  if (noise?.kind === 'gaussian') {
    if (!(noise.std >= 0)) throw new RangeError(`noise: std must be >= 0, got ${noise.std}`)
    const c = noise.clip
    if (c !== undefined && !(Array.isArray(c) && c.length === 2 && c[0] <= c[1])) {
      throw new RangeError(`noise: clip must be [low, high] with low <= high, got ${JSON.stringify(c)}`)
    }
  } else if (noise?.kind === 'masking' || noise?.kind === 'saltPepper') {
    if (!(noise.p >= 0 && noise.p <= 1)) throw new RangeError(`noise: p must be in [0, 1], got ${noise.p}`)
  } else {
    const kind = String((noise as { kind?: string })?.kind)
    throw new RangeError(`noise: unknown kind '${kind}' (gaussian, masking or saltPepper)`)
  }
}

/** Corrupts x with the given noise, drawing from rng. @example corrupt(x, { kind: 'masking', p: 0.3 }, rng) */
export function corrupt(x: Tensor, noise: Noise, rng: Rng): Tensor {
  checkNoise(noise)
  if (noise.kind === 'gaussian') {
    const noisy = add(x, rng.normal(x.shape, 0, noise.std, x.dtype))
    return noise.clip ? clamp(noisy, noise.clip[0], noise.clip[1], noisy) : noisy
  }
  if (noise.kind === 'masking') return mul(x, rng.bernoulli(x.shape, 1 - noise.p, x.dtype))
  const out = new TensorClass(x.data.slice(), x.shape)
  for (let i = 0; i < out.size; i++) if (rng.float() < noise.p) out.data[i] = rng.float() < 0.5 ? 0 : 1
  return out
}

export class DenoisingAutoencoder extends Autoencoder {
  /**
   * @example
   *   new DenoisingAutoencoder(encoder, decoder, { noise: { kind: 'gaussian', std: 0.3 }, rng: rng.fork() })
   */
  constructor(encoder: Module, decoder: Module, options: AutoencoderOptions & { noise?: Noise; rng: Rng }) {
    super(encoder, decoder, options)
    if (!options.rng) throw new TypeError('DenoisingAutoencoder: pass { rng } (a seeded Rng) for the noise')
    this.options = { ...options, noise: options.noise ?? DEFAULT_NOISE }
    checkNoise(this.options.noise)
  }

  readonly options: AutoencoderOptions & { noise: Noise; rng: Rng }

  /** The reconstruction of x from a corrupted copy (clean x in evaluation mode). @example dae.loss(batch).total */
  override loss(x: Tensor): LossParts {
    const input = this.training ? corrupt(x, this.options.noise, this.options.rng) : x
    const reconstruction = reconstructionLoss(this.lossKind, this.forward(new Value(input)), x)
    return { total: reconstruction, reconstruction }
  }

  /**
   * Removes noise: the reconstruction of a (noisy) input, in evaluation mode.
   * @example const clean = dae.denoise(noisy)
   */
  denoise(x: Tensor): Tensor {
    return this.reconstruct(x)
  }

  /** The generator of the corruption, for checkpoints. @example dae.generators().noise */
  override generators(): Record<string, Rng> {
    return { noise: this.options.rng }
  }
}

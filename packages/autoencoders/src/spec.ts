/**
 * A model described as plain data, so that a checkpoint can say which model its tensors belong
 * to and the command line can build one from its options. `buildModel(spec)` gives the same
 * weights for the same spec (the spec holds the seed).
 */
import { ACTIVATIONS, type ActivationName } from '@latent/nn'
import { Rng } from '@latent/tensor'
import { Autoencoder, RECONSTRUCTION_LOSSES, type ReconstructionLoss, symmetricLayers } from './autoencoder.js'
import { checkNoise, DenoisingAutoencoder, type Noise } from './variants/denoising.js'
import { SparseAutoencoder, type SparsityPenalty } from './variants/sparse.js'
import { ContractiveAutoencoder } from './variants/contractive.js'
import { buildVariational, type Likelihood } from './variants/variational.js'

/** The variants a ModelSpec (and the command line) can name. @example VARIANTS.includes(name as Variant) */
export const VARIANTS = ['vanilla', 'denoising', 'sparse', 'contractive', 'variational'] as const
export type Variant = (typeof VARIANTS)[number]

export interface ModelSpec {
  variant: Variant
  /** From the input to the code: [64, 32, 8] is 64-32-8-32-64. */
  sizes: number[]
  activation: ActivationName
  outputActivation: ActivationName
  /** Reconstruction loss (the variational variant uses its likelihood instead). */
  loss: ReconstructionLoss
  /** Decoder weights are the encoder's, transposed (not for the variational variant). */
  tied: boolean
  noise?: Noise
  sparsity?: SparsityPenalty
  /** Contractive weight λ. */
  lambda?: number
  /** VAE: KL weight β and decoder likelihood. */
  beta?: number
  likelihood?: Likelihood
  /** Initial weights and the model's own generators (noise, ε). */
  seed: number
}

/** Defaults for everything but the variant and sizes. @example const spec = defaultSpec('denoising', [784, 256, 32]) */
export function defaultSpec(variant: Variant, sizes: number[]): ModelSpec {
  const spec: ModelSpec = { variant, sizes, activation: 'relu', outputActivation: 'sigmoid', loss: 'mse', tied: false, seed: 0 }
  if (variant === 'denoising') spec.noise = { kind: 'masking', p: 0.3 }
  if (variant === 'sparse') spec.sparsity = { kind: 'kl', rho: 0.05, beta: 0.5 }
  if (variant === 'contractive') spec.lambda = 0.01
  if (variant === 'variational') Object.assign(spec, { beta: 1, likelihood: 'bernoulli', loss: 'bce' })
  return spec
}

/** Throws a message naming the first thing wrong with a spec (from a file or a command line). @example checkSpec(JSON.parse(text)) */
export function checkSpec(spec: ModelSpec): void {
  if (!VARIANTS.includes(spec.variant)) throw new RangeError(`unknown variant '${spec.variant}' (expected ${VARIANTS.join(', ')})`)
  if (!Array.isArray(spec.sizes) || spec.sizes.length < 2 || !spec.sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`sizes must be at least two positive integers, like 64,32,8; got ${String(spec.sizes)}`)
  }
  for (const name of [spec.activation, spec.outputActivation]) {
    if (!(name in ACTIVATIONS)) throw new RangeError(`unknown activation '${name}' (expected ${Object.keys(ACTIVATIONS).join(', ')})`)
  }
  if (!RECONSTRUCTION_LOSSES.includes(spec.loss)) throw new RangeError(`unknown loss '${spec.loss}' (expected ${RECONSTRUCTION_LOSSES.join(', ')})`)
  if (spec.noise) checkNoise(spec.noise)
  if (spec.tied && spec.variant === 'variational') throw new RangeError('tied weights are not available for the variational variant')
  if (!Number.isInteger(spec.seed) || spec.seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${spec.seed}`)
}

/**
 * The autoencoder a spec describes.
 * @example const ae = buildModel({ ...defaultSpec('sparse', [64, 32, 8]), seed: 1 })
 */
export function buildModel(spec: ModelSpec): Autoencoder {
  checkSpec(spec)
  const rng = new Rng(spec.seed)
  if (spec.variant === 'variational') {
    return buildVariational({ sizes: spec.sizes, activation: spec.activation, outputActivation: spec.outputActivation, likelihood: spec.likelihood, beta: spec.beta, rng })
  }
  // The code layer is linear for a plain code, sigmoid where a penalty needs rates in (0, 1).
  const codeActivation: ActivationName = spec.variant === 'sparse' && spec.sparsity?.kind === 'kl' ? 'sigmoid' : spec.variant === 'contractive' ? 'sigmoid' : 'identity'
  const { encoder, decoder } = symmetricLayers({ sizes: spec.sizes, activation: spec.activation, codeActivation, outputActivation: spec.outputActivation, tied: spec.tied, rng })
  const base = { loss: spec.loss }
  switch (spec.variant) {
    case 'vanilla': return new Autoencoder(encoder, decoder, base)
    case 'denoising': return new DenoisingAutoencoder(encoder, decoder, { ...base, noise: spec.noise ?? { kind: 'masking', p: 0.3 }, rng: rng.fork() })
    case 'sparse': return new SparseAutoencoder(encoder, decoder, { ...base, sparsity: spec.sparsity ?? { kind: 'kl', rho: 0.05, beta: 0.5 } })
    case 'contractive': return new ContractiveAutoencoder(encoder, decoder, { ...base, lambda: spec.lambda ?? 0.01 })
  }
}

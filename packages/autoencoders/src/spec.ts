/**
 * A model described as plain data, so that a checkpoint can say which model its tensors belong
 * to and the command line can build one from its options. `buildModel(spec)` gives the same
 * weights for the same spec (the spec holds the seed).
 */
import { ACTIVATIONS, type ActivationName, checkOption, Dense, resolveOptions, Sequential } from '@latent/nn'
import { Rng } from '@latent/tensor'
import { Autoencoder, RECONSTRUCTION_LOSSES, type ReconstructionLoss, symmetricLayers } from './autoencoder.js'
import { CONTRACTIVE_OPTIONS, ContractiveAutoencoder } from './variants/contractive.js'
import { checkNoise, DEFAULT_NOISE, DenoisingAutoencoder, type Noise } from './variants/denoising.js'
import { checkSparsity, DEFAULT_SPARSITY, SparseAutoencoder, type SparsityPenalty } from './variants/sparse.js'
import {
  buildVariational, type Likelihood, VARIATIONAL_OPTIONS, VariationalAutoencoder,
} from './variants/variational.js'
import { CONV_OPTIONS, convolutionalLayers, convolutionalPair } from './convolutional.js'

/** The variants a ModelSpec (and the command line) can name. @example VARIANTS.includes(name as Variant) */
export const VARIANTS = ['vanilla', 'denoising', 'sparse', 'contractive', 'variational'] as const
export type Variant = (typeof VARIANTS)[number]

const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[]

/**
 * Every plain option of a model (sizes, noise and sparsity have their own forms): default,
 * allowed values and help, in one place. The constructors, `checkSpec` and the command line's
 * flags and help all read this table.
 * @example MODEL_OPTIONS.lambda.default // 0.01
 */
export const MODEL_OPTIONS = {
  variant: { type: 'choice', values: VARIANTS, default: 'vanilla', help: 'which autoencoder' },
  activation: { type: 'choice', values: ACTIVATION_NAMES, default: 'relu', help: 'activation of the hidden layers' },
  outputActivation: {
    type: 'choice', values: ACTIVATION_NAMES, default: 'sigmoid', help: 'activation of the output layer',
  },
  loss: {
    type: 'choice', values: RECONSTRUCTION_LOSSES, default: 'mse',
    help: 'reconstruction loss (variational: set by the likelihood)',
  },
  tied: { type: 'boolean', default: false, help: "decoder weights are the encoder's, transposed (not variational)" },
  ...CONTRACTIVE_OPTIONS,
  ...VARIATIONAL_OPTIONS,
  seed: {
    type: 'number', integer: true, min: 0, default: 0, help: 'seed of the weights and of the model\'s own generators',
  },
} as const

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
  /** Denoising: the corruption. */
  noise?: Noise
  /** Sparse: the penalty on the code. */
  sparsity?: SparsityPenalty
  /** Contractive weight λ. */
  lambda?: number
  /** VAE: KL weight β and decoder likelihood. */
  beta?: number
  likelihood?: Likelihood
  /** Initial weights and the model's own generators (noise, ε). */
  seed: number
  /**
   * A convolutional encoder and decoder (convolutional.ts) instead of dense ones; `sizes` then
   * starts with the image's c·h·w and continues with the dense sizes after the convolutions.
   */
  conv?: ConvSpec
}

/** The convolutions of a convolutional model. */
export interface ConvSpec {
  /** [channels, height, width] of the images. */
  image: [number, number, number]
  /** Output channels of each convolution, from the input inward. */
  channels: number[]
  kernel: number
  stride: number
}

/** The options each variant has beyond the common ones (a spec carries only its variant's). */
const VARIANT_OPTIONS: Record<Variant, readonly (keyof ModelSpec)[]> = {
  vanilla: [], denoising: ['noise'], sparse: ['sparsity'], contractive: ['lambda'], variational: ['beta', 'likelihood'],
}

/**
 * The spec of a variant with every option at its default.
 * @example const spec = defaultSpec('denoising', [784, 256, 32]) // noise: masking 0.3
 */
export function defaultSpec(variant: Variant, sizes: number[]): ModelSpec {
  const all = resolveOptions('ModelSpec', MODEL_OPTIONS, { variant })
  const spec: ModelSpec = { ...all, variant, sizes, noise: DEFAULT_NOISE, sparsity: DEFAULT_SPARSITY }
  if (variant === 'variational') spec.loss = spec.likelihood === 'gaussian' ? 'mse' : 'bce'
  const own = VARIANT_OPTIONS[variant]
  for (const k of ['noise', 'sparsity', 'lambda', 'beta', 'likelihood'] as const) if (!own.includes(k)) delete spec[k]
  return spec
}

/**
 * Throws a message naming the first thing wrong with a spec (from a file or a command line),
 * by the same tables and checks the constructors use.
 * @example checkSpec(JSON.parse(text))
 */
export function checkSpec(spec: ModelSpec): void {
  if (typeof spec !== 'object' || spec === null) {
    throw new TypeError(`a model spec must be an object, got ${String(spec)}`)
  }
  for (const [name, option] of Object.entries(MODEL_OPTIONS)) {
    const value = spec[name as keyof ModelSpec]
    // Every variant has the common options; its own (λ, β, ...) are checked when present.
    const variantOnly = VARIANT_OPTIONS.variational.concat(VARIANT_OPTIONS.contractive)
    if (value !== undefined || !variantOnly.includes(name as keyof ModelSpec)) {
      checkOption('ModelSpec', name, option, value)
    }
  }
  if (!Array.isArray(spec.sizes) || spec.sizes.length < 2 || !spec.sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`sizes must be at least two positive integers, like 64,32,8; got ${String(spec.sizes)}`)
  }
  if (spec.noise !== undefined) checkNoise(spec.noise)
  if (spec.sparsity !== undefined) checkSparsity(spec.sparsity)
  if (spec.tied && spec.variant === 'variational') {
    throw new RangeError('tied weights are not available for the variational variant')
  }
  if (spec.conv !== undefined) checkConv(spec)
}

/** The convolutions of a spec fit its sizes and can be built. */
function checkConv(spec: ModelSpec): void {
  const { image, channels, kernel, stride } = spec.conv!
  checkOption('ModelSpec.conv', 'kernel', CONV_OPTIONS.kernel, kernel)
  checkOption('ModelSpec.conv', 'stride', CONV_OPTIONS.stride, stride)
  if (!Array.isArray(image) || image.length !== 3 || image[0] * image[1] * image[2] !== spec.sizes[0]) {
    throw new RangeError(`conv: the image [${image}] must hold the ${spec.sizes[0]} inputs of the first size`)
  }
  if (!Array.isArray(channels) || channels.length === 0 || !channels.every((c) => Number.isInteger(c) && c > 0)) {
    throw new RangeError(`conv: channels must be positive integers, like 16,32; got ${String(channels)}`)
  }
  if (spec.tied) throw new RangeError('tied weights are not available for convolutional models')
}

/**
 * The autoencoder a spec describes.
 * @example const ae = buildModel({ ...defaultSpec('sparse', [64, 32, 8]), seed: 1 })
 */
export function buildModel(spec: ModelSpec): Autoencoder {
  checkSpec(spec)
  const rng = new Rng(spec.seed)
  const { sizes, activation, outputActivation, likelihood, beta } = spec
  const conv = spec.conv && { ...spec.conv, dense: sizes.slice(1), activation, outputActivation, rng }
  if (spec.variant === 'variational') {
    if (!conv) return buildVariational({ sizes, activation, outputActivation, likelihood, beta, rng })
    const { body, width, decoder } = convolutionalLayers(conv)
    const heads = [new Dense(width, sizes.at(-1)!, { rng }), new Dense(width, sizes.at(-1)!, { rng })]
    return new VariationalAutoencoder(new Sequential(...body), heads[0], heads[1], decoder,
      { likelihood, beta, rng: rng.fork() })
  }
  // The code layer is linear for a plain code, sigmoid where a penalty needs rates in (0, 1).
  const codeActivation: ActivationName = spec.variant === 'sparse' && spec.sparsity?.kind === 'kl'
    ? 'sigmoid'
    : spec.variant === 'contractive' ? 'sigmoid' : 'identity'
  const { encoder, decoder } = conv ? convolutionalPair({ ...conv, codeActivation })
    : symmetricLayers({ sizes, activation, codeActivation, outputActivation, tied: spec.tied, rng })
  const base = { loss: spec.loss }
  switch (spec.variant) {
    case 'vanilla': return new Autoencoder(encoder, decoder, base)
    case 'denoising': return new DenoisingAutoencoder(encoder, decoder, { ...base, noise: spec.noise, rng: rng.fork() })
    case 'sparse': return new SparseAutoencoder(encoder, decoder, { ...base, sparsity: spec.sparsity })
    case 'contractive': return new ContractiveAutoencoder(encoder, decoder, { ...base, lambda: spec.lambda })
  }
}

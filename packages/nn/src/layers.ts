/**
 * Layers: the dense (fully connected) layer, activations as modules and as functions, and
 * dropout. Their forward passes are compositions of autodiff functions, so their gradients
 * need no code here.
 */
import * as A from '@latent/autodiff'
import type { Value } from '@latent/autodiff'
import { checkKeys, div, formatShape, greater, type DType, type Rng } from '@latent/tensor'
import { initBias, initWeight, type InitScheme } from './init.js'
import { Module, Parameter } from './module.js'

export interface DenseOptions {
  /** The generator for the initial weights (required: no hidden randomness). */
  rng: Rng
  /** Weight initialisation (default 'pytorch', nn.Linear's). */
  init?: InitScheme
  bias?: boolean
  dtype?: DType
}

/**
 * y = x·Wᵀ + b, with W of shape [out, in] as PyTorch's Linear stores it.
 * @example
 *   const layer = new Dense(784, 256, { rng, init: 'kaiming-uniform' })
 */
export class Dense extends Module {
  readonly weight: Parameter
  readonly bias: Parameter | undefined

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: DenseOptions) {
    super()
    if (!Number.isInteger(inFeatures) || !Number.isInteger(outFeatures) || inFeatures < 1 || outFeatures < 1) {
      throw new RangeError(`Dense: sizes must be positive integers, got ${inFeatures} -> ${outFeatures}`)
    }
    checkKeys('Dense', options, ['rng', 'init', 'bias', 'dtype'])
    if (!options?.rng) throw new TypeError('Dense: pass { rng } (a seeded Rng) for the initial weights')
    const scheme = options.init ?? 'pytorch'
    const dtype = options.dtype ?? 'float32'
    this.weight = new Parameter(initWeight(options.rng, scheme, inFeatures, outFeatures, { dtype }))
    this.bias = options.bias === false ? undefined
      : new Parameter(initBias(options.rng, scheme, inFeatures, outFeatures, dtype))
  }

  forward(x: Value): Value {
    if (x.shape.at(-1) !== this.inFeatures) throw new RangeError(`${this.describe()}: input ${formatShape(x.shape)} ` +
      `has ${x.shape.at(-1) ?? 'no'} features, the layer takes ${this.inFeatures}`)
    const y = A.matmul(x, this.weight, { transposeB: true })
    return this.bias ? A.add(y, this.bias) : y
  }

  override describe(): string {
    return `Dense(${this.inFeatures} -> ${this.outFeatures}${this.bias ? '' : ', no bias'})`
  }
}

// ---- activations as functions (those not already in autodiff)

/**
 * ELU: x for x > 0, α(eˣ - 1) otherwise (the derivative at 0 is α, as in PyTorch).
 * @example elu(x)
 */
export function elu(x: Value, alpha = 1): Value {
  return A.where(greater(x.data, 0), x, A.mul(A.sub(A.exp(x), 1), alpha))
}

/**
 * GELU: x·Φ(x) = x/2 (1 + erf(x/√2)), PyTorch's default; with `approximate: 'tanh'`,
 * x/2 (1 + tanh(√(2/π)(x + 0.044715x³))).
 * @example gelu(x)
 */
export function gelu(x: Value, approximate: 'none' | 'tanh' = 'none'): Value {
  const inner = approximate === 'tanh' ? A.tanh(A.mul(A.add(x, A.mul(A.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI)))
    : A.erf(A.mul(x, Math.SQRT1_2))
  return A.mul(A.mul(x, 0.5), A.add(inner, 1))
}

/**
 * Softplus with PyTorch's parameters: (1/β) log(1 + e^(βx)), and x itself where βx > threshold.
 * @example softplus(x)
 */
export function softplus(x: Value, beta = 1, threshold = 20): Value {
  const smooth = beta === 1 ? A.softplus(x) : A.div(A.softplus(A.mul(x, beta)), beta)
  return A.where(greater(A.mul(x, beta).data, threshold), x, smooth)
}

// ---- activations as modules

/** An activation function as a module, for use in Sequential. @example new Activation('Square', (x) => A.square(x)) */
export class Activation extends Module {
  constructor(readonly name: string, private readonly f: (x: Value) => Value) {
    super()
  }

  forward(x: Value): Value {
    return this.f(x)
  }

  override describe(): string {
    return this.name
  }
}

/** max(x, 0). @example new ReLU() */
export class ReLU extends Activation { constructor() { super('ReLU', A.relu) } }
/** x, or slope·x below 0. @example new LeakyReLU(0.2) */
export class LeakyReLU extends Activation {
  constructor(readonly slope = 0.01) {
    super(`LeakyReLU(${slope})`, (x) => A.leakyRelu(x, slope))
  }
}
/** ELU with parameter α. @example new ELU() */
export class ELU extends Activation { constructor(readonly alpha = 1) { super(`ELU(${alpha})`, (x) => elu(x, alpha)) } }
/** GELU (exact by default). @example new GELU() */
export class GELU extends Activation {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super(`GELU(${approximate})`, (x) => gelu(x, approximate))
  }
}
/** The logistic function. @example new Sigmoid() */
export class Sigmoid extends Activation { constructor() { super('Sigmoid', A.sigmoid) } }
/** Hyperbolic tangent. @example new Tanh() */
export class Tanh extends Activation { constructor() { super('Tanh', A.tanh) } }
/** Softplus. @example new Softplus() */
export class Softplus extends Activation {
  constructor(readonly beta = 1, readonly threshold = 20) {
    super(`Softplus(${beta})`, (x) => softplus(x, beta, threshold))
  }
}
/** The identity. @example new Identity() */
export class Identity extends Activation { constructor() { super('Identity', (x) => x) } }

/**
 * Activation modules by name, for builders and command lines.
 * @example new Sequential(new Dense(8, 4, { rng }), ACTIVATIONS.relu())
 */
export const ACTIVATIONS = {
  relu: () => new ReLU(),
  leakyRelu: () => new LeakyReLU(),
  elu: () => new ELU(),
  gelu: () => new GELU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  softplus: () => new Softplus(),
  identity: () => new Identity(),
} as const

export type ActivationName = keyof typeof ACTIVATIONS

/**
 * An activation module by name.
 * @example activation('relu')
 */
export function activation(name: ActivationName): Activation {
  const make = ACTIVATIONS[name]
  if (!make) {
    throw new RangeError(`activation: unknown '${String(name)}' (known: ${Object.keys(ACTIVATIONS).join(', ')})`)
  }
  return make()
}

/**
 * Inverted dropout: in training, zeroes each element with probability p and scales the rest
 * by 1/(1 - p), so evaluation (no dropout) needs no rescaling. The mask comes from the layer's
 * own generator.
 * @example
 *   new Dropout(0.5, { rng: rng.fork() })
 */
export class Dropout extends Module {
  private readonly rng: Rng

  constructor(readonly p: number, options: { rng: Rng }) {
    super()
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p must be in [0, 1), got ${p}`)
    if (!options?.rng) throw new TypeError('Dropout: pass { rng } (a seeded Rng) for the masks')
    this.rng = options.rng
  }

  forward(x: Value): Value {
    if (!this.training || this.p === 0) return x
    const mask = this.rng.bernoulli(x.shape, 1 - this.p, x.dtype)
    return A.mul(x, div(mask, 1 - this.p))
  }

  override describe(): string {
    return `Dropout(${this.p})`
  }
}

/**
 * The autoencoder: an encoder module mapping inputs to codes, a decoder mapping codes back, and
 * a training objective returned in parts, `{ total, reconstruction, ...penalties }`, so that logs
 * and tests see every term. The variants (variants/*.ts) change the objective: corrupt the input,
 * add a penalty on the code or on the encoder's Jacobian, or make the code a distribution.
 *
 * Undercomplete (vanilla) autoencoders: Rumelhart, Hinton and Williams (1986), "Learning internal
 * representations by error propagation"; Hinton and Salakhutdinov (2006), "Reducing the
 * dimensionality of data with neural networks".
 */
import * as A from '@latent/autodiff'
import { noGrad, Value } from '@latent/autodiff'
import {
  type ActivationName, activation, bceLoss, bceWithLogitsLoss, Dense, l1Loss, mseLoss, Module, type Parameter,
  poissonNllLoss, Sequential, type InitScheme,
} from '@latent/nn'
import { checkKeys, type DType, formatShape, type Rng, type Tensor, zeros, concat, slice } from '@latent/tensor'

/** How a reconstruction is compared with its target, per element. */
export type ReconstructionLoss = 'mse' | 'bce' | 'bceLogits' | 'l1' | 'poisson'
/** Every reconstruction loss by name. @example RECONSTRUCTION_LOSSES.includes(name) */
export const RECONSTRUCTION_LOSSES: readonly ReconstructionLoss[] = ['mse', 'bce', 'bceLogits', 'l1', 'poisson']

/** The objective in parts; `total` is what training minimizes. */
export interface LossParts {
  total: Value
  reconstruction: Value
  [penalty: string]: Value
}

export interface AutoencoderOptions {
  /** Reconstruction loss, averaged over every element (default 'mse'). */
  loss?: ReconstructionLoss
}

/**
 * Per-element reconstruction loss with the given reduction.
 * @example reconstructionLoss('bce', ae.forward(x), x.data, 'sum')
 */
export function reconstructionLoss(
  kind: ReconstructionLoss,
  output: Value,
  target: Value | Tensor,
  reduction: 'mean' | 'none' | 'sum' = 'mean',
): Value {
  switch (kind) {
    case 'mse': return mseLoss(output, target, { reduction })
    case 'bce': return bceLoss(output, target, { reduction })
    case 'bceLogits': return bceWithLogitsLoss(output, target, { reduction })
    case 'l1': return l1Loss(output, target, { reduction })
    case 'poisson': return poissonNllLoss(output, target, { reduction })
    default:
      throw new RangeError(`unknown reconstruction loss '${String(kind)}' ` +
        '(expected mse, bce, bceLogits, l1 or poisson)')
  }
}

/**
 * fn of the rows of x, 1024 at a time, joined: evaluation of many rows (a test set through a
 * convolutional encoder) then keeps its temporaries to a block's. Rows are independent, so the
 * result is fn(x)'s.
 */
function byRows(x: Tensor, fn: (rows: Tensor) => Tensor, block = 1024): Tensor {
  if (x.rank === 0 || x.shape[0] <= block) return fn(x)
  const parts: Tensor[] = []
  for (let at = 0; at < x.shape[0]; at += block) parts.push(fn(slice(x, 0, at, at + block)))
  return concat(parts, 0)
}

const asValue = (x: Value | Tensor): Value => (x instanceof Value ? x : new Value(x))

export class Autoencoder extends Module {
  readonly lossKind: ReconstructionLoss

  /**
   * An autoencoder from an encoder and a decoder.
   * @example
   *   const encoder = new Sequential(new Dense(64, 8, { rng }), new ReLU())
   *   const ae = new Autoencoder(encoder, new Sequential(new Dense(8, 64, { rng }), new Sigmoid()), { loss: 'bce' })
   */
  constructor(readonly encoder: Module, readonly decoder: Module, options: AutoencoderOptions = {}) {
    super()
    this.lossKind = options.loss ?? 'mse'
    if (!RECONSTRUCTION_LOSSES.includes(this.lossKind)) {
      throw new RangeError(`Autoencoder: unknown reconstruction loss '${String(this.lossKind)}' ` +
        `(expected ${RECONSTRUCTION_LOSSES.join(', ')})`)
    }
  }

  /** The code of x (recorded, for training). @example const h = ae.encodeValue(x) */
  encodeValue(x: Value | Tensor): Value {
    return this.encoder.forward(asValue(x))
  }

  /** The reconstruction of a code (recorded). @example const xhat = ae.decodeValue(h) */
  decodeValue(z: Value | Tensor): Value {
    return this.decoder.forward(asValue(z))
  }

  forward(x: Value): Value {
    return this.decodeValue(this.encodeValue(x))
  }

  /**
   * The embedding of new data: the encoder in evaluation mode, without recording.
   * @example const codes = ae.encode(testImages) // [n, code size]
   */
  encode(x: Tensor): Tensor {
    return this.inEval(() => byRows(x, (rows) => this.encodeValue(rows).data))
  }

  /** Decodes codes to outputs (evaluation mode, no recording). @example ae.decode(codes) */
  decode(z: Tensor): Tensor {
    return this.inEval(() => byRows(z, (rows) => this.decodeValue(rows).data))
  }

  /** x → code → reconstruction (evaluation mode, no recording). @example ae.reconstruct(x) */
  reconstruct(x: Tensor): Tensor {
    return this.inEval(() => byRows(x, (rows) => this.forward(new Value(rows)).data))
  }

  /**
   * The reconstruction error of every sample: the mean over its features of the squared error
   * (whatever the training loss), the score used for anomaly detection.
   * @example const scores = ae.reconstructionError(x) // [n]
   */
  reconstructionError(x: Tensor): Tensor {
    const xhat = this.reconstruct(x)
    return noGrad(() => A.mean(A.square(A.sub(xhat, x)), { axis: 1 }).data)
  }

  /**
   * The training objective for a batch, in parts. In training mode, variants add their noise
   * and penalties; call it inside `noGrad` (evaluation mode) for validation figures.
   * @example const { total, reconstruction } = ae.loss(batch)
   */
  loss(x: Tensor): LossParts {
    const reconstruction = reconstructionLoss(this.lossKind, this.forward(new Value(x)), x)
    return { total: reconstruction, reconstruction }
  }

  /**
   * The generators this model draws from (noise, sampling), by name, for checkpoints.
   * @example dae.generators().noise.getState()
   */
  generators(): Record<string, Rng> {
    return {}
  }

  /**
   * The size of the code, found by encoding one zero row of the given width.
   * @example ae.codeSize(784) // 64 for 784-256-64
   */
  codeSize(inputSize: number): number {
    return this.encode(zeros([1, inputSize], { dtype: this.parameters()[0]?.dtype })).shape[1]
  }
}


/**
 * A decoder layer whose weight is an encoder layer's, transposed: z·W + b with W the encoder's
 * [h, d] weight, so it maps h back to d. Only the bias is its own parameter (the shared weight is
 * not discovered as one, so it is counted and saved once, under the encoder).
 * @example const decoderLayer = new TiedDense(() => encoderLayer, rng)
 */
export class TiedDense extends Module {
  readonly bias: Parameter

  constructor(readonly source: () => Dense, rng: Rng) {
    super()
    const w = source().weight
    this.bias = new Dense(w.shape[0], w.shape[1], { rng, dtype: w.dtype }).bias!
  }

  forward(x: Value): Value {
    const w = this.source().weight
    if (x.shape.at(-1) !== w.shape[0]) {
      throw new RangeError(`${this.describe()}: input ${formatShape(x.shape)} ` +
        `has ${x.shape.at(-1) ?? 'no'} features, the layer takes ${w.shape[0]}`)
    }
    return A.add(A.matmul(x, w), this.bias)
  }

  override describe(): string {
    const [h, d] = this.source().weight.shape
    return `TiedDense(${h} -> ${d}, weight shared)`
  }
}

export interface SymmetricOptions {
  /** Layer sizes from the input to the code: [784, 256, 64] builds 784-256-64-256-784. */
  sizes: readonly number[]
  /** Activation of the hidden layers (default 'relu'). */
  activation?: ActivationName
  /** Activation of the code layer (default 'identity': a linear code). */
  codeActivation?: ActivationName
  /** Activation of the output layer (default 'sigmoid', for data in [0, 1]). */
  outputActivation?: ActivationName
  /** Decoder weights are the encoder's, transposed. */
  tied?: boolean
  init?: InitScheme
  /** float32 (default), or float64 to check gradients. */
  dtype?: DType
  rng: Rng
}

/** The keys of SymmetricOptions, to refuse misspelt ones. */
const SYMMETRIC_KEYS = ['sizes', 'activation', 'codeActivation', 'outputActivation', 'tied', 'init', 'dtype', 'rng']

/**
 * The encoder and decoder of a symmetric stack, as two Sequentials.
 * @example const { encoder, decoder } = symmetricLayers({ sizes: [64, 32, 8], rng })
 */
export function symmetricLayers(options: SymmetricOptions): { encoder: Sequential; decoder: Sequential } {
  const { sizes, rng } = options
  if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`symmetricLayers: sizes must be at least two positive integers, got [${sizes.join(', ')}]`)
  }
  if (!rng) throw new TypeError('symmetricLayers: pass { rng } (a seeded Rng)')
  const act = options.activation ?? 'relu'
  const last = sizes.length - 2
  const dtype = options.dtype
  const encoderDense = sizes.slice(1).map((s, i) => new Dense(sizes[i], s, { rng, init: options.init, dtype }))
  const encoder = new Sequential(
    ...encoderDense.flatMap((d, i) => [d, activation(i === last ? options.codeActivation ?? 'identity' : act)]),
  )
  const decoderLayers = [...sizes].reverse().slice(1).map((s, i) => {
    const from = sizes[sizes.length - 1 - i]
    return options.tied
      ? new TiedDense(() => encoderDense[last - i], rng)
      : new Dense(from, s, { rng, init: options.init, dtype })
  })
  const decoder = new Sequential(
    ...decoderLayers.flatMap((d, i) => [d, activation(i === last ? options.outputActivation ?? 'sigmoid' : act)]),
  )
  return { encoder, decoder }
}

/**
 * A symmetric (deep, stacked) autoencoder from layer sizes: [784, 256, 64] gives
 * 784-256-64-256-784.
 * @example
 *   const ae = buildAutoencoder({ sizes: [784, 128, 32], rng: new Rng(0), loss: 'bce' })
 */
export function buildAutoencoder(options: SymmetricOptions & AutoencoderOptions): Autoencoder {
  checkKeys('buildAutoencoder', options, [...SYMMETRIC_KEYS, 'loss'])
  const { encoder, decoder } = symmetricLayers(options)
  return new Autoencoder(encoder, decoder, options)
}

/** Checks that data is a [n, features] matrix. */
export function checkBatch(op: string, x: { shape: readonly number[] }, features?: number): void {
  if (x.shape.length !== 2 || (features !== undefined && x.shape[1] !== features)) {
    throw new RangeError(`${op}: expected data of shape [n, ${features ?? 'features'}], got ${formatShape(x.shape)}`)
  }
}

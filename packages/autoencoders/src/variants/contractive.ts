/**
 * Contractive autoencoder: Rifai, Vincent, Muller, Glorot and Bengio (2011), "Contractive
 * auto-encoders: explicit invariance during feature extraction". The code should change little
 * when the input moves: loss = L(x̂, x) + λ · mean over samples of ‖∂h/∂x‖²_F.
 *
 * The penalty is exact in every case; how it is computed depends on the encoder:
 *   one dense layer and an activation with a closed form (sigmoid, tanh, relu, softplus,
 *     identity): the fused closed form Σⱼ f'(zⱼ)² Σᵢ Wⱼᵢ², whose gradient is its own VJP;
 *   a stack of dense layers and elementwise activations: the trace recursion of
 *     denseStackPenalty, differentiated by autodiff (activation derivatives by double backward);
 *   anything else: jacobianPenalty, one recorded backward pass per code unit.
 */
import * as A from '@latent/autodiff'
import { jacobianPenalty, Value } from '@latent/autodiff'
import { Activation, Dense, type Module, resolveOptions, Sequential } from '@latent/nn'
import type { Tensor } from '@latent/tensor'
import { Autoencoder, type AutoencoderOptions, reconstructionLoss, type LossParts } from '../autoencoder.js'
import { type ClosedFormActivation, denseContractive, denseStackPenalty } from './jacobian.js'

/** Activation module names whose derivative the closed form knows. */
const CLOSED_FORM: Record<string, ClosedFormActivation> = {
  Sigmoid: 'sigmoid', Tanh: 'tanh', ReLU: 'relu', 'Softplus(1)': 'softplus', Identity: 'identity',
}

export type PenaltyPath = 'closed form' | 'dense stack' | 'double backward'

/**
 * The contractive autoencoder's option, in the form of @latent/nn's option tables (the command
 * line prints it from here).
 * @example CONTRACTIVE_OPTIONS.lambda.default // 0.01
 */
export const CONTRACTIVE_OPTIONS = {
  lambda: { type: 'number', default: 0.01, min: 0, help: 'contractive: weight λ of the Jacobian penalty' },
} as const

/** The (Dense, Activation) pairs of an encoder, if it is exactly such a stack. */
function denseStack(encoder: Module): [Dense, Activation][] | undefined {
  if (!(encoder instanceof Sequential) || encoder.layers.length % 2 !== 0) return undefined
  const pairs: [Dense, Activation][] = []
  for (let i = 0; i < encoder.layers.length; i += 2) {
    const [d, a] = [encoder.layers[i], encoder.layers[i + 1]]
    if (!(d instanceof Dense) || !(a instanceof Activation)) return undefined
    pairs.push([d, a])
  }
  return pairs
}

export class ContractiveAutoencoder extends Autoencoder {
  /** Which computation of the penalty this encoder gets. */
  readonly path: PenaltyPath

  /**
   * @example
   *   new ContractiveAutoencoder(encoder, decoder, { lambda: 0.1, loss: 'bce' })
   */
  constructor(encoder: Module, decoder: Module, options: AutoencoderOptions & { lambda?: number } = {}) {
    super(encoder, decoder, options)
    const { lambda } = resolveOptions('ContractiveAutoencoder', CONTRACTIVE_OPTIONS, { lambda: options.lambda })
    this.options = { ...options, lambda }
    const stack = denseStack(encoder)
    this.path = stack?.length === 1 && stack[0][1].name in CLOSED_FORM
      ? 'closed form'
      : stack ? 'dense stack' : 'double backward'
  }

  readonly options: AutoencoderOptions & { lambda: number }

  /** The encoder's output and the per-batch mean of ‖∂h/∂x‖²_F. */
  codeAndPenalty(x: Tensor): { code: Value; penalty: Value } {
    const input = new Value(x)
    const stack = denseStack(this.encoder)
    if (this.path === 'closed form') {
      const [dense, act] = stack![0]
      const z = dense.forward(input)
      return { code: act.forward(z), penalty: denseContractive(z, dense.weight, CLOSED_FORM[act.name]) }
    }
    if (this.path === 'dense stack') {
      const layers = stack!.map(([d, a]) => ({
        weight: d.weight, bias: d.bias, activation: (z: Value) => a.forward(z),
      }))
      const { output, penalty } = denseStackPenalty(input, layers)
      return { code: output, penalty }
    }
    const { output, penalty } = jacobianPenalty((v) => this.encoder.forward(v), input)
    return { code: output, penalty }
  }

  /**
   * { total: reconstruction + contractive, reconstruction, contractive: λ times the Jacobian penalty }.
   * @example cae.loss(batch).contractive.item()
   */
  override loss(x: Tensor): LossParts {
    const { code, penalty } = this.codeAndPenalty(x)
    const reconstruction = reconstructionLoss(this.lossKind, this.decodeValue(code), x)
    const contractive = A.mul(penalty, this.options.lambda)
    return { total: A.add(reconstruction, contractive), reconstruction, contractive }
  }

  /**
   * The mean squared Frobenius norm of the encoder's Jacobian over the data (no recording).
   * @example cae.jacobianNorm(x)
   */
  jacobianNorm(x: Tensor): number {
    return this.inEval(() => this.codeAndPenalty(x).penalty.item())
  }
}

/**
 * ‖∂h/∂x‖²_F averaged over the data for any autoencoder's encoder (exact, by double backward),
 * to compare a contractive autoencoder with a plain one.
 * @example jacobianNormOf(plain, xTest)
 */
export function jacobianNormOf(model: Autoencoder, x: Tensor): number {
  return model.inEval(() => jacobianPenalty((v) => model.encoder.forward(v), x).penalty.item())
}

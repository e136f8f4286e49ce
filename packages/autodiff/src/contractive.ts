/**
 * The contractive penalty of Rifai et al. (2011), "Contractive auto-encoders: explicit invariance
 * during feature extraction": the squared Frobenius norm of an encoder's Jacobian, ‖∂h/∂x‖²_F,
 * per sample, for any encoder made of these ops, by double backward. Row j of every sample's
 * Jacobian is one VJP with seed eⱼ; all code units are done in one pass by running the encoder on
 * the batch repeated k times with one-hot seeds, recording the backward pass, and summing squares.
 * Cost: about k times a forward and backward pass. Exact, and differentiable with respect to the
 * encoder's parameters (that is what the recorded backward pass is for). Faster forms for dense
 * encoders live with the contractive autoencoder (@latent/autoencoders, variants/jacobian.ts).
 */
import * as T from '@latent/tensor'
import { gradients } from './backward.js'
import * as F from './functions.js'
import { enableGrad, isGradEnabled, lift, Value, type Input } from './value.js'

export type Reduction = 'none' | 'sum' | 'mean'

function reduce(perSample: Value, reduction: Reduction): Value {
  if (reduction === 'none') return perSample
  return reduction === 'sum' ? F.sum(perSample) : F.mean(perSample)
}

/**
 * ‖∂f(x)_b/∂x_b‖²_F for every sample b, for any encoder made of these ops. `f` must treat rows
 * independently (no batch statistics). Returns the encoder's output on x as well.
 * @example
 *   const { output: h, penalty } = jacobianPenalty(encoder, x)
 */
export function jacobianPenalty(f: (x: Value) => Value, x: Input,
  options: { reduction?: Reduction } = {}): { output: Value; penalty: Value } {
  const input = lift(x)
  const [batch, dim] = input.shape
  const output = f(input)
  if (output.shape.length !== 2 || output.shape[0] !== batch) {
    throw new Error('jacobianPenalty: the encoder must map [batch, d] to [batch, k], ' +
      `got ${T.formatShape(output.shape)}`)
  }
  const k = output.shape[1]
  const seeds = T.zeros([k * batch, k], { dtype: input.dtype })
  for (let j = 0; j < k; j++) for (let b = 0; b < batch; b++) seeds.data[(j * batch + b) * k + j] = 1
  // The Jacobian rows need a backward pass even under noGrad; it is recorded only if the caller records.
  const recording = isGradEnabled()
  const [rows] = enableGrad(() => {
    // x repeated k times: block j of the rows gets the one-hot seed e_j.
    const start = input.requiresGrad && recording ? input : new Value(input.data, { requiresGrad: true })
    const repeated = F.reshape(F.expand(F.unsqueeze(start, 0), [k, batch, dim]), [k * batch, dim])
    return gradients([f(repeated)], [repeated], { seeds: [seeds], createGraph: recording })
  })
  const perSample = F.sum(F.square(F.reshape(rows, [k, batch, dim])), { axis: [0, 2] })
  return { output, penalty: reduce(perSample, options.reduction ?? 'mean') }
}


/**
 * Deep (stacked) autoencoders and greedy layer-wise pretraining: Bengio, Lamblin, Popovici and
 * Larochelle (2007), "Greedy layer-wise training of deep networks"; Hinton and Salakhutdinov
 * (2006). Layer l of the encoder and its mirror in the decoder are trained as a shallow
 * autoencoder on the codes of the layers below; then the whole stack is fine-tuned.
 */
import { noGrad, Value } from '@latent/autodiff'
import { Sequential, type Optimizer } from '@latent/nn'
import type { Rng, Tensor } from '@latent/tensor'
import { Autoencoder } from '../autoencoder.js'
import { fit, type FitOptions, type History } from '../train.js'

/**
 * Trains each layer pair of a symmetric autoencoder (built by buildAutoencoder or
 * symmetricLayers) as a shallow autoencoder, from the input inward, updating the deep model's own
 * layers; returns one history per layer. Inner layers are trained with MSE on the codes below
 * them, the outermost with the model's loss.
 * @example
 *   const optimizer = (params) => new Adam(params, { lr: 1e-3 })
 *   pretrainLayerwise(ae, x, { epochs: 3, batchSize: 64, rng, optimizer })
 *   fit(ae, x, { epochs: 10, ... }) // fine-tuning
 */
export function pretrainLayerwise(
  model: Autoencoder,
  x: Tensor,
  options: Omit<FitOptions, 'optimizer'> & {
    optimizer: (params: ReturnType<Autoencoder['namedParameters']>) => Optimizer
    rng: Rng
  },
): History[] {
  const { encoder, decoder } = model
  if (typeof options.optimizer !== 'function') {
    throw new TypeError('pretrainLayerwise: optimizer must make one optimizer per layer, ' +
      'e.g. (params) => new Adam(params, { lr: 1e-3 })')
  }
  if (!(encoder instanceof Sequential) || !(decoder instanceof Sequential)
    || encoder.layers.length !== decoder.layers.length || encoder.layers.length % 2 !== 0) {
    throw new Error('pretrainLayerwise: needs a symmetric autoencoder of (Dense, activation) pairs, ' +
      'as buildAutoencoder makes')
  }
  const depth = encoder.layers.length / 2
  const histories: History[] = []
  let input = x
  for (let l = 0; l < depth; l++) {
    const enc = new Sequential(encoder.layers[2 * l], encoder.layers[2 * l + 1])
    const mirror = 2 * (depth - 1 - l)
    const dec = new Sequential(decoder.layers[mirror], decoder.layers[mirror + 1])
    const shallow = new Autoencoder(enc, dec, { loss: l === 0 ? model.lossKind : 'mse' })
    histories.push(fit(shallow, input, { ...options, optimizer: options.optimizer(shallow.namedParameters()) }))
    const next = input
    input = noGrad(() => enc.forward(new Value(next)).data)
  }
  return histories
}

/**
 * Convolutional autoencoders: the encoder is a stack of strided convolutions, then dense layers to
 * the code; the decoder mirrors it with transposed convolutions (Masci, Meier, Cireşan and
 * Schmidhuber 2011, "Stacked convolutional auto-encoders for hierarchical feature extraction").
 * Inputs stay rows of c·h·w pixels, as for every other autoencoder here (the encoder unflattens
 * them and the decoder flattens its output), so every application works on these models too.
 *
 * The reference protocol's model, for 1x28x28 images, channels [16, 32], kernel 3, stride 2 and a
 * 32-d code: Conv2d(1→16, 3, s2, p1), ReLU, Conv2d(16→32, 3, s2, p1), ReLU, Flatten,
 * Linear(1568→32); back: Linear(32→1568), ReLU, Unflatten(32x7x7), ConvTranspose2d(32→16, 3, s2,
 * p1, output padding 1), ReLU, ConvTranspose2d(16→1, 3, s2, p1, output padding 1), Sigmoid.
 */
import {
  type ActivationName, activation, Conv2d, ConvTranspose2d, Dense, Flatten, type Module, Sequential, Unflatten,
} from '@latent/nn'
import { checkKeys, convOutputSize, type DType, type Rng } from '@latent/tensor'
import { Autoencoder, type AutoencoderOptions } from './autoencoder.js'

/**
 * The convolution options of a model spec and the command line: defaults, ranges and help.
 * @example CONV_OPTIONS.stride.default // 2
 */
export const CONV_OPTIONS = {
  kernel: { type: 'number', integer: true, min: 1, default: 3, help: 'conv: kernel size (padding: half of it)' },
  stride: { type: 'number', integer: true, min: 1, default: 2, help: 'conv: stride of every convolution' },
} as const

/** The channels of the convolutions unless told. @example DEFAULT_CHANNELS // [16, 32] */
export const DEFAULT_CHANNELS: readonly number[] = [16, 32]

export interface ConvolutionalOptions {
  /** The images: [channels, height, width]; a row of input holds channels·height·width pixels. */
  image: readonly [number, number, number]
  /** Output channels of each convolution, from the input inward: [16, 32]. */
  channels: readonly number[]
  /** Kernel size (default 3); the padding is half of it, rounded down. */
  kernel?: number
  /** Stride of every convolution (default 2). */
  stride?: number
  /** Dense sizes after the convolutions, ending with the code: [32], or [128, 32]. */
  dense: readonly number[]
  /** Activation of the hidden layers (default 'relu'). */
  activation?: ActivationName
  /** Activation of the code layer (default 'identity'). */
  codeActivation?: ActivationName
  /** Activation of the output (default 'sigmoid', for pixels in [0, 1]). */
  outputActivation?: ActivationName
  dtype?: DType
  rng: Rng
}

/** The spatial sizes through the convolutions, each (height, width), from the input inward. */
function sizes(o: ConvolutionalOptions, kernel: number, stride: number): [number, number][] {
  const pad = Math.floor(kernel / 2)
  const size = (n: number): number => convOutputSize('convolutional', n, kernel, stride, pad)
  const out: [number, number][] = [[o.image[1], o.image[2]]]
  for (let i = 0; i < o.channels.length; i++) {
    const [h, w] = out[i]
    out.push([size(h), size(w)])
  }
  return out
}

/**
 * The encoder's convolutions and hidden dense layers (everything before the code layer), the
 * width they end with, and the decoder from a code of the last dense size.
 * @example
 *   const { body, width, decoder } =
 *     convolutionalLayers({ image: [1, 28, 28], channels: [16, 32], dense: [32], rng })
 */
export function convolutionalLayers(o: ConvolutionalOptions): { body: Module[]; width: number; decoder: Sequential } {
  const [c, h, w] = o.image
  if (![c, h, w].every((v) => Number.isInteger(v) && v >= 1)) {
    throw new RangeError(`convolutional: image must be [channels, height, width], got [${o.image}]`)
  }
  if (o.channels.length === 0 || !o.channels.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new RangeError(`convolutional: channels must be at least one positive integer, got [${o.channels}]`)
  }
  if (o.dense.length === 0 || !o.dense.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new RangeError(`convolutional: dense sizes must end with the code size, got [${o.dense}]`)
  }
  const { rng, dtype } = o
  const kernel = o.kernel ?? 3
  const stride = o.stride ?? 2
  const padding = Math.floor(kernel / 2)
  const act = o.activation ?? 'relu'
  const grid = sizes(o, kernel, stride)
  const chans = [c, ...o.channels]
  const [lh, lw] = grid.at(-1)!
  const flat = chans.at(-1)! * lh * lw
  const widths = [flat, ...o.dense]
  const body: Module[] = [new Unflatten([c, h, w])]
  o.channels.forEach((out, i) =>
    body.push(new Conv2d(chans[i], out, kernel, { stride, padding, rng, dtype }), activation(act)))
  body.push(new Flatten())
  const dense = (from: number, to: number): Module[] => [new Dense(from, to, { rng, dtype }), activation(act)]
  for (let i = 0; i + 2 < widths.length; i++) body.push(...dense(widths[i], widths[i + 1]))
  const back = [...widths].reverse()
  const decoder: Module[] = []
  for (let i = 0; i + 1 < back.length; i++) decoder.push(...dense(back[i], back[i + 1]))
  decoder.push(new Unflatten([chans.at(-1)!, lh, lw]))
  for (let i = o.channels.length; i >= 1; i--) {
    const [[th, tw], [sh, sw]] = [grid[i - 1], grid[i]]
    // The output padding that brings the size back to the one this convolution came from.
    const unpadded = (n: number): number => (n - 1) * stride - 2 * padding + kernel
    const outputPadding: [number, number] = [th - unpadded(sh), tw - unpadded(sw)]
    decoder.push(new ConvTranspose2d(chans[i], chans[i - 1], kernel, { stride, padding, outputPadding, rng, dtype }))
    decoder.push(activation(i === 1 ? o.outputActivation ?? 'sigmoid' : act))
  }
  decoder.push(new Flatten())
  return { body, width: widths.at(-2)!, decoder: new Sequential(...decoder) }
}

/**
 * A convolutional autoencoder (see the file header for the layers).
 * @example
 *   const cae = buildConvAutoencoder({
 *     image: [1, 28, 28], channels: [16, 32], dense: [32], loss: 'bce', rng: new Rng(0),
 *   })
 */
export function buildConvAutoencoder(options: ConvolutionalOptions & AutoencoderOptions): Autoencoder {
  checkKeys('buildConvAutoencoder', options, ['image', 'channels', 'kernel', 'stride', 'dense', 'activation',
    'codeActivation', 'outputActivation', 'dtype', 'rng', 'loss'])
  const { encoder, decoder } = convolutionalPair(options)
  return new Autoencoder(encoder, decoder, options)
}

/**
 * The encoder (body, then the code layer) and the decoder of a convolutional autoencoder.
 * @example const { encoder, decoder } = convolutionalPair(options)
 */
export function convolutionalPair(options: ConvolutionalOptions): { encoder: Sequential; decoder: Sequential } {
  const { body, width, decoder } = convolutionalLayers(options)
  const code = new Dense(width, options.dense.at(-1)!, { rng: options.rng, dtype: options.dtype })
  return { encoder: new Sequential(...body, code, activation(options.codeActivation ?? 'identity')), decoder }
}

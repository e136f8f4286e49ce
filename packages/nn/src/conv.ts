/**
 * Convolutional layers, with PyTorch's parameter names, layouts and default initialisation, so
 * that a state dict moves between the two through safetensors: Conv2d (weight [out, in, kh, kw]),
 * ConvTranspose2d (weight [in, out, kh, kw]), both with bias [out]; MaxPool2d, AvgPool2d,
 * Upsample (nearest), Flatten and Unflatten. Their forward passes are @latent/autodiff's conv
 * functions (im2col and a matrix product), so they need no gradient code.
 *
 * PyTorch's default initialisation (kaiming_uniform_ with a = √5) is U(±1/√fan_in) for weight and
 * bias, where fan_in is the weight's dimension 1 times the kernel's area: in·kh·kw for Conv2d, and
 * (PyTorch's own convention) out·kh·kw for ConvTranspose2d.
 */
import * as A from '@latent/autodiff'
import type { Size2, Value } from '@latent/autodiff'
import { formatShape, type DType, type Rng } from '@latent/tensor'
import { initBias, initWeight, type InitScheme } from './init.js'
import { Module, Parameter } from './module.js'

export interface ConvLayerOptions {
  /** The generator for the initial weights (required: no hidden randomness). */
  rng: Rng
  stride?: Size2
  padding?: Size2
  /** ConvTranspose2d: added to one side of the output (below the stride). */
  outputPadding?: Size2
  bias?: boolean
  /** Weight initialisation (default 'pytorch'). */
  init?: InitScheme
  dtype?: DType
}

const square = (v: Size2): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]])

/** Checks that x is an image batch with `channels` channels. */
function checkImages(layer: Module, x: Value, channels: number): void {
  if (x.shape.length !== 4 || x.shape[1] !== channels) {
    throw new RangeError(`${layer.describe()}: expected images [N, ${channels}, H, W], got ${formatShape(x.shape)}`)
  }
}

/**
 * What Conv2d and ConvTranspose2d share: the kernel, a weight and bias drawn as PyTorch draws them
 * (see the file header), and the input check. They differ in the weight's layout (which channels
 * come first, and so which count is fan-in) and in the function that convolves.
 */
abstract class ConvLayer extends Module {
  readonly weight: Parameter
  readonly bias: Parameter | undefined
  readonly kernel: [number, number]

  constructor(
    op: 'Conv2d' | 'ConvTranspose2d', readonly inChannels: number, readonly outChannels: number, kernel: Size2,
    readonly options: ConvLayerOptions,
  ) {
    super()
    this.kernel = square(kernel)
    // The weight's first two axes: [out, in] for Conv2d, [in, out] for ConvTranspose2d.
    const [first, second] = op === 'Conv2d' ? [outChannels, inChannels] : [inChannels, outChannels]
    const shape = [first, second, ...this.kernel]
    if (!shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new RangeError(`${op}: channels and kernel must be positive integers, got ${shape}`)
    }
    if (!options?.rng) throw new TypeError(`${op}: pass { rng } (a seeded Rng) for the initial weights`)
    const area = this.kernel[0] * this.kernel[1]
    const [fanIn, fanOut] = [second * area, first * area]
    const scheme = options.init ?? 'pytorch'
    const dtype = options.dtype ?? 'float32'
    this.weight = new Parameter(initWeight(options.rng, scheme, fanIn, fanOut, { dtype, shape }))
    this.bias = options.bias === false ? undefined
      : new Parameter(initBias(options.rng, scheme, fanIn, outChannels, dtype))
  }

  forward(x: Value): Value {
    checkImages(this, x, this.inChannels)
    return this.convolve(x)
  }

  protected abstract convolve(x: Value): Value
}

/**
 * 2-D convolution, PyTorch's nn.Conv2d (groups 1, dilation 1).
 * @example new Conv2d(1, 16, 3, { stride: 2, padding: 1, rng }) // [N, 1, 28, 28] → [N, 16, 14, 14]
 */
export class Conv2d extends ConvLayer {
  constructor(inChannels: number, outChannels: number, kernel: Size2, options: ConvLayerOptions) {
    super('Conv2d', inChannels, outChannels, kernel, options)
  }

  protected convolve(x: Value): Value {
    return A.conv2d(x, this.weight, this.bias, this.options)
  }

  override describe(): string {
    const { stride = 1, padding = 0 } = this.options
    return `Conv2d(${this.inChannels} -> ${this.outChannels}, ${this.kernel.join('x')}, `
      + `stride ${stride}, padding ${padding})`
  }
}

/**
 * The transposed convolution, PyTorch's nn.ConvTranspose2d (groups 1, dilation 1).
 * @example new ConvTranspose2d(32, 16, 3, { stride: 2, padding: 1, outputPadding: 1, rng }) // 7x7 → 14x14
 */
export class ConvTranspose2d extends ConvLayer {
  constructor(inChannels: number, outChannels: number, kernel: Size2, options: ConvLayerOptions) {
    super('ConvTranspose2d', inChannels, outChannels, kernel, options)
  }

  protected convolve(x: Value): Value {
    return A.convTranspose2d(x, this.weight, this.bias, this.options)
  }

  override describe(): string {
    const { stride = 1, padding = 0, outputPadding = 0 } = this.options
    return `ConvTranspose2d(${this.inChannels} -> ${this.outChannels}, ${this.kernel.join('x')}, stride ${stride}, `
      + `padding ${padding}, output padding ${outputPadding})`
  }
}

/** Max pooling, PyTorch's nn.MaxPool2d. @example new MaxPool2d(2) // halves height and width */
export class MaxPool2d extends Module {
  constructor(readonly kernel: Size2, readonly options: A.PoolOptions = {}) {
    super()
  }

  forward(x: Value): Value {
    return A.maxPool2d(x, this.kernel, this.options)
  }
}

/** Average pooling, PyTorch's nn.AvgPool2d (padding counted as zeros). @example new AvgPool2d(2) */
export class AvgPool2d extends Module {
  constructor(readonly kernel: Size2, readonly options: A.PoolOptions = {}) {
    super()
  }

  forward(x: Value): Value {
    return A.avgPool2d(x, this.kernel, this.options)
  }
}

/** Nearest-neighbour upsampling by an integer factor, PyTorch's nn.Upsample(scale_factor). @example new Upsample(2) */
export class Upsample extends Module {
  constructor(readonly scale: Size2) {
    super()
  }

  forward(x: Value): Value {
    return A.upsampleNearest2d(x, this.scale)
  }
}

/** [N, ...] → [N, product of the rest], PyTorch's nn.Flatten. @example new Flatten() // [N, 32, 7, 7] → [N, 1568] */
export class Flatten extends Module {
  forward(x: Value): Value {
    return A.reshape(x, [x.shape[0], -1])
  }
}

/** [N, F] → [N, ...shape], PyTorch's nn.Unflatten(1, shape). @example new Unflatten([32, 7, 7]) */
export class Unflatten extends Module {
  constructor(readonly shape: readonly number[]) {
    super()
  }

  forward(x: Value): Value {
    const size = this.shape.reduce((a, b) => a * b, 1)
    if (x.shape.length !== 2 || x.shape[1] !== size) {
      throw new RangeError(`Unflatten: expected [N, ${size}] to make [N, ${this.shape.join(', ')}], `
        + `got ${formatShape(x.shape)}`)
    }
    return A.reshape(x, [x.shape[0], ...this.shape])
  }

  override describe(): string {
    return `Unflatten(${this.shape.join('x')})`
  }
}

/**
 * Weight initialisation, from the explicit generator. fan_in and fan_out are a weight's input
 * and output sizes ([out, in] for a dense layer; for a convolution, PyTorch's: weight dimension 1
 * times the kernel's area, and dimension 0 times it).
 *
 *   pytorch          U(-1/√fan_in, 1/√fan_in) for weight and bias: nn.Linear's default
 *                    (kaiming_uniform_ with a = √5 gives exactly this bound)
 *   xavier-uniform   U(-a, a),  a = gain·√(6 / (fan_in + fan_out))     Glorot and Bengio 2010
 *   xavier-normal    N(0, σ²),  σ = gain·√(2 / (fan_in + fan_out))
 *   kaiming-uniform  U(-a, a),  a = gain·√(3 / fan_in), gain = √2       He et al. 2015 (for ReLU)
 *   kaiming-normal   N(0, σ²),  σ = gain / √fan_in
 *   lecun-uniform    U(-a, a),  a = √(3 / fan_in)                       LeCun et al. 1998
 *   lecun-normal     N(0, σ²),  σ = 1 / √fan_in
 *
 * Biases start at zero for every scheme but 'pytorch'.
 */
import { zeros, type DType, type Rng, type Tensor } from '@latent/tensor'

export type InitScheme = 'pytorch' | 'xavier-uniform' | 'xavier-normal' | 'kaiming-uniform' | 'kaiming-normal' |
  'lecun-uniform' | 'lecun-normal'

export interface InitOptions {
  /** Gain for xavier (default 1) and kaiming (default √2, ReLU's). */
  gain?: number
  dtype?: DType
  /** The weight's shape, when not [fanOut, fanIn] (a convolution's [out, in, kh, kw]). */
  shape?: readonly number[]
}

/**
 * A weight of shape [fanOut, fanIn] (or `options.shape`) drawn by the scheme.
 * @example
 *   const w = initWeight(rng, 'kaiming-normal', 784, 256)
 */
export function initWeight(rng: Rng, scheme: InitScheme, fanIn: number, fanOut: number,
  options: InitOptions = {}): Tensor {
  const shape = options.shape ?? [fanOut, fanIn]
  const dtype = options.dtype ?? 'float32'
  const uniform = (a: number): Tensor => rng.uniform(shape, -a, a, dtype)
  const normal = (s: number): Tensor => rng.normal(shape, 0, s, dtype)
  switch (scheme) {
    case 'pytorch': return uniform(1 / Math.sqrt(fanIn))
    case 'xavier-uniform': return uniform((options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut)))
    case 'xavier-normal': return normal((options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)))
    case 'kaiming-uniform': return uniform((options.gain ?? Math.SQRT2) * Math.sqrt(3 / fanIn))
    case 'kaiming-normal': return normal((options.gain ?? Math.SQRT2) / Math.sqrt(fanIn))
    case 'lecun-uniform': return uniform(Math.sqrt(3 / fanIn))
    case 'lecun-normal': return normal(1 / Math.sqrt(fanIn))
    default: throw new RangeError(`initWeight: unknown scheme '${String(scheme)}'`)
  }
}

/** The bias that goes with a scheme: PyTorch's uniform one, or zeros. @example initBias(rng, 'pytorch', 784, 256) */
export function initBias(rng: Rng, scheme: InitScheme, fanIn: number, fanOut: number,
  dtype: DType = 'float32'): Tensor {
  return scheme === 'pytorch' ? rng.uniform([fanOut], -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), dtype)
    : zeros([fanOut], { dtype })
}

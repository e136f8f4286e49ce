/**
 * Convolutions, transposed convolutions, pooling and upsampling, composed from the window
 * primitives `im2col` and `col2im` (ops.ts), matmul, reshapes and reductions, so that they need
 * no derivative of their own and differentiate to any order (the contractive penalty of a
 * convolutional encoder runs through them). Images are NCHW and weights are laid out as PyTorch's
 * (conv2d [out, in, kh, kw], convTranspose2d [in, out, kh, kw]); groups 1, dilation 1.
 */
import * as T from '@latent/tensor'
import { add, expand, matmul, mean, permute, reshape, sum, where } from './functions.js'
import { apply, PRIMITIVES as P } from './ops.js'
import { lift, liftPair, type Input, Value } from './value.js'

/** A size along both axes, or (height, width). */
export type Size2 = number | readonly [number, number]

export interface ConvOptions {
  /** Default 1. */
  stride?: Size2
  /** Zero padding on every side, default 0. */
  padding?: Size2
}

const pair = (op: string, name: string, v: Size2): [number, number] => {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]]
  if (p.every((x) => Number.isInteger(x) && x >= 0)) return p
  throw new RangeError(`${op}: ${name} must be non-negative integers, got ${String(v)}`)
}

/** The window of an op over images `x`, with its output grid. */
function window(op: string, x: Value, kernel: Size2, options: ConvOptions & { padValue?: number }): T.Window2d & {
  shape: readonly number[]; oh: number; ow: number
} {
  if (x.shape.length !== 4) throw new RangeError(`${op}: expected images [N, C, H, W], got ${T.formatShape(x.shape)}`)
  const w = {
    kernel: pair(op, 'kernel', kernel), stride: pair(op, 'stride', options.stride ?? 1),
    padding: pair(op, 'padding', options.padding ?? 0), padValue: options.padValue,
  }
  if (w.stride.includes(0) || w.kernel.includes(0)) throw new RangeError(`${op}: kernel and stride must be positive`)
  const oh = T.convOutputSize(op, x.shape[2], w.kernel[0], w.stride[0], w.padding[0])
  return { ...w, shape: x.shape, oh, ow: T.convOutputSize(op, x.shape[3], w.kernel[1], w.stride[1], w.padding[1]) }
}

/** Adds a per-channel bias [C] to images [N, C, H, W]. */
function addBias(op: string, y: Value, bias: Input | undefined): Value {
  if (bias === undefined) return y
  const b = lift(bias, y.dtype)
  if (b.shape.length !== 1 || b.shape[0] !== y.shape[1]) {
    throw new RangeError(`${op}: bias ${T.formatShape(b.shape)} does not match ${y.shape[1]} output channels`)
  }
  return add(y, reshape(b, [1, y.shape[1], 1, 1]))
}

/**
 * 2-D convolution (cross-correlation, as PyTorch's conv2d): x [N, C, H, W] and weight
 * [out, C, kh, kw] give [N, out, OH, OW], OH = ⌊(H + 2·padding - kh) / stride⌋ + 1. As a product:
 * the flattened weight times the columns of receptive fields [C·kh·kw, N·OH·OW].
 * @example conv2d(x, w, b, { stride: 2, padding: 1 }) // [N, 16, 14, 14] for x [N, 1, 28, 28], w [16, 1, 3, 3]
 */
export function conv2d(x: Input, weight: Input, bias?: Input, options: ConvOptions = {}): Value {
  const [xv, wv] = liftPair('conv2d', x, weight)
  if (wv.shape.length !== 4 || xv.shape[1] !== wv.shape[1]) {
    throw new RangeError(`conv2d: weight ${T.formatShape(wv.shape)} does not fit images ${T.formatShape(xv.shape)} `
      + '(expected [out, in, kh, kw] with in = the images\' channels)')
  }
  const [out, c, kh, kw] = wv.shape
  const g = window('conv2d', xv, [kh, kw], options)
  const n = xv.shape[0]
  // weight [out, C·kh·kw] · columns [C·kh·kw, N·OH·OW] = [out, N, OH·OW], then whole rows to [N, out, OH·OW]
  const y = matmul(reshape(wv, [out, c * kh * kw]), apply(P.im2col, [xv], g))
  return addBias('conv2d', reshape(permute(reshape(y, [out, n, g.oh * g.ow]), [1, 0, 2]), [n, out, g.oh, g.ow]), bias)
}

export interface ConvTransposeOptions extends ConvOptions {
  /** Added to one side of the output, to reach the size a strided convolution came from; below the stride. */
  outputPadding?: Size2
}

/**
 * The transposed convolution (PyTorch's conv_transpose2d), the gradient of conv2d with respect to
 * its input: x [N, in, H, W] and weight [in, out, kh, kw] give [N, out, OH, OW] with
 * OH = (H - 1)·stride - 2·padding + kh + outputPadding. As a product: the flattened weight,
 * transposed, times x's pixels as columns gives a column of output patches per pixel, which
 * col2im adds into the image.
 * @example convTranspose2d(h, w, b, { stride: 2, padding: 1, outputPadding: 1 }) // 7x7 → 14x14
 */
export function convTranspose2d(x: Input, weight: Input, bias?: Input, options: ConvTransposeOptions = {}): Value {
  const [xv, wv] = liftPair('convTranspose2d', x, weight)
  if (xv.shape.length !== 4 || wv.shape.length !== 4 || xv.shape[1] !== wv.shape[0]) {
    throw new RangeError(`convTranspose2d: weight ${T.formatShape(wv.shape)} does not fit images `
      + `${T.formatShape(xv.shape)} (expected [in, out, kh, kw] with in = the images' channels)`)
  }
  const [cin, out, kh, kw] = wv.shape
  const [n, , h, w] = xv.shape
  const [sh, sw] = pair('convTranspose2d', 'stride', options.stride ?? 1)
  const [ph, pw] = pair('convTranspose2d', 'padding', options.padding ?? 0)
  const [oph, opw] = pair('convTranspose2d', 'outputPadding', options.outputPadding ?? 0)
  if (oph >= sh || opw >= sw) {
    throw new RangeError(`convTranspose2d: outputPadding (${oph}, ${opw}) `
      + `must be smaller than the stride (${sh}, ${sw})`)
  }
  const shape = [n, out, (h - 1) * sh - 2 * ph + kh + oph, (w - 1) * sw - 2 * pw + kw + opw]
  if (shape[2] < 1 || shape[3] < 1) throw new RangeError(`convTranspose2d: the output would be ${T.formatShape(shape)}`)
  const pixels = reshape(permute(reshape(xv, [n, cin, h * w]), [1, 0, 2]), [cin, n * h * w])
  const patches = matmul(reshape(wv, [cin, out * kh * kw]), pixels, { transposeA: true })
  const y = apply(P.col2im, [patches], { kernel: [kh, kw], stride: [sh, sw], padding: [ph, pw], shape })
  return addBias('convTranspose2d', y, bias)
}

export interface PoolOptions {
  /** Default: the kernel (windows that do not overlap). */
  stride?: Size2
  /** Default 0; at most half the kernel. */
  padding?: Size2
}

/** Each channel's windows as columns [kh·kw, N·C·OH·OW], and the output shape. */
function channelWindows(op: string, x: Input, kernel: Size2, options: PoolOptions, padValue: number)
  : [Value, number[]] {
  const xv = lift(x)
  const g = window(op, xv, kernel, { stride: options.stride ?? kernel, padding: options.padding ?? 0, padValue })
  if (2 * g.padding[0] > g.kernel[0] || 2 * g.padding[1] > g.kernel[1]) {
    throw new RangeError(`${op}: padding (${g.padding.join(', ')}) `
      + `must be at most half the kernel (${g.kernel.join(', ')})`)
  }
  const [n, c, h, w] = xv.shape
  const rows = apply(P.im2col, [reshape(xv, [n * c, 1, h, w])], { ...g, shape: [n * c, 1, h, w] })
  return [rows, [n, c, g.oh, g.ow]]
}

/**
 * Max pooling (PyTorch's max_pool2d): the largest value of each window, padding counting as -∞.
 * The gradient goes to the first largest value of a window, as in PyTorch.
 * @example maxPool2d(x, 2) // halves height and width
 */
export function maxPool2d(x: Input, kernel: Size2, options: PoolOptions = {}): Value {
  const [rows, shape] = channelWindows('maxPool2d', x, kernel, options, -Infinity)
  const first = T.argmax(rows.data, { axis: 0 })
  const columns = rows.shape[1]
  const mask = T.zeros(rows.shape, { dtype: rows.dtype })
  for (let col = 0; col < columns; col++) mask.data[first.data[col] * columns + col] = 1
  return reshape(sum(where(mask, rows, 0), { axis: 0 }), shape)
}

/**
 * Average pooling (PyTorch's avg_pool2d, count_include_pad true): the mean of each window,
 * padding counting as zeros.
 * @example avgPool2d(x, 2)
 */
export function avgPool2d(x: Input, kernel: Size2, options: PoolOptions = {}): Value {
  const [rows, shape] = channelWindows('avgPool2d', x, kernel, options, 0)
  return reshape(mean(rows, { axis: 0 }), shape)
}

/**
 * Nearest-neighbour upsampling by an integer factor (PyTorch's interpolate, mode 'nearest'):
 * every pixel repeated `scale` times along each axis, as an expand.
 * @example upsampleNearest2d(x, 2) // [N, C, 2H, 2W]
 */
export function upsampleNearest2d(x: Input, scale: Size2): Value {
  const xv = lift(x)
  const [sh, sw] = pair('upsampleNearest2d', 'scale', scale)
  if (xv.shape.length !== 4 || sh < 1 || sw < 1) {
    throw new RangeError('upsampleNearest2d: expected images [N, C, H, W] and a scale >= 1, '
      + `got ${T.formatShape(xv.shape)}, ${String(scale)}`)
  }
  const [n, c, h, w] = xv.shape
  return reshape(expand(reshape(xv, [n, c, h, 1, w, 1]), [n, c, h, sh, w, sw]), [n, c, h * sh, w * sw])
}

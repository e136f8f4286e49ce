/**
 * Convolutions as matrix products. `im2col` lays the receptive field of every output pixel of an
 * image batch out as one column, so that a convolution is one product of the weight with those
 * columns (ops/matmul.ts, the WASM kernel, its threads); `col2im` adds such columns back into an
 * image. The two are adjoint linear maps: each is the other's gradient, and a transposed
 * convolution is a product followed by col2im. Pooling is im2col of each channel alone followed
 * by a reduction over the window.
 *
 * Images are NCHW, as in PyTorch: [batch, channels, height, width]. The matrix is [C·kh·kw,
 * N·OH·OW]: rows ordered (c, i, j), the order in which a weight [out, C, kh, kw] flattens to
 * [out, C·kh·kw], and columns (n, oy, ox). So weight · columns is [out, N, OH·OW], and the move
 * to [N, out, OH·OW] copies whole rows of OH·OW floats.
 */
import { allocate } from '../dtype.js'
import { elementwiseFor } from '../kernels/select.js'
import { formatShape, sizeOf } from '../shape.js'
import { Tensor } from '../tensor.js'

/** The window of a convolution or pooling: kernel, stride and zero padding, each (height, width). */
export interface Window2d {
  kernel: readonly [number, number]
  stride: readonly [number, number]
  padding: readonly [number, number]
  /** The value of padded positions in im2col's rows (default 0; max pooling uses -Infinity). */
  padValue?: number
}

/**
 * The output size of a window along one axis: ⌊(size + 2·padding - kernel) / stride⌋ + 1.
 * @example convOutputSize('conv2d', 28, 3, 2, 1) // 14
 */
export function convOutputSize(op: string, size: number, kernel: number, stride: number, padding: number): number {
  if (![kernel, stride].every((v) => Number.isInteger(v) && v >= 1) || !(Number.isInteger(padding) && padding >= 0)) {
    throw new RangeError(`${op}: kernel and stride must be positive integers and padding a non-negative one, `
      + `got ${kernel}, ${stride}, ${padding}`)
  }
  if (kernel > size + 2 * padding) {
    throw new RangeError(`${op}: the kernel (${kernel}) is larger than the padded input (${size} + 2·${padding})`)
  }
  return Math.floor((size + 2 * padding - kernel) / stride) + 1
}

interface Grid { n: number; c: number; h: number; wd: number; oh: number; ow: number }

/** [N, C, H, W], checked, and the output grid (OH, OW) of the window. */
function grid(op: string, shape: readonly number[], w: Window2d): Grid {
  if (shape.length !== 4) throw new RangeError(`${op}: expected an image batch [N, C, H, W], got ${formatShape(shape)}`)
  const [n, c, h, wd] = shape
  const oh = convOutputSize(op, h, w.kernel[0], w.stride[0], w.padding[0])
  return { n, c, h, wd, oh, ow: convOutputSize(op, wd, w.kernel[1], w.stride[1], w.padding[1]) }
}

/** The window kernels' geometry: [images, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow]. */
const geometry = (g: Grid, w: Window2d): number[] =>
  [g.n, g.c, g.h, g.wd, ...w.kernel, ...w.stride, ...w.padding, g.oh, g.ow]

/**
 * Walks every element of the im2col matrix, row (c, i, j) by row, each column (n, oy, ox) in
 * order, with its source position in the image, or -1 in the padding: `visit(at, source)`. One
 * loop for both directions, and the order the WASM kernels follow (col2im adds in this order).
 */
function walk(g: Grid, w: Window2d, visit: (at: number, source: number) => void): void {
  const [kh, kw] = w.kernel
  const [sh, sw] = w.stride
  const [ph, pw] = w.padding
  let at = 0
  for (let c = 0; c < g.c; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let n = 0; n < g.n; n++) {
          const plane = (n * g.c + c) * g.h
          for (let oy = 0; oy < g.oh; oy++) {
            const y = oy * sh - ph + i
            const inside = y >= 0 && y < g.h
            for (let ox = 0; ox < g.ow; ox++, at++) {
              const x = ox * sw - pw + j
              visit(at, inside && x >= 0 && x < g.wd ? (plane + y) * g.wd + x : -1)
            }
          }
        }
      }
    }
  }
}

/**
 * The columns of receptive fields: [N, C, H, W] → [C·kh·kw, N·OH·OW], padding filled with
 * `padValue` (0 by default).
 * @example im2col(x, { kernel: [3, 3], stride: [2, 2], padding: [1, 1] }) // [C·9, N·14·14] for 28x28 images
 */
export function im2col(x: Tensor, w: Window2d): Tensor {
  const g = grid('im2col', x.shape, w)
  const k = g.c * w.kernel[0] * w.kernel[1]
  const out = new Tensor(allocate(x.dtype, g.n * g.oh * g.ow * k, false), [k, g.n * g.oh * g.ow])
  const [src, dst] = [x.data, out.data]
  const pad = w.padValue ?? 0
  elementwiseFor(src, dst).window('im2col', src, dst, geometry(g, w), pad, () => {
    walk(g, w, (at, s) => { dst[at] = s < 0 ? pad : src[s] })
  })
  return out
}

/**
 * The adjoint of im2col: columns [C·kh·kw, N·OH·OW] added back into an image batch of `shape`
 * [N, C, H, W] (overlapping windows add up; padded positions are dropped).
 * @example col2im(cols, [2, 16, 14, 14], { kernel: [3, 3], stride: [2, 2], padding: [1, 1] })
 */
export function col2im(cols: Tensor, shape: readonly number[], w: Window2d): Tensor {
  const g = grid('col2im', shape, w)
  const k = g.c * w.kernel[0] * w.kernel[1]
  if (cols.rank !== 2 || cols.shape[1] !== g.n * g.oh * g.ow || cols.shape[0] !== k) {
    throw new RangeError(`col2im: rows ${formatShape(cols.shape)} do not fit an image ${formatShape(shape)} `
      + `with windows of ${w.kernel.join('x')} (expected [${k}, ${g.n * g.oh * g.ow}])`)
  }
  const out = new Tensor(allocate(cols.dtype, sizeOf(shape)), [...shape])
  const [src, dst] = [cols.data, out.data]
  elementwiseFor(src, dst).window('col2im', src, dst, geometry(g, w), 0, () => {
    walk(g, w, (at, s) => { if (s >= 0) dst[s] += src[at] })
  })
  return out
}


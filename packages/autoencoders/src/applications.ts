/**
 * More uses of a trained autoencoder: inpainting missing pixels, and a 2-D view of the latent
 * space for pictures.
 */
import { formatShape, Tensor, where } from '@latent/tensor'
import type { Autoencoder } from './autoencoder.js'
import { PCA } from './pca.js'

/**
 * Fills the pixels where `mask` is 0 by iterating x ← known pixels + reconstruction elsewhere,
 * starting from `fill` (default 0) in the holes. Known pixels never change.
 * @example const restored = inpaint(ae, damaged, mask, { iterations: 20 })
 */
export function inpaint(
  model: Autoencoder,
  x: Tensor,
  mask: Tensor,
  options: { iterations?: number; fill?: number } = {},
): Tensor {
  if (formatShape(x.shape) !== formatShape(mask.shape)) {
    throw new RangeError(`inpaint: x ${formatShape(x.shape)} and mask ${formatShape(mask.shape)} differ in shape`)
  }
  let current = where(mask, x, options.fill ?? 0)
  for (let i = 0; i < (options.iterations ?? 10); i++) current = where(mask, x, model.reconstruct(current))
  return current
}

/**
 * 2-D coordinates of the codes of x for plotting: the codes themselves if there are two, else
 * their first two principal components.
 * @example const points = latent2d(ae, xTest) // [n, 2]
 */
export function latent2d(model: Autoencoder, x: Tensor): Tensor {
  const codes = model.encode(x)
  if (codes.shape[1] === 2) return codes
  if (codes.shape[1] === 1) {
    const padded = Float32Array.from({ length: codes.size * 2 }, (_, i) => (i % 2 === 0 ? codes.data[i >> 1] : 0))
    return new Tensor(padded, [codes.shape[0], 2])
  }
  return new PCA(2).fit(codes).transform(codes)
}

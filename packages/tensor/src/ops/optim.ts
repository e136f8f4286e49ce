/**
 * Fused optimizer updates: one pass over a parameter, its gradient and its state, in place.
 * @latent/nn's optimizers call them (their doc comments give the formulas, as torch.optim's);
 * here they are loops, handed to the dispatch like every elementwise op, so that Adam runs as a
 * SIMD kernel when the tensors live in WASM memory, with the same numbers as the loop.
 */
import { rounding, type FloatArray } from '../dtype.js'
import { elementwiseFor } from '../kernels/select.js'
import { formatShape } from '../shape.js'
import type { Tensor } from '../tensor.js'

/** Every tensor of an update must have the parameter's shape and dtype. */
function arraysOf(op: string, p: Tensor, others: readonly (Tensor | undefined)[]): FloatArray[] {
  for (const t of others) {
    if (t && (t.dtype !== p.dtype || formatShape(t.shape) !== formatShape(p.shape))) {
      throw new RangeError(`${op}: a state or gradient tensor is ${t.dtype} ${formatShape(t.shape)}, ` +
        `the parameter ${p.dtype} ${formatShape(p.shape)}`)
    }
  }
  return [p.data, ...others.map((t) => t?.data as FloatArray)]
}

export interface AdamStep {
  lr: number
  beta1: number
  beta2: number
  eps: number
  weightDecay: number
  /** AdamW's decoupled weight decay instead of Adam's L2 term. */
  decoupled: boolean
  /** The parameter's step number, from 1. */
  step: number
}

/**
 * One Adam step on p, from gradient g, with moments m and v (and vMax for amsgrad), in place.
 * @example
 *   adamUpdate(p.data, p.grad.data, m, v, undefined,
 *     { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 })
 */
export function adamUpdate(p: Tensor, g: Tensor, m: Tensor, v: Tensor, vMax: Tensor | undefined, h: AdamStep): void {
  const [P, G, M, V, VM] = arraysOf('adamUpdate', p, [g, m, v, vMax])
  const r = rounding(p.dtype)
  const decay = h.decoupled ? 1 - h.lr * h.weightDecay : 1
  // The scalars as the SIMD kernel receives them: rounded to the dtype.
  const scalars = [
    h.beta1, h.beta2, 1 - h.beta1, 1 - h.beta2, h.lr / (1 - h.beta1 ** h.step), 1 / Math.sqrt(1 - h.beta2 ** h.step),
    h.eps, decay, h.decoupled ? 0 : h.weightDecay,
  ].map(r)
  const [b1, b2, keep1, keep2, stepSize, correction, eps, shrink, l2] = scalars
  const loop = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const w = r(P[i] * shrink)
      const d = r(G[i] + r(l2 * w))
      const mi = r(r(b1 * M[i]) + r(keep1 * d))
      let vi = r(r(b2 * V[i]) + r(keep2 * r(d * d)))
      M[i] = mi
      V[i] = vi
      if (VM) vi = VM[i] = Math.max(VM[i], vi)
      P[i] = w - r(r(stepSize * mi) / r(r(r(Math.sqrt(vi)) * correction) + eps))
    }
  }
  if (VM) loop(0, P.length) // amsgrad has no SIMD kernel
  else elementwiseFor(P, G, M, V).map('adam', [P, G, M, V], scalars, loop)
}

export interface SgdStep {
  lr: number
  momentum: number
  dampening: number
  nesterov: boolean
  weightDecay: number
  /** The first step: the momentum buffer starts as the gradient. */
  first: boolean
}

/**
 * One SGD step on p from gradient g, with the momentum buffer when momentum is used, in place.
 * @example
 *   sgdUpdate(p.data, p.grad.data, undefined,
 *     { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, first: true })
 */
export function sgdUpdate(p: Tensor, g: Tensor, buffer: Tensor | undefined, h: SgdStep): void {
  const [P, G, B] = arraysOf('sgdUpdate', p, [g, buffer])
  const r = rounding(p.dtype)
  const [lr, mu, keep, wd] = [h.lr, h.momentum, 1 - h.dampening, h.weightDecay].map(r)
  for (let i = 0; i < P.length; i++) {
    let d = r(G[i] + r(wd * P[i]))
    if (B) {
      B[i] = h.first ? d : r(r(mu * B[i]) + r(keep * d))
      d = h.nesterov ? r(d + r(mu * B[i])) : B[i]
    }
    P[i] = P[i] - r(lr * d)
  }
}

export interface RmspropStep {
  lr: number
  alpha: number
  eps: number
  momentum: number
  weightDecay: number
}

/**
 * One RMSprop step on p from gradient g, with the mean square v, and the mean gradient
 * (centered) and momentum buffer when they are used, in place.
 * @example
 *   rmspropUpdate(p.data, p.grad.data, v, undefined, undefined,
 *     { lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0, weightDecay: 0 })
 */
export function rmspropUpdate(p: Tensor, g: Tensor, v: Tensor, mean: Tensor | undefined, buffer: Tensor | undefined,
  h: RmspropStep): void {
  const [P, G, V, M, B] = arraysOf('rmspropUpdate', p, [g, v, mean, buffer])
  const r = rounding(p.dtype)
  const [lr, alpha, keep, eps, mu, wd] = [h.lr, h.alpha, 1 - h.alpha, h.eps, h.momentum, h.weightDecay].map(r)
  for (let i = 0; i < P.length; i++) {
    const d = r(G[i] + r(wd * P[i]))
    V[i] = r(r(alpha * V[i]) + r(keep * r(d * d)))
    let denom: number
    if (M) {
      M[i] = r(r(alpha * M[i]) + r(keep * d))
      denom = r(r(Math.sqrt(r(V[i] - r(M[i] * M[i])))) + eps)
    } else denom = r(r(Math.sqrt(V[i])) + eps)
    if (B) {
      B[i] = r(r(mu * B[i]) + r(d / denom))
      P[i] = P[i] - r(lr * B[i])
    } else P[i] = P[i] - r(r(lr * d) / denom)
  }
}

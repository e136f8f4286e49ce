/** Gradient clipping by the global norm, torch.nn.utils.clip_grad_norm_. */
import type { Parameter } from '../module.js'

/**
 * Scales all gradients together so that their global L2 norm is at most maxNorm
 * (torch.nn.utils.clip_grad_norm_: coefficient maxNorm / (norm + 1e-6), capped at 1). Returns
 * the norm before clipping. Gradients shared between parameters are scaled once.
 * @example
 *   clipGradNorm(model.parameters(), 1.0)
 */
export function clipGradNorm(params: readonly Parameter[], maxNorm: number): number {
  if (!(maxNorm >= 0)) throw new RangeError(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`)
  const grads = [...new Set(params.filter((p) => p.grad).map((p) => p.grad!.data.data))]
  let total = 0
  for (const g of grads) for (let i = 0; i < g.length; i++) total += g[i] * g[i]
  const norm = Math.sqrt(total)
  const coef = Math.min(1, maxNorm / (norm + 1e-6))
  if (coef < 1) for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= coef
  return norm
}

/**
 * Regularizers as loss terms: added to the loss, their gradients come from autodiff.
 *
 *   l1Penalty(params, λ)        λ Σ |w|
 *   l2Penalty(params, λ)        λ Σ w²      (PyTorch's weight_decay wd corresponds to λ = wd/2 with SGD)
 *   l1Activity(h, λ)            λ · mean over samples of Σ_units |h|
 *   l2Activity(h, λ)            λ · mean over samples of Σ_units h²
 *
 * Decoupled weight decay (AdamW) lives in the optimizers instead.
 */
import * as A from '@latent/autodiff'
import type { Value } from '@latent/autodiff'

function penalty(values: readonly Value[], lambda: number, term: (v: Value) => Value): Value {
  if (values.length === 0) throw new RangeError('penalty: no values given')
  return A.mul(values.map((v) => A.sum(term(v))).reduce((a, b) => A.add(a, b)), lambda)
}

/** λ Σ|w| over the given parameters. @example add(loss, l1Penalty(model.parameters(), 1e-5)) */
export function l1Penalty(params: readonly Value[], lambda: number): Value {
  return penalty(params, lambda, A.abs)
}

/** λ Σw² over the given parameters. @example add(loss, l2Penalty([dense.weight], 1e-4)) */
export function l2Penalty(params: readonly Value[], lambda: number): Value {
  return penalty(params, lambda, A.square)
}

/**
 * λ · (mean over the batch of Σ|h| over units): the L1 activity penalty of a sparse autoencoder.
 * @example l1Activity(code, 1e-3)
 */
export function l1Activity(activations: Value, lambda: number): Value {
  return A.mul(A.mean(A.sum(A.abs(activations), { axis: -1 })), lambda)
}

/** λ · (mean over the batch of Σh² over units). @example l2Activity(code, 1e-3) */
export function l2Activity(activations: Value, lambda: number): Value {
  return A.mul(A.mean(A.sum(A.square(activations), { axis: -1 })), lambda)
}

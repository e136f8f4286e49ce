/**
 * Losses, with PyTorch's definitions and its `reduction`: 'mean' (default) averages over every
 * element, 'sum' adds them, 'none' keeps them. Every loss is a composition of autodiff
 * functions: its gradient comes from there. (The reduced MSE uses one fused function,
 * squaredDistance, which gives the composition's numbers in fewer passes.)
 *
 *   mseLoss                 (x - y)²
 *   l1Loss                  |x - y|
 *   bceLoss                 -[y log p + (1 - y) log(1 - p)], each log clamped at -100 (as PyTorch)
 *   bceWithLogitsLoss       softplus(x) - y·x  =  -[y log σ(x) + (1 - y) log(1 - σ(x))], stable
 *   poissonNllLoss          eˣ - y·x (logInput), or x - y log(x + eps); `full` adds Stirling's
 *                           y log y - y + ½ log(2πy) for y > 1
 *   crossEntropyLoss        -log softmax(x)[label], per row of logits
 *   gaussianKl              -½ Σ_j (1 + log σ²_j - μ_j² - σ²_j) per sample: KL(N(μ, σ²) ‖ N(0, I))
 *   bernoulliKl             Σ_j ρ log(ρ/ρ̂_j) + (1 - ρ) log((1 - ρ)/(1 - ρ̂_j)): sparsity's KL(ρ ‖ ρ̂)
 *
 * gaussianKl and bernoulliKl are not PyTorch losses: they sum over their last axis (the latent
 * or hidden units) and reduce over samples ('mean' over the batch by default).
 */
import * as A from '@latent/autodiff'
import { Value, type Input } from '@latent/autodiff'
import { formatShape, full, sameShape, type Tensor } from '@latent/tensor'

export type Reduction = 'mean' | 'sum' | 'none'
export interface LossOptions { reduction?: Reduction }

function reduce(v: Value, reduction: Reduction = 'mean'): Value {
  if (reduction === 'none') return v
  if (reduction === 'sum') return A.sum(v)
  if (reduction === 'mean') return A.mean(v)
  throw new RangeError(`loss: unknown reduction '${String(reduction)}' (expected 'mean', 'sum' or 'none')`)
}

function pair(op: string, input: Input, target: Input): [Value, Value] {
  const x = input instanceof Value ? input : new Value(input as Tensor)
  const y = target instanceof Value ? target
    : new Value(typeof target === 'number' ? full(x.shape, target, { dtype: x.dtype }) : target)
  if (!sameShape(x.shape, y.shape)) {
    throw new RangeError(`${op}: input ${formatShape(x.shape)} and target ${formatShape(y.shape)} differ in shape`)
  }
  return [x, y]
}

/**
 * Mean squared error. Reduced ('mean', 'sum'), it runs as the fused squaredDistance: the same
 * numbers as the composition, in one pass each way.
 * @example mseLoss(reconstruction, x)
 */
export function mseLoss(input: Input, target: Input, options: LossOptions = {}): Value {
  const [x, y] = pair('mseLoss', input, target)
  const reduction = options.reduction ?? 'mean'
  if (reduction === 'sum') return A.squaredDistance(x, y)
  // As A.mean divides a sum: by the number of elements.
  if (reduction === 'mean') return A.div(A.squaredDistance(x, y), x.size)
  return reduce(A.square(A.sub(x, y)), reduction)
}

/** Mean absolute error. @example l1Loss(prediction, y) */
export function l1Loss(input: Input, target: Input, options: LossOptions = {}): Value {
  const [x, y] = pair('l1Loss', input, target)
  return reduce(A.abs(A.sub(x, y)), options.reduction)
}

/**
 * Binary cross-entropy on probabilities (an input outside [0, 1] throws, as in PyTorch).
 * NOTE: each log is clamped at -100, as PyTorch does, so p = 0 or 1 gives a large finite loss
 * instead of infinity.
 * @example bceLoss(sigmoid(logits), target)
 */
export function bceLoss(input: Input, target: Input, options: LossOptions = {}): Value {
  const [p, y] = pair('bceLoss', input, target)
  // As PyTorch: a probability outside [0, 1] (or NaN) is a mistake upstream, not a loss.
  const d = p.data.data
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] >= 0 && d[i] <= 1)) throw new RangeError(`bceLoss: input ${d[i]} at index ${i} ` +
      'is not a probability in [0, 1] (for logits, use bceWithLogitsLoss)')
  }
  const logP = A.maximum(A.log(p), -100)
  const log1mP = A.maximum(A.log(A.sub(1, p)), -100)
  return reduce(A.neg(A.add(A.mul(y, logP), A.mul(A.sub(1, y), log1mP))), options.reduction)
}

/**
 * Binary cross-entropy on logits, as softplus(x) - y·x: stable for any x, and exactly
 * differentiable everywhere (d/dx = σ(x) - y).
 * @example bceWithLogitsLoss(logits, target)
 */
export function bceWithLogitsLoss(input: Input, target: Input, options: LossOptions = {}): Value {
  const [x, y] = pair('bceWithLogitsLoss', input, target)
  return reduce(A.sub(A.softplus(x), A.mul(y, x)), options.reduction)
}

/**
 * Poisson negative log-likelihood, PyTorch's PoissonNLLLoss (logInput true by default).
 * @example poissonNllLoss(logRate, counts)
 */
export function poissonNllLoss(input: Input, target: Input,
  options: LossOptions & { logInput?: boolean; full?: boolean; eps?: number } = {}): Value {
  const [x, y] = pair('poissonNllLoss', input, target)
  let loss = options.logInput ?? true ? A.sub(A.exp(x), A.mul(y, x))
    : A.sub(x, A.mul(y, A.log(A.add(x, options.eps ?? 1e-8))))
  if (options.full) {
    // Stirling's approximation of log(y!), for y > 1 only (PyTorch's convention).
    const t = y.data
    const stirling = A.where(A.greater(t, 1).data,
      A.add(A.sub(A.mul(y, A.log(A.maximum(y, 1))), y), A.mul(A.log(A.mul(A.maximum(y, 1), 2 * Math.PI)), 0.5)), 0)
    loss = A.add(loss, stirling)
  }
  return reduce(loss, options.reduction)
}

/**
 * Cross-entropy of logits [N, C] against integer class labels (N of them), PyTorch's
 * CrossEntropyLoss: -log softmax(logits)[n, label_n].
 * @example crossEntropyLoss(logits, [3, 0, 7])
 */
export function crossEntropyLoss(logits: Input, labels: ArrayLike<number>, options: LossOptions = {}): Value {
  const x = logits instanceof Value ? logits : new Value(logits as Tensor)
  if (x.shape.length !== 2) throw new RangeError(`crossEntropyLoss: logits must be [N, C], got ${formatShape(x.shape)}`)
  const [n, c] = x.shape
  if (labels.length !== n) throw new RangeError(`crossEntropyLoss: ${labels.length} labels for ${n} rows of logits`)
  const picks = Array.from({ length: n }, (_, i) => {
    const label = labels[i]
    if (!Number.isInteger(label) || label < 0 || label >= c) {
      throw new RangeError(`crossEntropyLoss: label ${label} at row ${i} is not a class in 0..${c - 1}`)
    }
    return i * c + label
  })
  return reduce(A.neg(A.gather(A.reshape(A.logSoftmax(x, 1), [n * c]), picks)), options.reduction)
}

/**
 * KL(N(μ, σ²) ‖ N(0, I)) per sample, from the mean and the log-variance: -½ Σ (1 + log σ² - μ² - σ²).
 * @example gaussianKl(mu, logVar, { reduction: 'sum' })
 */
export function gaussianKl(mu: Input, logVar: Input, options: LossOptions = {}): Value {
  const [m, lv] = pair('gaussianKl', mu, logVar)
  const perSample = A.mul(A.sum(A.sub(A.sub(A.add(lv, 1), A.square(m)), A.exp(lv)), { axis: -1 }), -0.5)
  return reduce(perSample, options.reduction)
}

/**
 * The sparsity penalty KL(ρ ‖ ρ̂) summed over units, for target rate ρ and mean activations ρ̂
 * (each clamped into [eps, 1 - eps]). Given activations [N, units], ρ̂ is their mean over the batch.
 * @example bernoulliKl(0.05, hidden) // UFLDL's sparse autoencoder penalty, before the weight β
 */
export function bernoulliKl(rho: number, activations: Input, options: { eps?: number } = {}): Value {
  if (!(rho > 0 && rho < 1)) throw new RangeError(`bernoulliKl: the target rate must be in (0, 1), got ${rho}`)
  const h = activations instanceof Value ? activations : new Value(activations as Tensor)
  const eps = options.eps ?? 1e-7
  const rhoHat = A.clamp(h.shape.length > 1 ? A.mean(h, { axis: 0 }) : h, eps, 1 - eps)
  const kl = A.add(A.mul(A.log(A.div(rho, rhoHat)), rho), A.mul(A.log(A.div(1 - rho, A.sub(1, rhoHat))), 1 - rho))
  return A.sum(kl)
}

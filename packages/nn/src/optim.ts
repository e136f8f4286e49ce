/**
 * Optimizers, learning-rate schedules and gradient clipping, following PyTorch 1.13's update
 * formulas exactly (each is written in its doc comment; g is the gradient, p the parameter, t the
 * step number starting at 1). Updates are plain loops over the parameters' typed arrays: in
 * place, recording nothing. A parameter without a gradient (frozen, or unused) is skipped, and
 * its step count does not advance, as in PyTorch.
 */
import { allocate, formatShape, residentKernels, Tensor, type FloatArray } from '@latent/tensor'
import type { Parameter } from './module.js'

/** A zeroed array of the same type and length. */
/** Zeros like `like`, from tensor's allocator (so that inside withArena they land in the arena). */
function allocateLike(like: FloatArray): FloatArray {
  return allocate(like instanceof Float64Array ? 'float64' : 'float32', like.length)
}

/** Parameters as a list, or with names (model.namedParameters()), which checkpoints use. */
export type ParamList = readonly Parameter[] | readonly (readonly [string, Parameter])[]

interface ParamState {
  step: number
  buffers: Record<string, FloatArray>
}

/** An optimizer's state: per-parameter buffers (named `<param>.<buffer>`), step counts, hyperparameters. */
export interface OptimizerState {
  tensors: Map<string, Tensor>
  meta: { kind: string; lr: number; hyper: Record<string, number | boolean>; steps: Record<string, number> }
}

/**
 * The optimizers' shared part: parameters by name, the learning rate, per-parameter state, and
 * its checkpointing. A subclass gives `update`, the rule for one parameter.
 * @example
 *   const opt: Optimizer = new Adam(model.namedParameters(), { lr: 1e-3 })
 *   opt.zeroGrad(); backward(loss); opt.step()
 */
export abstract class Optimizer {
  readonly params: (readonly [string, Parameter])[]
  /** The learning rate; schedules change it between steps. */
  lr: number
  protected readonly state = new Map<Parameter, ParamState>()

  constructor(params: ParamList, lr: number) {
    if (!(lr >= 0)) throw new RangeError(`${this.constructor.name}: lr must be >= 0, got ${lr}`)
    this.params = params.map((p, i) => (Array.isArray(p) ? (p as readonly [string, Parameter]) : ([`param${i}`, p as Parameter] as const)))
    if (this.params.length === 0) throw new RangeError(`${this.constructor.name}: no parameters to optimize`)
    this.lr = lr
  }

  /** The hyperparameters (besides lr); checkpoints save and restore them, as PyTorch's param_groups. */
  abstract readonly options: Record<string, number | boolean>

  /** Every numeric hyperparameter must be >= 0, as PyTorch checks; constructors call this once `options` is set. */
  protected checkOptions(): void {
    for (const [k, v] of Object.entries(this.options)) if (typeof v === 'number' && !(v >= 0)) throw new RangeError(`${this.constructor.name}: ${k} must be >= 0, got ${v}`)
  }

  /** One update of parameter data p from gradient g, with this parameter's state s. */
  protected abstract update(p: FloatArray, g: FloatArray, s: ParamState): void

  /**
   * Applies one update to every parameter that has a gradient.
   * @example
   *   backward(loss); optimizer.step(); optimizer.zeroGrad()
   */
  step(): void {
    for (const [, p] of this.params) {
      if (!p.grad) continue
      let s = this.state.get(p)
      if (!s) this.state.set(p, (s = { step: 0, buffers: {} }))
      s.step++
      this.update(p.data.data, p.grad.data.data, s)
    }
  }

  /** Forgets the gradients of all parameters. @example optimizer.zeroGrad() */
  zeroGrad(): void {
    for (const [, p] of this.params) p.zeroGrad()
  }

  /**
   * Moves every state buffer to the storage `move` returns (same length), for example into an
   * arena of WASM memory for a training run and back out.
   * @example optimizer.relocateState((data) => data.slice())
   */
  relocateState(move: (data: FloatArray) => FloatArray): void {
    for (const s of this.state.values()) for (const [k, data] of Object.entries(s.buffers)) s.buffers[k] = move(data)
  }

  /** A zeroed buffer shaped like the parameter's data, created on first use. */
  protected buffer(s: ParamState, name: string, like: FloatArray): FloatArray {
    return (s.buffers[name] ??= allocateLike(like))
  }

  /**
   * The state, for checkpoints: buffers as tensors named `<parameter>.<buffer>`.
   * @example
   *   const { tensors, meta } = optimizer.stateDict()
   */
  stateDict(): OptimizerState {
    const tensors = new Map<string, Tensor>()
    const steps: Record<string, number> = {}
    for (const [name, p] of this.params) {
      const s = this.state.get(p)
      if (!s) continue
      steps[name] = s.step
      for (const [b, data] of Object.entries(s.buffers)) tensors.set(`${name}.${b}`, new Tensor(data.slice(), p.shape))
    }
    return { tensors, meta: { kind: this.constructor.name, lr: this.lr, hyper: { ...this.options }, steps } }
  }

  /**
   * Restores a state from stateDict. Everything is checked first: the kind, and every buffer's
   * parameter, shape and dtype; on a mismatch nothing changes.
   * @example
   *   optimizer.loadStateDict(saved)
   */
  loadStateDict(state: OptimizerState): void {
    const restored = this.checkStateDict(state)
    this.state.clear()
    for (const [p, s] of restored) this.state.set(p, s)
    this.lr = state.meta.lr
    Object.assign(this.options, state.meta.hyper)
  }

  /** Validates a state (throwing, naming the buffer, on a mismatch) and returns it ready to install; changes nothing. @example optimizer.checkStateDict(saved) */
  checkStateDict(state: OptimizerState): Map<Parameter, ParamState> {
    if (state.meta.kind !== this.constructor.name) throw new Error(`loadStateDict: the state is of a ${state.meta.kind}, this is a ${this.constructor.name}`)
    for (const [k, v] of Object.entries(state.meta.hyper ?? {})) {
      if (!(k in this.options) || typeof v !== typeof this.options[k]) throw new Error(`loadStateDict: unknown or mistyped hyperparameter '${k}' for ${this.constructor.name}`)
    }
    const byName = new Map(this.params)
    const restored = new Map<Parameter, ParamState>()
    for (const [name, step] of Object.entries(state.meta.steps)) {
      const p = byName.get(name)
      if (!p) throw new Error(`loadStateDict: the state has parameter '${name}', the optimizer has not`)
      restored.set(p, { step, buffers: {} })
    }
    for (const [key, t] of state.tensors) {
      const dot = key.lastIndexOf('.')
      const name = key.slice(0, dot)
      const p = byName.get(name)
      const s = p && restored.get(p)
      if (!p || !s) throw new Error(`loadStateDict: buffer '${key}' belongs to no parameter with a step count`)
      if (t.dtype !== p.dtype || formatShape(t.shape) !== formatShape(p.shape)) {
        throw new Error(`loadStateDict: buffer '${key}' is ${t.dtype} ${formatShape(t.shape)}, the parameter is ${p.dtype} ${formatShape(p.shape)}`)
      }
      s.buffers[key.slice(dot + 1)] = t.data.slice()
    }
    return restored
  }
}

/**
 * Stochastic gradient descent, torch.optim.SGD:
 *   g ← g + λp                                  (weight decay λ)
 *   b ← g at t = 1, else μb + (1 - τ)g          (momentum μ, dampening τ)
 *   g ← g + μb if nesterov, else b              (when μ ≠ 0)
 *   p ← p - γg                                  (learning rate γ)
 * @example new SGD(model.namedParameters(), { lr: 0.1, momentum: 0.9 })
 */
export class SGD extends Optimizer {
  readonly options: { momentum: number; dampening: number; nesterov: boolean; weightDecay: number }

  constructor(params: ParamList, options: { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number }) {
    super(params, options.lr)
    this.options = { momentum: options.momentum ?? 0, dampening: options.dampening ?? 0, nesterov: options.nesterov ?? false, weightDecay: options.weightDecay ?? 0 }
    this.checkOptions()
    if (this.options.nesterov && (this.options.momentum <= 0 || this.options.dampening !== 0)) throw new RangeError('SGD: Nesterov momentum needs momentum > 0 and zero dampening')
  }

  protected update(p: FloatArray, g: FloatArray, s: ParamState): void {
    const { momentum: mu, dampening, nesterov, weightDecay: wd } = this.options
    const lr = this.lr
    const first = s.buffers.momentum_buffer === undefined
    const buf = mu !== 0 ? this.buffer(s, 'momentum_buffer', p) : undefined
    for (let i = 0; i < p.length; i++) {
      let d = g[i] + wd * p[i]
      if (buf) {
        buf[i] = first ? d : mu * buf[i] + (1 - dampening) * d
        d = nesterov ? d + mu * buf[i] : buf[i]
      }
      p[i] -= lr * d
    }
  }
}

/**
 * RMSprop, torch.optim.RMSprop:
 *   g ← g + λp
 *   v ← αv + (1 - α)g²
 *   centered: m ← αm + (1 - α)g,  d = √(v - m²) + ε;   otherwise d = √v + ε
 *   momentum μ > 0: b ← μb + g/d,  p ← p - γb;          otherwise p ← p - γ g/d
 * @example new RMSprop(params, { lr: 0.01 })
 */
export class RMSprop extends Optimizer {
  readonly options: { alpha: number; eps: number; momentum: number; centered: boolean; weightDecay: number }

  constructor(params: ParamList, options: { lr?: number; alpha?: number; eps?: number; momentum?: number; centered?: boolean; weightDecay?: number } = {}) {
    super(params, options.lr ?? 0.01)
    this.options = { alpha: options.alpha ?? 0.99, eps: options.eps ?? 1e-8, momentum: options.momentum ?? 0, centered: options.centered ?? false, weightDecay: options.weightDecay ?? 0 }
    this.checkOptions()
  }

  protected update(p: FloatArray, g: FloatArray, s: ParamState): void {
    const { alpha, eps, momentum: mu, weightDecay: wd } = this.options
    const lr = this.lr
    const v = this.buffer(s, 'square_avg', p)
    const m = this.options.centered ? this.buffer(s, 'grad_avg', p) : undefined
    const buf = mu > 0 ? this.buffer(s, 'momentum_buffer', p) : undefined
    for (let i = 0; i < p.length; i++) {
      const d = g[i] + wd * p[i]
      v[i] = alpha * v[i] + (1 - alpha) * d * d
      let denom: number
      if (m) {
        m[i] = alpha * m[i] + (1 - alpha) * d
        denom = Math.sqrt(v[i] - m[i] * m[i]) + eps
      } else denom = Math.sqrt(v[i]) + eps
      if (buf) {
        buf[i] = mu * buf[i] + d / denom
        p[i] -= lr * buf[i]
      } else p[i] -= (lr * d) / denom
    }
  }
}

/**
 * Adam, torch.optim.Adam (Kingma and Ba 2015), and AdamW (Loshchilov and Hutter 2019):
 *   AdamW: p ← p(1 - γλ)                        (decoupled weight decay)
 *   Adam:  g ← g + λp                           (L2 weight decay)
 *   m ← β₁m + (1 - β₁)g,   v ← β₂v + (1 - β₂)g²
 *   amsgrad: v̂ ← max(v̂, v), else v̂ = v
 *   p ← p - (γ / (1 - β₁ᵗ)) · m / (√v̂ / √(1 - β₂ᵗ) + ε)
 * @example new Adam(model.namedParameters(), { lr: 1e-3 })
 */
export class Adam extends Optimizer {
  readonly options: { beta1: number; beta2: number; eps: number; weightDecay: number; amsgrad: boolean }
  protected readonly decoupled: boolean = false

  constructor(params: ParamList, options: { lr?: number; betas?: [number, number]; eps?: number; weightDecay?: number; amsgrad?: boolean } = {}) {
    super(params, options.lr ?? 1e-3)
    const [beta1, beta2] = options.betas ?? [0.9, 0.999]
    if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new RangeError(`${this.constructor.name}: betas must be in [0, 1), got ${beta1}, ${beta2}`)
    this.options = { beta1, beta2, eps: options.eps ?? 1e-8, weightDecay: options.weightDecay ?? 0, amsgrad: options.amsgrad ?? false }
    this.checkOptions()
  }

  protected update(p: FloatArray, g: FloatArray, s: ParamState): void {
    const { beta1: b1, beta2: b2, eps, weightDecay: wd } = this.options
    const lr = this.lr
    const m = this.buffer(s, 'exp_avg', p)
    const v = this.buffer(s, 'exp_avg_sq', p)
    const vMax = this.options.amsgrad ? this.buffer(s, 'max_exp_avg_sq', p) : undefined
    const stepSize = lr / (1 - b1 ** s.step)
    const correction2 = Math.sqrt(1 - b2 ** s.step)
    const decay = this.decoupled ? 1 - lr * wd : 1
    const l2 = this.decoupled ? 0 : wd
    // Constants hoisted, and m and v read once into locals: the loop is memory-bound.
    const keep1 = 1 - b1
    const keep2 = 1 - b2
    const inverseCorrection2 = 1 / correction2
    // Parameters, gradients and state in the kernel's WASM memory (fit's arenas): the same
    // update as the loop below, four floats at a time and in float32 (as PyTorch's float32 Adam).
    const simd = vMax ? undefined : residentKernels(p, g, m, v)
    const quads = p.length >> 2
    if (simd) simd.adam(p.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, quads, b1, b2, keep1, keep2, stepSize, inverseCorrection2, eps, decay, l2)
    for (let i = simd ? quads * 4 : 0; i < p.length; i++) {
      const w = p[i] * decay
      const d = g[i] + l2 * w
      const mi = b1 * m[i] + keep1 * d
      let vi = b2 * v[i] + keep2 * d * d
      m[i] = mi
      v[i] = vi
      if (vMax) vi = vMax[i] = Math.max(vMax[i], vi)
      p[i] = w - (stepSize * mi) / (Math.sqrt(vi) * inverseCorrection2 + eps)
    }
  }
}

/** Adam with decoupled weight decay (default λ = 0.01), torch.optim.AdamW; see {@link Adam}. @example new AdamW(params, { lr: 1e-3, weightDecay: 0.01 }) */
export class AdamW extends Adam {
  protected override readonly decoupled = true

  constructor(params: ParamList, options: { lr?: number; betas?: [number, number]; eps?: number; weightDecay?: number; amsgrad?: boolean } = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 0.01 })
  }
}

// ---- learning-rate schedules

/**
 * A schedule sets optimizer.lr from the epoch count; call step() once per epoch, as in PyTorch.
 * @example
 *   const schedule = new StepLR(optimizer, { stepSize: 10, gamma: 0.5 })
 *   for (let e = 0; e < 30; e++) { trainOneEpoch(); schedule.step() }
 */
export abstract class LRScheduler {
  readonly baseLr: number
  epoch = 0

  constructor(readonly optimizer: Optimizer) {
    this.baseLr = optimizer.lr
  }

  protected abstract lrAt(epoch: number): number

  /** Advances one epoch and sets the optimizer's learning rate. @example scheduler.step() */
  step(): void {
    this.epoch++
    this.optimizer.lr = this.lrAt(this.epoch)
  }
}

/** A decay factor must be >= 0: a negative one would make every other learning rate negative. */
function checkGamma(scheduler: string, gamma: number | undefined): void {
  if (gamma !== undefined && !(gamma >= 0)) throw new RangeError(`${scheduler}: gamma must be >= 0, got ${gamma}`)
}

/** lr = base · γ^⌊epoch / stepSize⌋ (torch StepLR). @example new StepLR(opt, { stepSize: 10, gamma: 0.5 }) */
export class StepLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly options: { stepSize: number; gamma?: number }) {
    super(optimizer)
    checkGamma('StepLR', options.gamma)
    if (!(Number.isInteger(options.stepSize) && options.stepSize > 0)) throw new RangeError(`StepLR: stepSize must be a positive integer, got ${options.stepSize}`)
  }

  protected lrAt(epoch: number): number {
    return this.baseLr * (this.options.gamma ?? 0.1) ** Math.floor(epoch / this.options.stepSize)
  }
}

/** lr = base · γ^epoch (torch ExponentialLR). @example new ExponentialLR(opt, { gamma: 0.95 }) */
export class ExponentialLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly options: { gamma: number }) {
    super(optimizer)
    checkGamma('ExponentialLR', options.gamma)
  }

  protected lrAt(epoch: number): number {
    return this.baseLr * this.options.gamma ** epoch
  }
}

/** lr = η_min + (base - η_min)(1 + cos(π·epoch / T_max))/2 (torch CosineAnnealingLR, closed form). @example new CosineAnnealingLR(opt, { tMax: 50 }) */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly options: { tMax: number; etaMin?: number }) {
    super(optimizer)
    if (!(options.tMax > 0)) throw new RangeError(`CosineAnnealingLR: tMax must be > 0, got ${options.tMax}`)
  }

  protected lrAt(epoch: number): number {
    const etaMin = this.options.etaMin ?? 0
    return etaMin + ((this.baseLr - etaMin) * (1 + Math.cos((Math.PI * epoch) / this.options.tMax))) / 2
  }
}

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

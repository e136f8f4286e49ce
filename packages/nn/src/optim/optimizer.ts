/**
 * The optimizers' shared part: parameters by name, the learning rate, each parameter's state
 * (its step count and buffers, made when the optimizer is), and checkpointing of that state. A
 * subclass gives `update`, the rule for one parameter, which calls a fused update of
 * @latent/tensor (ops/optim.ts): one pass, in place, recording nothing.
 *
 * A parameter without a gradient (frozen, or unused) is skipped, and its step count does not
 * advance, as in PyTorch; its buffers exist but are not saved until it has taken a step.
 */
import { formatShape, Tensor, zeros } from '@latent/tensor'
import { Parameter } from '../module.js'

/** Parameters, by themselves or with names (model.namedParameters()), which checkpoints use. */
type Params = readonly Parameter[] | readonly (readonly [string, Parameter])[]

/**
 * Some of the parameters with a learning rate or a weight decay of their own, as PyTorch's
 * parameter groups: biases without weight decay, a pretrained encoder at a tenth of the rate.
 * A group's `lr` is kept as a multiple of the optimizer's, so a schedule scales every group.
 */
export interface ParamGroup { params: Params; lr?: number; weightDecay?: number }

/** Parameters as a list, with names, or in groups ({ params, lr?, weightDecay? }). */
export type ParamList = Params | readonly ParamGroup[]

/** What a parameter's group changes: a factor on the learning rate and, if given, the weight decay. */
interface GroupSettings { lrScale: number; weightDecay?: number }

export interface ParamState {
  step: number
  buffers: Record<string, Tensor>
}

/** An optimizer's state: per-parameter buffers (named `<param>.<buffer>`), step counts, hyperparameters. */
export interface OptimizerState {
  tensors: Map<string, Tensor>
  meta: { kind: string; lr: number; hyper: Record<string, number | boolean>; steps: Record<string, number> }
}

/**
 * The base class of SGD, RMSprop, Adam and AdamW.
 * @example
 *   const opt: Optimizer = new Adam(model.namedParameters(), { lr: 1e-3 })
 *   opt.zeroGrad(); backward(loss); opt.step()
 */
export abstract class Optimizer {
  readonly params: (readonly [string, Parameter])[]
  /** The learning rate; schedules change it between steps. */
  lr: number
  protected readonly state = new Map<Parameter, ParamState>()
  private readonly groups = new Map<Parameter, GroupSettings>()

  constructor(params: ParamList, lr: number) {
    const name = new.target.name
    const isGroup = (g: unknown): g is ParamGroup => !(g instanceof Parameter) && !Array.isArray(g)
    if (params.some(isGroup) && !params.every(isGroup)) {
      throw new TypeError(`${name}: give parameters, or groups of them ({ params, ... }), not both in one list`)
    }
    const groups = params.every(isGroup) ? params : [{ params: params as Params }]
    this.params = []
    for (const group of groups) {
      const { params: list, lr: groupLr, weightDecay, ...unknown } = group
      if (Object.keys(unknown).length > 0) {
        throw new RangeError(`${name}: a parameter group takes params, lr and weightDecay, not ${Object.keys(unknown)}`)
      }
      for (const [key, v] of [['lr', groupLr], ['weightDecay', weightDecay]] as const) {
        if (v !== undefined && !(v >= 0 && Number.isFinite(v))) {
          throw new RangeError(`${name}: a group's ${key} must be a finite number >= 0, got ${v}`)
        }
      }
      if (groupLr !== undefined && !(lr > 0)) throw new RangeError(`${name}: group learning rates need lr > 0`)
      for (const p of list) {
        const named: readonly [string, Parameter] = Array.isArray(p) ? (p as readonly [string, Parameter])
          : [`param${this.params.length}`, p as Parameter]
        if (this.groups.has(named[1])) throw new RangeError(`${name}: parameter '${named[0]}' is given twice`)
        this.groups.set(named[1], { lrScale: groupLr === undefined ? 1 : groupLr / lr, weightDecay })
        this.params.push(named)
      }
    }
    if (this.params.length === 0) throw new RangeError(`${name}: no parameters to optimize`)
    this.lr = lr
  }

  /** The hyperparameters (besides lr); checkpoints save and restore them, as PyTorch's param_groups. */
  abstract readonly options: Record<string, number | boolean>

  /** The buffers each parameter needs with the current options, e.g. ['exp_avg', 'exp_avg_sq']. */
  protected abstract bufferNames(): string[]

  /**
   * One update of parameter p (its data, in place) from its gradient g, with its state s, at
   * learning rate lr and with the hyperparameters o (its group's).
   */
  protected abstract update(p: Tensor, g: Tensor, s: ParamState, lr: number, o: this['options']): void

  /** A parameter's state, its buffers made (zeros) when first needed. */
  protected stateOf(p: Parameter): ParamState {
    let s = this.state.get(p)
    if (!s) this.state.set(p, (s = { step: 0, buffers: {} }))
    for (const name of this.bufferNames()) s.buffers[name] ??= zeros(p.shape, { dtype: p.dtype })
    return s
  }

  /** Subclass constructors call this once their options are set: every parameter's buffers exist from the start. */
  protected createState(): void {
    for (const [, p] of this.params) this.stateOf(p)
  }

  /**
   * Every state buffer, so that a training run can place them with the parameters (nn's placement).
   * @example optimizer.stateTensors().length // 2 per parameter for Adam
   */
  stateTensors(): Tensor[] {
    return this.params.flatMap(([, p]) => Object.values(this.stateOf(p).buffers))
  }

  /**
   * Applies one update to every parameter that has a gradient.
   * @example
   *   backward(loss); optimizer.step(); optimizer.zeroGrad()
   */
  step(): void {
    for (const [, p] of this.params) {
      if (!p.grad) continue
      const s = this.stateOf(p)
      s.step++
      const { lrScale, weightDecay } = this.groups.get(p)!
      const o = weightDecay === undefined ? this.options : { ...this.options, weightDecay }
      this.update(p.data, p.grad.data, s, this.lr * lrScale, o)
    }
  }

  /** Forgets the gradients of all parameters. @example optimizer.zeroGrad() */
  zeroGrad(): void {
    for (const [, p] of this.params) p.zeroGrad()
  }

  /**
   * The state, for checkpoints: the buffers of every parameter that has taken a step, copied,
   * as tensors named `<parameter>.<buffer>`.
   * @example
   *   const { tensors, meta } = optimizer.stateDict()
   */
  stateDict(): OptimizerState {
    const tensors = new Map<string, Tensor>()
    const steps: Record<string, number> = {}
    for (const [name, p] of this.params) {
      const s = this.state.get(p)
      if (!s || s.step === 0) continue
      steps[name] = s.step
      for (const [b, t] of Object.entries(s.buffers)) tensors.set(`${name}.${b}`, new Tensor(t.data.slice(), t.shape))
    }
    return { tensors, meta: { kind: this.constructor.name, lr: this.lr, hyper: { ...this.options }, steps } }
  }

  /**
   * Restores a state from stateDict. Everything is checked first (the kind, every buffer's
   * parameter, shape and dtype): on a mismatch nothing changes. Parameters the state does not
   * mention start over (step 0, zero buffers). Buffers are written in place.
   * @example
   *   optimizer.loadStateDict(saved)
   */
  loadStateDict(state: OptimizerState): void {
    const restored = this.checkStateDict(state)
    this.lr = state.meta.lr
    Object.assign(this.options, state.meta.hyper) // first: the options decide which buffers exist
    for (const [, p] of this.params) {
      const s = this.stateOf(p)
      const saved = restored.get(p)
      s.step = saved?.step ?? 0
      for (const [b, t] of Object.entries(s.buffers)) {
        const from = saved?.buffers[b]
        if (from) t.data.set(from.data)
        else t.data.fill(0)
      }
    }
  }

  /**
   * Validates a state (throwing, naming the buffer, on a mismatch); changes nothing.
   * @example optimizer.checkStateDict(saved)
   */
  checkStateDict(state: OptimizerState): Map<Parameter, ParamState> {
    if (typeof state?.tensors?.get !== 'function' || typeof state?.meta !== 'object') {
      throw new TypeError('loadStateDict: expected { tensors, meta }, as stateDict() returns')
    }
    if (state.meta.kind !== this.constructor.name) {
      throw new Error(`loadStateDict: the state is of a ${state.meta.kind}, this is a ${this.constructor.name}`)
    }
    for (const [k, v] of Object.entries(state.meta.hyper ?? {})) {
      if (!(k in this.options) || typeof v !== typeof this.options[k]) {
        throw new Error(`loadStateDict: unknown or mistyped hyperparameter '${k}' for ${this.constructor.name}`)
      }
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
      const p = byName.get(key.slice(0, dot))
      const s = p && restored.get(p)
      if (!p || !s) throw new Error(`loadStateDict: buffer '${key}' belongs to no parameter with a step count`)
      if (t.dtype !== p.dtype || formatShape(t.shape) !== formatShape(p.shape)) {
        throw new Error(`loadStateDict: buffer '${key}' is ${t.dtype} ${formatShape(t.shape)}, ` +
          `the parameter is ${p.dtype} ${formatShape(p.shape)}`)
      }
      s.buffers[key.slice(dot + 1)] = t
    }
    return restored
  }
}

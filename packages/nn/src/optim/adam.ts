/** Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019), torch.optim.Adam and AdamW. */
import { adamUpdate, type Tensor } from '@latent/tensor'
import { resolveOptions, type Given, type Like } from '../options.js'
import { Optimizer, type ParamList, type ParamState } from './optimizer.js'

/**
 * Adam's options: defaults, ranges and help, in one place (the command line prints them from here).
 * @example ADAM_OPTIONS.lr.default // 0.001
 */
export const ADAM_OPTIONS = {
  lr: { type: 'number', default: 1e-3, min: 0, help: 'learning rate' },
  beta1: { type: 'number', default: 0.9, min: 0, below: 1, help: 'decay β₁ of the mean' },
  beta2: { type: 'number', default: 0.999, min: 0, below: 1, help: 'decay β₂ of the mean square' },
  eps: { type: 'number', default: 1e-8, min: 0, help: 'ε added to the denominator' },
  weightDecay: { type: 'number', default: 0, min: 0, help: 'weight decay λ (L2; decoupled in AdamW)' },
  amsgrad: { type: 'boolean', default: false, help: 'the maximum of past mean squares (AMSGrad)' },
} as const

/** AdamW's: Adam's, with λ = 0.01 by default. @example ADAMW_OPTIONS.weightDecay.default // 0.01 */
export const ADAMW_OPTIONS = { ...ADAM_OPTIONS, weightDecay: { ...ADAM_OPTIONS.weightDecay, default: 0.01 } } as const

/** Adam's options as PyTorch spells them: the two decays as `betas`. */
export type AdamOptions = Omit<Given<typeof ADAM_OPTIONS>, 'beta1' | 'beta2'> & { betas?: [number, number] }

/**
 * Adam, torch.optim.Adam:
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

  constructor(params: ParamList, options: AdamOptions = {}, table: Like<typeof ADAM_OPTIONS> = ADAM_OPTIONS) {
    const { betas, ...given } = options
    const name = new.target.name
    if (betas !== undefined && (!Array.isArray(betas) || betas.length !== 2)) {
      throw new RangeError(`${name}: betas must be two numbers, got ${String(betas)}`)
    }
    const { lr, ...rest } = resolveOptions(name, table,
      { ...given, ...(betas ? { beta1: betas[0], beta2: betas[1] } : {}) })
    super(params, lr)
    this.options = rest
    this.createState()
  }

  protected bufferNames(): string[] {
    return ['exp_avg', 'exp_avg_sq', ...(this.options.amsgrad ? ['max_exp_avg_sq'] : [])]
  }

  protected update(p: Tensor, g: Tensor, s: ParamState, lr: number, o: this['options']): void {
    const b = s.buffers
    const vMax = o.amsgrad ? b.max_exp_avg_sq : undefined
    adamUpdate(p, g, b.exp_avg, b.exp_avg_sq, vMax, { lr, ...o, decoupled: this.decoupled, step: s.step })
  }
}

/**
 * Adam with decoupled weight decay (default λ = 0.01), torch.optim.AdamW; see {@link Adam}.
 * @example new AdamW(params, { lr: 1e-3, weightDecay: 0.01 })
 */
export class AdamW extends Adam {
  protected override readonly decoupled = true

  constructor(params: ParamList, options: AdamOptions = {}) {
    super(params, options, ADAMW_OPTIONS)
  }
}

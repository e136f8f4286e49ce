/** RMSprop, torch.optim.RMSprop. */
import { rmspropUpdate, type Tensor } from '@latent/tensor'
import { resolveOptions, type Given } from '../options.js'
import { Optimizer, type ParamList, type ParamState } from './optimizer.js'

/** RMSprop's options: defaults, ranges and help, in one place. @example RMSPROP_OPTIONS.alpha.default // 0.99 */
export const RMSPROP_OPTIONS = {
  lr: { type: 'number', default: 0.01, min: 0, help: 'learning rate' },
  alpha: { type: 'number', default: 0.99, min: 0, help: 'smoothing constant α of the mean square' },
  eps: { type: 'number', default: 1e-8, min: 0, help: 'ε added to the denominator' },
  momentum: { type: 'number', default: 0, min: 0, help: 'momentum μ' },
  centered: { type: 'boolean', default: false, help: 'normalize by the variance of the gradient' },
  weightDecay: { type: 'number', default: 0, min: 0, help: 'L2 weight decay λ' },
} as const

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

  constructor(params: ParamList, options: Given<typeof RMSPROP_OPTIONS> = {}) {
    const { lr, ...rest } = resolveOptions('RMSprop', RMSPROP_OPTIONS, options)
    super(params, lr)
    this.options = rest
    this.createState()
  }

  protected bufferNames(): string[] {
    return ['square_avg', ...(this.options.centered ? ['grad_avg'] : []),
      ...(this.options.momentum > 0 ? ['momentum_buffer'] : [])]
  }

  protected update(p: Tensor, g: Tensor, s: ParamState, lr: number, o: this['options']): void {
    const b = s.buffers
    const momentum = o.momentum > 0 ? b.momentum_buffer : undefined
    rmspropUpdate(p, g, b.square_avg, o.centered ? b.grad_avg : undefined, momentum, { lr, ...o })
  }
}

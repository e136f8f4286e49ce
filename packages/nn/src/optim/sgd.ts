/** Stochastic gradient descent, torch.optim.SGD. */
import { sgdUpdate, type Tensor } from '@latent/tensor'
import { resolveOptions, type Given } from '../options.js'
import { Optimizer, type ParamList, type ParamState } from './optimizer.js'

/**
 * SGD's options: defaults, ranges and help, in one place (the command line prints them from here).
 * @example SGD_OPTIONS.lr.default // 0.01
 */
export const SGD_OPTIONS = {
  lr: { type: 'number', default: 0.01, min: 0, help: 'learning rate' },
  momentum: { type: 'number', default: 0, min: 0, help: 'momentum μ' },
  dampening: { type: 'number', default: 0, min: 0, help: 'dampening τ of the momentum' },
  nesterov: { type: 'boolean', default: false, help: 'Nesterov momentum' },
  weightDecay: { type: 'number', default: 0, min: 0, help: 'L2 weight decay λ' },
} as const

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

  constructor(params: ParamList, options: Given<typeof SGD_OPTIONS> = {}) {
    const { lr, ...rest } = resolveOptions('SGD', SGD_OPTIONS, options)
    super(params, lr)
    this.options = rest
    if (rest.nesterov && (rest.momentum <= 0 || rest.dampening !== 0)) {
      throw new RangeError('SGD: Nesterov momentum needs momentum > 0 and zero dampening')
    }
    this.createState()
  }

  protected bufferNames(): string[] {
    return this.options.momentum !== 0 ? ['momentum_buffer'] : []
  }

  protected update(p: Tensor, g: Tensor, s: ParamState, lr: number, o: this['options']): void {
    sgdUpdate(p, g, o.momentum !== 0 ? s.buffers.momentum_buffer : undefined, { lr, ...o, first: s.step === 1 })
  }
}

/** Learning-rate schedules, as torch.optim.lr_scheduler's: call step() once per epoch. */
import type { Optimizer } from './optimizer.js'

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
    if (!(Number.isInteger(options.stepSize) && options.stepSize > 0)) {
      throw new RangeError(`StepLR: stepSize must be a positive integer, got ${options.stepSize}`)
    }
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

/**
 * lr = η_min + (base - η_min)(1 + cos(π·epoch / T_max))/2 (torch CosineAnnealingLR, closed form).
 * @example new CosineAnnealingLR(opt, { tMax: 50 })
 */
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

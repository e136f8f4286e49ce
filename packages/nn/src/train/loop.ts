/**
 * The training loop: epochs of shuffled minibatches, each a step (zeroGrad, the loss, backward,
 * optional clipping, the optimizer's update) run by the placement (placement.ts), with the loss
 * parts averaged per epoch, validation figures after each epoch, early stopping, callbacks, a
 * stop signal checked between batches, and a stop before any update whose loss is not finite.
 * Everything random comes from the generators passed in (shuffling) or owned by the model, so
 * the same seeds give the same run, wherever its tensors live and on any number of threads.
 *
 * Autoencoders' `fit` and the classifier training of feature extraction are this loop with their
 * own loss; a loop written by hand gets the same speed from `placeTraining`.
 */
import { backward, type Value } from '@latent/autodiff'
import { type Rng, type Tensor } from '@latent/tensor'
import { batchIndices, gatherRows, type Rows } from '../data.js'
import type { Module } from '../module.js'
import { clipGradNorm } from '../optim/clip.js'
import type { Optimizer } from '../optim/optimizer.js'
import { placeTraining, type PlacementName } from './placement.js'

/** A batch's objective in parts; `total` is what training minimizes. */
export interface LossParts {
  total: Value
  [part: string]: Value
}

export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number
  /** Every loss part, averaged over the epoch's samples. */
  train: Record<string, number>
  validation?: Record<string, number>
  seconds: number
}

export interface History {
  epochs: EpochRecord[]
  /**
   * 'diverged': a batch's total loss was NaN or infinite (see `diverged`). That batch's update
   * was not applied, and training stopped there.
   */
  stopped: 'completed' | 'early stopping' | 'interrupted' | 'diverged'
  /** With early stopping: the epoch whose weights the model holds at the end. */
  bestEpoch?: number
  /** Where the loss stopped being finite, when `stopped` is 'diverged'. */
  diverged?: { epoch: number; batch: number; total: number }
}

export interface BatchInfo {
  epoch: number
  batch: number
  batches: number
  samples: number
  /** The batch's loss parts. */
  parts: Record<string, number>
}

export interface TrainOptions {
  epochs: number
  batchSize: number
  optimizer: Optimizer
  /** Shuffles the batches. */
  rng: Rng
  /** The objective of a batch: the same rows of every data tensor, gathered inside the step. */
  loss(batch: Tensor[]): LossParts
  /** Figures computed after every epoch, e.g. the validation loss parts (evaluation mode is up to it). */
  validate?(): Record<string, number>
  /**
   * Stop when the monitored total (validation's, else training's) has not improved by minDelta
   * for `patience` epochs.
   */
  earlyStopping?: { patience: number; minDelta?: number; restoreBest?: boolean }
  callbacks?: {
    onBatchEnd?(info: BatchInfo): void
    /** Return 'stop' to end training after this epoch. */
    onEpochEnd?(record: EpochRecord, history: History): void | 'stop'
  }
  /** Checked between batches: set `aborted` to stop (the history then ends with the last whole epoch). */
  signal?: { aborted: boolean }
  /** Epoch numbering starts after this (resuming). */
  initialEpoch?: number
  /** Clip the global gradient norm to this value. */
  clipNorm?: number
  /** Where the run keeps its tensors (placement.ts): 'auto' by default. */
  placement?: PlacementName
  /** The name errors give the caller (default 'train'; autoencoders' fit passes 'fit'). */
  caller?: string
}

function accumulate(sums: Record<string, number>, parts: LossParts, weight: number): Record<string, number> {
  const values: Record<string, number> = {}
  for (const [k, v] of Object.entries(parts)) {
    values[k] = v.item()
    sums[k] = (sums[k] ?? 0) + values[k] * weight
  }
  return values
}

/** Each part's sum divided by n. @example averageParts({ total: 6 }, 3) // { total: 2 } */
export function averageParts(sums: Record<string, number>, n: number): Record<string, number> {
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]))
}

function checkOptions(model: Module, data: readonly Rows[], options: TrainOptions): number {
  const op = options.caller ?? 'train'
  if (!Array.isArray(data) || data.length === 0) {
    throw new TypeError(`${op}: data must be an array of tensors, e.g. [x] or [x, y]`)
  }
  const rows = data[0].shape[0]
  if (data.some((t) => t.shape.length === 0 || t.shape[0] !== rows)) {
    throw new RangeError(`${op}: every data tensor must have the same number of rows, ` +
      `got ${data.map((t) => t.shape[0] ?? 'none').join(' and ')}`)
  }
  if (rows === 0) throw new RangeError(`${op}: the data has no rows`)
  const { epochs, batchSize, optimizer, rng } = options
  if (!(Number.isInteger(epochs) && epochs >= 0)) {
    throw new RangeError(`${op}: epochs must be a non-negative integer, got ${epochs}`)
  }
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new RangeError(`${op}: batchSize must be a positive integer, got ${batchSize}`)
  }
  if (!rng) throw new TypeError(`${op}: pass { rng } (a seeded Rng) for the shuffling`)
  if (typeof optimizer?.step !== 'function') {
    throw new TypeError(`${op}: pass { optimizer } (an Optimizer over the model's parameters)`)
  }
  if (typeof options.loss !== 'function') {
    throw new TypeError(`${op}: pass { loss } (a function from a batch to its loss parts)`)
  }
  if (!(model.parameters().length > 0)) throw new RangeError(`${op}: the model has no parameters`)
  return rows
}

/**
 * The training loop, paused after every batch (the yield), so that `train` and `trainAsync`
 * share it.
 * @example const steps = training(model, [x], options); while (!steps.next().done) {}
 */
export function* training(model: Module, data: readonly Rows[], options: TrainOptions): Generator<void, History> {
  const rows = checkOptions(model, data, options)
  const history: History = { epochs: [], stopped: 'completed' }
  const placement = placeTraining(model, options.optimizer,
    { placement: options.epochs === 0 ? 'ordinary' : options.placement })
  let bestState: Map<string, Float32Array | Float64Array> | undefined
  try {
    bestState = yield* epochs(model, data, rows, options, history, placement.step.bind(placement))
  } finally {
    placement.release()
  }
  if (bestState && history.stopped === 'early stopping') {
    for (const [name, p] of model.namedParameters()) p.data.data.set(bestState.get(name)!)
  }
  return history
}

/** The epochs of `training`, filling `history`; returns the best weights when early stopping kept them. */
function* epochs(
  model: Module, data: readonly Rows[], rows: number, options: TrainOptions, history: History,
  step: <T>(fn: () => T) => T,
): Generator<void, Map<string, Float32Array | Float64Array> | undefined> {
  const { batchSize, optimizer, rng } = options
  const nBatches = Math.ceil(rows / batchSize)
  const patience = options.earlyStopping?.patience
  let best = Infinity
  let bestState: Map<string, Float32Array | Float64Array> | undefined
  let sinceBest = 0
  for (let e = 1; e <= options.epochs; e++) {
    const epoch = (options.initialEpoch ?? 0) + e
    const start = performance.now()
    model.train()
    const sums: Record<string, number> = {}
    let b = 0
    for (const idx of batchIndices(rows, { batchSize, rng })) {
      // The rows are gathered inside the step, so that an arena step gathers them into its arena;
      // the numbers are read inside too, before the next step empties it.
      const values = step(() => {
        optimizer.zeroGrad()
        const parts = options.loss(data.map((t) => gatherRows(t, idx)))
        backward(parts.total)
        if (options.clipNorm !== undefined) clipGradNorm(model.parameters(), options.clipNorm)
        const values = accumulate(sums, parts, idx.length)
        // A NaN or infinite loss would make every weight NaN in the update: stop before it.
        if (Number.isFinite(values.total)) optimizer.step()
        return values
      })
      b++
      if (!Number.isFinite(values.total)) {
        history.stopped = 'diverged'
        history.diverged = { epoch, batch: b, total: values.total }
        return bestState
      }
      options.callbacks?.onBatchEnd?.({ epoch, batch: b, batches: nBatches, samples: idx.length, parts: values })
      yield
      if (options.signal?.aborted) {
        history.stopped = 'interrupted'
        return bestState
      }
    }
    const record: EpochRecord = { epoch, train: averageParts(sums, rows), seconds: 0 }
    if (options.validate) record.validation = options.validate()
    record.seconds = (performance.now() - start) / 1000
    history.epochs.push(record)
    const verdict = options.callbacks?.onEpochEnd?.(record, history)
    if (patience !== undefined) {
      const monitored = (record.validation ?? record.train).total
      if (monitored < best - (options.earlyStopping?.minDelta ?? 0)) {
        best = monitored
        sinceBest = 0
        history.bestEpoch = epoch
        if (options.earlyStopping?.restoreBest ?? true) {
          bestState = new Map(model.namedParameters().map(([k, p]) => [k, p.data.data.slice()]))
        }
      } else if (++sinceBest >= patience) {
        history.stopped = 'early stopping'
        break
      }
    }
    if (verdict === 'stop') {
      history.stopped = 'interrupted'
      break
    }
  }
  return bestState
}

/**
 * Trains `model` on the rows of `data` (one or more tensors, batched together) by minimizing
 * `options.loss`. If a batch's loss is NaN or infinite, training stops before that batch's
 * update, with `stopped: 'diverged'` and `diverged` saying where.
 * @example
 *   const history = train(model, [x, y], { epochs: 5, batchSize: 32, optimizer, rng,
 *     loss: ([xb, yb]) => ({ total: crossEntropyLoss(model.call(xb), yb.data) }) })
 */
export function train(model: Module, data: readonly Rows[], options: TrainOptions): History {
  const steps = training(model, data, options)
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

/**
 * {@link train}, giving the event loop a turn between batches (at most every 50 ms), so that
 * events (Ctrl-C, a stop button, timers) can set `signal.aborted` while training runs.
 * @example const history = await trainAsync(model, [x], { ...options, signal })
 */
export async function trainAsync(model: Module, data: readonly Rows[], options: TrainOptions): Promise<History> {
  const steps = training(model, data, options)
  let last = performance.now()
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
    if (performance.now() - last > 50) {
      await new Promise<void>((resolve) =>
        (globalThis.setImmediate ? globalThis.setImmediate(resolve) : setTimeout(resolve, 0)))
      last = performance.now()
    }
  }
}

/**
 * Training: `fit` runs epochs of shuffled minibatches, minimizing the model's `loss(x).total`,
 * and returns the history of every loss part, averaged per epoch, for training and validation.
 * Everything random comes from generators passed in (shuffling) or owned by the model (noise,
 * sampling), so the same seeds give the same run. Training can be stopped between batches.
 */
import { backward, noGrad } from '@latent/autodiff'
import { batches, clipGradNorm, type Optimizer } from '@latent/nn'
import { gather, type Rng, type Tensor } from '@latent/tensor'
import { type Autoencoder, checkBatch } from './autoencoder.js'

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
  stopped: 'completed' | 'early stopping' | 'interrupted'
  /** With early stopping: the epoch whose weights the model holds at the end. */
  bestEpoch?: number
}

export interface BatchInfo {
  epoch: number
  batch: number
  batches: number
  samples: number
  /** The batch's loss parts. */
  parts: Record<string, number>
}

export interface FitOptions {
  epochs: number
  batchSize: number
  optimizer: Optimizer
  /** Shuffles the batches. */
  rng: Rng
  /** Validation data, evaluated after every epoch in evaluation mode. */
  validation?: Tensor
  /** Stop when the monitored total has not improved by minDelta for `patience` epochs. */
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
}

function accumulate(sums: Record<string, number>, parts: Record<string, { item(): number }>, weight: number): Record<string, number> {
  const values: Record<string, number> = {}
  for (const [k, v] of Object.entries(parts)) {
    values[k] = v.item()
    sums[k] = (sums[k] ?? 0) + values[k] * weight
  }
  return values
}

const average = (sums: Record<string, number>, n: number): Record<string, number> => Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]))

/**
 * The model's loss parts averaged over data, in evaluation mode (no noise, no recording).
 * @example evaluate(ae, xTest, 256) // { total, reconstruction, ... }
 */
export function evaluate(model: Autoencoder, x: Tensor, batchSize = 256): Record<string, number> {
  checkBatch('evaluate', x)
  const was = model.training
  model.eval()
  try {
    return noGrad(() => {
      const sums: Record<string, number> = {}
      for (let at = 0; at < x.shape[0]; at += batchSize) {
        const idx = Array.from({ length: Math.min(batchSize, x.shape[0] - at) }, (_, i) => at + i)
        accumulate(sums, model.loss(gather(x, idx)), idx.length)
      }
      return average(sums, x.shape[0])
    })
  } finally {
    model.train(was)
  }
}

/**
 * Trains an autoencoder on the rows of x.
 * @example
 *   const history = fit(ae, xTrain, { epochs: 5, batchSize: 64, optimizer: new Adam(ae.namedParameters()), rng: new Rng(1), validation: xTest })
 *   history.epochs.at(-1)!.validation!.reconstruction
 */
export function fit(model: Autoencoder, x: Tensor, options: FitOptions): History {
  const steps = training(model, x, options)
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

/**
 * {@link fit}, giving the event loop a turn between batches (at most every 50 ms), so that
 * events (Ctrl-C, a stop button, timers) can set `signal.aborted` while training runs.
 * @example const history = await fitAsync(ae, xTrain, { epochs: 5, batchSize: 64, optimizer, rng, signal })
 */
export async function fitAsync(model: Autoencoder, x: Tensor, options: FitOptions): Promise<History> {
  const steps = training(model, x, options)
  let last = performance.now()
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
    if (performance.now() - last > 50) {
      await new Promise<void>((resolve) => (globalThis.setImmediate ? globalThis.setImmediate(resolve) : setTimeout(resolve, 0)))
      last = performance.now()
    }
  }
}

/** The training loop, paused after every batch (the yield), so that fit and fitAsync share it. */
function* training(model: Autoencoder, x: Tensor, options: FitOptions): Generator<void, History> {
  checkBatch('fit', x)
  const { epochs, batchSize, optimizer, rng } = options
  if (!(Number.isInteger(epochs) && epochs >= 0)) throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}`)
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`fit: batchSize must be a positive integer, got ${batchSize}`)
  if (!rng) throw new TypeError('fit: pass { rng } (a seeded Rng) for the shuffling')
  if (options.validation) checkBatch('fit (validation)', options.validation, x.shape[1])
  const history: History = { epochs: [], stopped: 'completed' }
  const nBatches = Math.ceil(x.shape[0] / batchSize)
  const patience = options.earlyStopping?.patience
  let best = Infinity
  let bestState: Map<string, Float32Array | Float64Array> | undefined
  let sinceBest = 0
  for (let e = 1; e <= epochs; e++) {
    const epoch = (options.initialEpoch ?? 0) + e
    const start = performance.now()
    model.train()
    const sums: Record<string, number> = {}
    let b = 0
    for (const [xb] of batches([x], { batchSize, rng })) {
      optimizer.zeroGrad()
      const parts = model.loss(xb)
      backward(parts.total)
      if (options.clipNorm !== undefined) clipGradNorm(model.parameters(), options.clipNorm)
      optimizer.step()
      const values = accumulate(sums, parts, xb.shape[0])
      options.callbacks?.onBatchEnd?.({ epoch, batch: ++b, batches: nBatches, samples: xb.shape[0], parts: values })
      yield
      if (options.signal?.aborted) {
        history.stopped = 'interrupted'
        return history
      }
    }
    const record: EpochRecord = { epoch, train: average(sums, x.shape[0]), seconds: 0 }
    if (options.validation) record.validation = evaluate(model, options.validation, batchSize)
    record.seconds = (performance.now() - start) / 1000
    history.epochs.push(record)
    const verdict = options.callbacks?.onEpochEnd?.(record, history)
    if (patience !== undefined) {
      const monitored = (record.validation ?? record.train).total
      if (monitored < best - (options.earlyStopping?.minDelta ?? 0)) {
        best = monitored
        sinceBest = 0
        history.bestEpoch = epoch
        if (options.earlyStopping?.restoreBest ?? true) bestState = new Map(model.namedParameters().map(([k, p]) => [k, p.data.data.slice()]))
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
  if (bestState && history.stopped === 'early stopping') {
    for (const [name, p] of model.namedParameters()) p.data.data.set(bestState.get(name)!)
  }
  return history
}

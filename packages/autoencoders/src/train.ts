/**
 * Training: `fit` runs epochs of shuffled minibatches, minimizing the model's `loss(x).total`,
 * and returns the history of every loss part, averaged per epoch, for training and validation.
 * Everything random comes from generators passed in (shuffling) or owned by the model (noise,
 * sampling), so the same seeds give the same run. Training can be stopped between batches.
 */
import { backward, noGrad } from '@latent/autodiff'
import { batchIndices, clipGradNorm, type Optimizer } from '@latent/nn'
import { Arena, withArena } from '@latent/tensor'
import { gather, type Rng, Tensor } from '@latent/tensor'
import { type Autoencoder, checkBatch, type LossParts } from './autoencoder.js'

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
  /**
   * Keep parameters, optimizer state and each step's temporaries in WASM memory while training
   * (default true where the WASM backend runs; see `Resident`). Set false to train in ordinary
   * memory, for example to compare.
   */
  resident?: boolean
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
 * Trains an autoencoder on the rows of x. If a batch's loss is NaN or infinite (a learning
 * rate too high, NaN in the data), training stops before that batch's update, with
 * `stopped: 'diverged'` and `diverged` saying where.
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

/**
 * Training resident in WASM memory. With the WASM backend, parameters and optimizer state move
 * into one arena for the run and every step's temporaries are made in another, emptied after the
 * step; products then read and write in place, and the elementwise work and the Adam update run
 * as SIMD kernels (an order of magnitude faster than the JavaScript loops: `pnpm bench
 * elementwise`). At the end everything moves back to ordinary memory. When an arena fills up,
 * tensors fall back to ordinary memory: slower, never wrong.
 */
class Resident {
  private constructor(private readonly model: Autoencoder, private readonly optimizer: Optimizer, private readonly run: Arena, private readonly temp: Arena) {}

  static start(model: Autoencoder, optimizer: Optimizer, batchSize: number, width: number): Resident | undefined {
    const params = model.parameters()
    if (params.length === 0 || params.some((p) => p.dtype !== 'float32')) return undefined
    // Parameters and up to three buffers each (Adam with amsgrad); for the step, about a dozen
    // tensors of batch x layer width per layer, forward and backward.
    const floats = params.reduce((n, p) => n + p.size + 16, 0)
    const widths = params.reduce((n, p) => n + (p.shape.length === 2 ? p.shape[0] + p.shape[1] : 0), width)
    // At most 256 MiB for the step (what does not fit falls back to ordinary memory); if the
    // kernel's memory cannot hold the arenas at all, training runs in ordinary memory.
    let run: Arena | undefined
    let temp: Arena
    try {
      run = new Arena(4 * 4 * floats + (1 << 20))
      if (!run.resident) throw new Error('not resident')
      temp = new Arena(Math.min(256 << 20, Math.max(4 << 20, 4 * 12 * batchSize * widths)))
    } catch {
      run?.dispose()
      return undefined
    }
    const into = (data: Float32Array | Float64Array): Float32Array => run.copy(new Tensor(data, [data.length])).data as Float32Array
    for (const p of params) p.relocate(new Tensor(into(p.data.data), p.shape))
    optimizer.relocateState(into)
    return new Resident(model, optimizer, run, temp)
  }

  /** Runs a step's forward and backward pass with its temporaries (the batch too) in the step arena. */
  step<T>(fn: () => T): T {
    return withArena(this.temp, fn)
  }

  /** The optimizer's update; buffers it creates on its first step go to the run's arena. */
  update(): void {
    withArena(this.run, () => this.optimizer.step())
  }

  /** Drops the step's temporaries, gradients included (they live there). */
  endStep(): void {
    this.optimizer.zeroGrad()
    this.model.zeroGrad()
    this.temp.reset()
  }

  /** Moves parameters and optimizer state back to ordinary memory and frees the arenas. */
  finish(): void {
    this.endStep()
    for (const p of this.model.parameters()) p.relocate(new Tensor(p.data.data.slice(), p.shape))
    this.optimizer.relocateState((data) => data.slice())
    this.run.dispose()
    this.temp.dispose()
  }
}

/** The training loop, paused after every batch (the yield), so that fit and fitAsync share it. */
function* training(model: Autoencoder, x: Tensor, options: FitOptions): Generator<void, History> {
  checkBatch('fit', x)
  if (x.shape[0] === 0) throw new RangeError('fit: the data has no rows')
  const { epochs, batchSize, optimizer, rng } = options
  if (!(Number.isInteger(epochs) && epochs >= 0)) throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}`)
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`fit: batchSize must be a positive integer, got ${batchSize}`)
  if (!rng) throw new TypeError('fit: pass { rng } (a seeded Rng) for the shuffling')
  if (options.validation) checkBatch('fit (validation)', options.validation, x.shape[1])
  const history: History = { epochs: [], stopped: 'completed' }
  const resident = options.resident === false || epochs === 0 ? undefined : Resident.start(model, optimizer, batchSize, x.shape[1])
  let bestState: Map<string, Float32Array | Float64Array> | undefined
  try {
    bestState = yield* epochLoop(model, x, options, history, resident)
  } finally {
    resident?.finish()
  }
  if (bestState && history.stopped === 'early stopping') {
    for (const [name, p] of model.namedParameters()) p.data.data.set(bestState.get(name)!)
  }
  return history
}

/** The epochs of `training`, filling `history`; returns the best weights when early stopping kept them. */
function* epochLoop(model: Autoencoder, x: Tensor, options: FitOptions, history: History, resident: Resident | undefined): Generator<void, Map<string, Float32Array | Float64Array> | undefined> {
  const { epochs, batchSize, optimizer, rng } = options
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
    // The rows are gathered inside the step, so that a resident step gathers them straight
    // into its arena.
    for (const idx of batchIndices(x.shape[0], { batchSize, rng })) {
      const pass = (): LossParts => {
        optimizer.zeroGrad()
        const parts = model.loss(gather(x, idx))
        backward(parts.total)
        if (options.clipNorm !== undefined) clipGradNorm(model.parameters(), options.clipNorm)
        return parts
      }
      const parts = resident ? resident.step(pass) : pass()
      const values = accumulate(sums, parts, idx.length)
      b++
      // A NaN or infinite loss would make every weight NaN in the update: stop before it.
      if (!Number.isFinite(values.total)) {
        history.stopped = 'diverged'
        history.diverged = { epoch, batch: b, total: values.total }
        return bestState
      }
      if (resident) resident.update()
      else optimizer.step()
      resident?.endStep()
      options.callbacks?.onBatchEnd?.({ epoch, batch: b, batches: nBatches, samples: idx.length, parts: values })
      yield
      if (options.signal?.aborted) {
        history.stopped = 'interrupted'
        return bestState
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
  return bestState
}

/**
 * Training an autoencoder: @latent/nn's training loop with the model's objective, `loss(x)`, in
 * parts, and validation figures after every epoch. See `train` in @latent/nn for the loop
 * itself: shuffled minibatches, placement in WASM memory, early stopping, stop signal, and a stop
 * before any update whose loss is not finite.
 */
import {
  ByteRows, gatherRows, type Rows, train, trainAsync, type BatchInfo, type EpochRecord, type History,
  type Optimizer, type PlacementName,
  type TrainOptions,
} from '@latent/nn'
import { checkKeys, type Rng } from '@latent/tensor'
import { checkFiniteRows } from './embeddings.js'
import { type Autoencoder, checkBatch } from './autoencoder.js'

export type { BatchInfo, EpochRecord, History }

export interface FitOptions {
  epochs: number
  batchSize: number
  optimizer: Optimizer
  /** Shuffles the batches. */
  rng: Rng
  /** Validation data, evaluated after every epoch in evaluation mode. */
  validation?: Rows
  earlyStopping?: TrainOptions['earlyStopping']
  callbacks?: TrainOptions['callbacks']
  /** Checked between batches: set `aborted` to stop (the history then ends with the last whole epoch). */
  signal?: { aborted: boolean }
  /** Epoch numbering starts after this (resuming). */
  initialEpoch?: number
  /** Clip the global gradient norm to this value. */
  clipNorm?: number
  /** Where the run keeps its tensors: 'auto' (a WASM arena where it pays), 'arena' or 'ordinary'. */
  placement?: PlacementName
}

/**
 * The model's loss parts averaged over data, in evaluation mode (no noise, no recording).
 * @example evaluate(ae, xTest, 256) // { total, reconstruction, ... }
 */
export function evaluate(model: Autoencoder, x: Rows, batchSize = 256): Record<string, number> {
  checkBatch('evaluate', x)
  return model.inEval(() => {
    const sums: Record<string, number> = {}
    for (let at = 0; at < x.shape[0]; at += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, x.shape[0] - at) }, (_, i) => at + i)
      const parts = model.loss(gatherRows(x, idx))
      for (const [k, v] of Object.entries(parts)) sums[k] = (sums[k] ?? 0) + v.item() * idx.length
    }
    return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / x.shape[0]]))
  })
}

/** The keys of FitOptions, to refuse misspelt ones. */
const FIT_KEYS = ['epochs', 'batchSize', 'optimizer', 'rng', 'validation', 'earlyStopping', 'callbacks', 'signal',
  'initialEpoch', 'clipNorm', 'placement']

function loopOptions(model: Autoencoder, x: Rows, options: FitOptions): TrainOptions {
  checkKeys('fit', options, FIT_KEYS)
  checkBatch('fit', x)
  if (!(x instanceof ByteRows)) checkFiniteRows('fit', 'the training data', x) // NaN would only show as a diverged loss
  if (options.validation) checkBatch('fit (validation)', options.validation, x.shape[1])
  const { validation, ...rest } = options
  return {
    ...rest,
    caller: 'fit',
    loss: ([batch]) => model.loss(batch),
    validate: validation ? () => evaluate(model, validation, options.batchSize) : undefined,
  }
}

/**
 * Trains an autoencoder on the rows of x. If a batch's loss is NaN or infinite (a learning
 * rate too high), training stops before that batch's update, with
 * `stopped: 'diverged'` and `diverged` saying where.
 * @example
 *   const optimizer = new Adam(ae.namedParameters())
 *   const history = fit(ae, xTrain, { epochs: 5, batchSize: 64, optimizer, rng: new Rng(1), validation: xTest })
 *   history.epochs.at(-1)!.validation!.reconstruction
 */
export function fit(model: Autoencoder, x: Rows, options: FitOptions): History {
  return train(model, [x], loopOptions(model, x, options))
}

/**
 * {@link fit}, giving the event loop a turn between batches (at most every 50 ms), so that
 * events (Ctrl-C, a stop button, timers) can set `signal.aborted` while training runs.
 * @example const history = await fitAsync(ae, xTrain, { epochs: 5, batchSize: 64, optimizer, rng, signal })
 */
export async function fitAsync(model: Autoencoder, x: Rows, options: FitOptions): Promise<History> {
  return trainAsync(model, [x], loopOptions(model, x, options))
}

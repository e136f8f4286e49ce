/**
 * A training run in one folder, with a checkpoint after every epoch: started fresh or resumed
 * from its checkpoint, and resumable to the same result as an uninterrupted run.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { gatherRows, type Optimizer } from '@latent/nn'
import { removeStaleTemporaries } from '@latent/nn/node'
import { Rng } from '@latent/tensor'
import type { Autoencoder } from '../../autoencoder.js'
import { checkFiniteRows } from '../../embeddings.js'
import { shapeOf, subset } from '../../data/datasets.js'
import { buildModel } from '../../spec.js'
import { fitAsync, type History } from '../../train.js'
import type { Progress } from '../progress.js'
import {
  CHECKPOINT, type CheckpointMeta, checkConfig, makeOptimizer, openCheckpoint, type TrainConfig, writeCheckpoint,
} from './checkpoint.js'
import { checkWidth, loadSplits, type Splits } from './data.js'
import { checkFolder } from './files.js'

export interface TrainResult {
  model: Autoencoder
  history: History['epochs']
  stopped: History['stopped']
  splits: Splits
  config: TrainConfig
}

export interface TrainOptions {
  resume?: boolean
  /** With resume: the new total of epochs (at least the checkpoint's). */
  epochs?: number
  /** With resume: a new learning rate, from the next step on (the configuration records it). */
  lr?: number
  progress: Progress
  signal?: { aborted: boolean }
  fresh?: boolean
  splits?: Splits
}

/** The most epochs of history a checkpoint keeps (the oldest go first): its header stays small. */
const MAX_HISTORY = 10_000

/**
 * What a configuration made from the command line takes from the data. A convolutional one does
 * not know its images yet: one channel of the data's height and width, and the sizes start with
 * c·h·w. A dense one without sizes gets the data's width, then 32 and 8 (at most the width and half
 * of it, for narrow data).
 */
function withData(config: TrainConfig, splits: Splits): TrainConfig {
  const { conv, sizes } = config.spec
  if (conv && !conv.image) {
    const [h, w] = splits.train.image
    const image: [number, number, number] = [1, h, w]
    return { ...config, spec: { ...config.spec, sizes: [h * w, ...sizes], conv: { ...conv, image } } }
  }
  if (sizes.length > 0) return config
  const width = shapeOf(splits.train)[1]
  const hidden = Math.min(32, width)
  const code = Math.max(1, Math.min(8, Math.floor(width / 2)))
  return { ...config, spec: { ...config.spec, sizes: [width, hidden, code] } }
}

/**
 * Trains into `out`, writing the checkpoint atomically after every epoch. With `resume`, the
 * configuration, weights, optimizer and generator states come from the checkpoint in `out`,
 * and training continues to `epochs` (the checkpoint's, or a larger one given here): the
 * result equals an uninterrupted run. `fresh` starts over even if `out` holds a checkpoint (the
 * demo); `splits` passes data already loaded.
 * @example const { model, history } = await trainRun('runs/ae', config, { progress })
 */
export async function trainRun(
  out: string,
  config: TrainConfig | undefined,
  options: TrainOptions,
): Promise<TrainResult> {
  let model: Autoencoder
  let optimizer: Optimizer
  let history: History['epochs'] = []
  let splits = options.splits
  checkFolder(out)
  removeStaleTemporaries(join(out, CHECKPOINT)) // of a run killed while writing
  const shuffle = new Rng(0)
  if (options.resume) {
    const opened = openCheckpoint(out)
    ;({ model, optimizer } = opened)
    if (options.epochs !== undefined && options.epochs < opened.meta.epoch) {
      throw new Error(
        `--epochs ${options.epochs}: ${join(out, CHECKPOINT)} already holds epoch ${opened.meta.epoch} ` +
          '(with --resume, --epochs is the new total)',
      )
    }
    config = {
      ...opened.meta.config,
      epochs: options.epochs ?? opened.meta.config.epochs,
      lr: options.lr ?? opened.meta.config.lr,
    }
    checkConfig(config)
    optimizer.lr = config.lr
    history = opened.meta.history
    shuffle.setState(opened.meta.rng.shuffle)
    const gens = model.generators()
    for (const [name, state] of Object.entries(opened.meta.rng.model)) gens[name]?.setState(state)
    const lr = options.lr !== undefined && options.lr !== opened.meta.config.lr
      ? `, learning rate ${options.lr} (was ${opened.meta.config.lr})`
      : ''
    options.progress.say(`resuming from epoch ${opened.meta.epoch} of ${config.epochs}${lr}`)
  } else {
    if (!config) throw new Error('trainRun: a configuration is needed unless resuming')
    if (!options.fresh && existsSync(join(out, CHECKPOINT))) {
      throw new Error(`${join(out, CHECKPOINT)} exists: pass --resume to continue it, or choose another --out`)
    }
    splits ??= loadSplits(config.data)
    config = withData(config, splits)
    checkConfig(config)
    model = buildModel(config.spec)
    optimizer = makeOptimizer(config, model)
    shuffle.setState(new Rng(config.spec.seed + 1).getState())
  }
  options.progress.totalEpochs = config.epochs
  splits ??= loadSplits(config.data)
  checkWidth(splits, config.spec.sizes[0], '(first of --sizes; leave --sizes out to take the width from the data)')
  // A fixed split of the training images for validation losses.
  // Image data stay bytes (a quarter of the memory): training converts a batch at a time.
  const n = splits.train.labels.length
  const nVal = Math.floor(n * config.validation)
  const order = new Rng(2).permutation(n)
  const part = nVal > 0 ? subset(splits.train, order.subarray(nVal)) : splits.train
  const xTrain = part.bytes ?? part.x
  const xVal = nVal > 0 ? gatherRows(splits.train.bytes ?? splits.train.x, order.subarray(0, nVal)) : undefined
  if (!splits.train.bytes) checkFiniteRows(splits.train.name, 'the training data', splits.train.x) // NaN would diverge
  const done = history.length ? history[history.length - 1].epoch : 0
  // The folder and the checkpoint appear with the first whole epoch: a run that fails before
  // one leaves nothing behind, and the same command can simply be run again.
  const save = (): void => {
    mkdirSync(out, { recursive: true })
    const generators = Object.fromEntries(Object.entries(model.generators()).map(([k, g]) => [k, g.getState()]))
    const meta: CheckpointMeta = {
      format: 1,
      config: config!,
      epoch: history.length ? history[history.length - 1].epoch : 0,
      history: history.slice(-MAX_HISTORY),
      rng: { shuffle: shuffle.getState(), model: generators },
    }
    writeCheckpoint(out, { meta, model, optimizer })
  }
  const saved = (): string => (history.length === 0 ? 'nothing was saved'
    : `${join(out, CHECKPOINT)} holds epoch ${history[history.length - 1].epoch}`)
  options.progress.startEpoch()
  const result = await fitAsync(model, xTrain, {
    epochs: Math.max(0, config.epochs - done),
    batchSize: config.batchSize,
    optimizer,
    rng: shuffle,
    validation: xVal,
    initialEpoch: done,
    signal: options.signal,
    callbacks: {
      onBatchEnd: (info) => options.progress.batch(info),
      onEpochEnd: (record) => {
        // A loss can stay finite while weights overflow (a saturated sigmoid): never save those.
        const bad = model.namedParameters().find(([, p]) => !p.data.data.every(Number.isFinite))
        if (bad) {
          throw new Error(`training diverged: weight '${bad[0]}' is not finite after epoch ${record.epoch}; ` +
            `${saved()}. Try a lower --lr`)
        }
        history = [...history, record]
        save()
        options.progress.epoch(record)
        options.progress.startEpoch()
      },
    },
  })
  if (result.diverged) {
    const { epoch, batch, total } = result.diverged
    throw new Error(
      `training diverged: the loss was ${total} at epoch ${epoch}, batch ${batch} (that update was not applied); ` +
        `${saved()}. Try a lower --lr`,
    )
  }
  return { model, history, stopped: result.stopped, splits, config }
}

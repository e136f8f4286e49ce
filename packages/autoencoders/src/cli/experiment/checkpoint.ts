/**
 * A run's checkpoint: one safetensors file with the weights, the optimizer state, the generator
 * states, and as metadata the training configuration and the history, enough to resume the run
 * or to use the model in any other command.
 */
import { join } from 'node:path'
import {
  Adam, ADAM_OPTIONS, checkOption, type Optimizer, restoreCheckpoint, RMSprop, RMSPROP_OPTIONS, SGD, SGD_OPTIONS,
} from '@latent/nn'
import { saveCheckpoint } from '@latent/nn/node'
import type { Autoencoder } from '../../autoencoder.js'
import { CHECKPOINT, checkFiniteWeights, readRunFile } from '../../node/model.js'
import { buildModel, checkSpec, type ModelSpec } from '../../spec.js'
import { type History } from '../../train.js'
import { type DataOptions } from './data.js'

/**
 * A run's training options: defaults, allowed values and help in one place (the learning
 * rate's are the optimizer's own, in @latent/nn's tables).
 * @example RUN_OPTIONS.batchSize.default // 64
 */
export const RUN_OPTIONS = {
  epochs: { type: 'number', integer: true, min: 1, default: 20, help: 'epochs (with --resume: the new total)' },
  batchSize: { type: 'number', integer: true, min: 1, default: 64, help: 'minibatch size' },
  validation: {
    type: 'number', min: 0, below: 1, default: 0.1, help: 'fraction of the training images kept for validation',
  },
  optimizer: {
    type: 'choice', values: ['adam', 'sgd', 'rmsprop'], default: 'adam', help: 'optimizer (sgd: momentum 0.9)',
  },
} as const

/**
 * The optimizers a run can name: each one's option table (whose `lr` gives the learning rate's
 * default and range) and how the run makes it.
 * @example OPTIMIZERS.adam.options.lr.default // 0.001
 */
export const OPTIMIZERS = {
  adam: {
    options: ADAM_OPTIONS,
    make: (model: Autoencoder, lr: number): Optimizer => new Adam(model.namedParameters(), { lr }),
  },
  // A run's SGD has momentum 0.9: without it, SGD trains these models too slowly to compare.
  sgd: {
    options: SGD_OPTIONS,
    make: (model: Autoencoder, lr: number): Optimizer => new SGD(model.namedParameters(), { lr, momentum: 0.9 }),
  },
  rmsprop: {
    options: RMSPROP_OPTIONS,
    make: (model: Autoencoder, lr: number): Optimizer => new RMSprop(model.namedParameters(), { lr }),
  },
} as const

export interface TrainConfig {
  spec: ModelSpec
  data: DataOptions
  epochs: number
  batchSize: number
  optimizer: keyof typeof OPTIMIZERS
  lr: number
  /** Fraction of the training images kept aside for validation losses. */
  validation: number
}

export { CHECKPOINT } from '../../node/model.js'

/** The checkpoint's 'latent' metadata: the configuration, the epochs done and the generator states. */
export interface CheckpointMeta {
  format: 1
  config: TrainConfig
  epoch: number
  history: History['epochs']
  rng: { shuffle: number[]; model: Record<string, number[]> }
}

/** What a checkpoint holds, ready to use. */
export interface OpenedCheckpoint { meta: CheckpointMeta; model: Autoencoder; optimizer: Optimizer }

/**
 * Throws, naming the option, unless the configuration can be trained: the same tables and
 * checks as the library's constructors.
 * @example checkConfig({ ...config, epochs: 30 })
 */
export function checkConfig(c: TrainConfig): void {
  checkSpec(c.spec)
  for (const [name, option] of Object.entries(RUN_OPTIONS)) {
    checkOption('the run', name, option, c[name as keyof typeof RUN_OPTIONS])
  }
  checkOption(c.optimizer, 'lr', OPTIMIZERS[c.optimizer].options.lr, c.lr)
}

/**
 * The optimizer the configuration names, over the model's parameters.
 * @example const optimizer = makeOptimizer(config, buildModel(config.spec))
 */
export function makeOptimizer(c: TrainConfig, model: Autoencoder): Optimizer {
  return OPTIMIZERS[c.optimizer].make(model, c.lr)
}

/**
 * Reads a checkpoint: its configuration, the model with its weights, and the training state.
 * @example const { meta, model } = openCheckpoint('runs/dae')
 */
export function openCheckpoint(path: string): OpenedCheckpoint {
  const { file, bytes, meta } = readRunFile<CheckpointMeta>(path)
  checkConfig(meta.config)
  const model = buildModel(meta.config.spec)
  const optimizer = makeOptimizer(meta.config, model)
  restoreCheckpoint(model, bytes, { optimizer })
  checkFiniteWeights(file, model)
  return { meta, model, optimizer }
}

/**
 * Writes the checkpoint of the run in `dir` atomically: the weights, the optimizer state and `meta`.
 * @example writeCheckpoint('runs/dae', { meta, model, optimizer })
 */
export function writeCheckpoint(dir: string, { meta, model, optimizer }: OpenedCheckpoint): void {
  saveCheckpoint(join(dir, CHECKPOINT), model, { optimizer, metadata: { latent: JSON.stringify(meta) } })
}

/**
 * A run's checkpoint: one safetensors file with the weights, the optimizer state, the generator
 * states, and as metadata the training configuration and the history, enough to resume the run
 * or to use the model in any other command.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Adam, decodeSafetensors, type Optimizer, RMSprop, SGD } from '@latent/nn'
import { loadCheckpoint, saveCheckpoint } from '@latent/nn/node'
import type { Autoencoder } from '../../autoencoder.js'
import { buildModel, checkSpec, type ModelSpec } from '../../spec.js'
import { type History } from '../../train.js'
import { type DataOptions } from './data.js'

export interface TrainConfig {
  spec: ModelSpec
  data: DataOptions
  epochs: number
  batchSize: number
  optimizer: 'adam' | 'sgd' | 'rmsprop'
  lr: number
  /** Fraction of the training images kept aside for validation losses. */
  validation: number
}

/**
 * The checkpoint's file name in a run folder.
 * @example const file = join('runs/dae', CHECKPOINT)
 */
export const CHECKPOINT = 'checkpoint.safetensors'

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
 * Throws an error in the command line's words for a configuration that cannot be trained.
 * @example checkConfig({ ...config, epochs: 30 })
 */
export function checkConfig(c: TrainConfig): void {
  checkSpec(c.spec)
  if (!(Number.isInteger(c.epochs) && c.epochs >= 1)) {
    throw new Error(`--epochs must be a positive integer, got ${c.epochs}`)
  }
  if (!(Number.isInteger(c.batchSize) && c.batchSize >= 1)) {
    throw new Error(`--batch-size must be a positive integer, got ${c.batchSize}`)
  }
  if (!(c.lr > 0)) throw new Error(`--lr must be positive, got ${c.lr}`)
  if (!['adam', 'sgd', 'rmsprop'].includes(c.optimizer)) {
    throw new Error(`unknown optimizer '${c.optimizer}' (expected adam, sgd or rmsprop)`)
  }
  if (!(c.validation >= 0 && c.validation < 1)) throw new Error(`--validation must be in [0, 1), got ${c.validation}`)
}

/**
 * The optimizer the configuration names, over the model's parameters.
 * @example const optimizer = makeOptimizer(config, buildModel(config.spec))
 */
export function makeOptimizer(c: TrainConfig, model: Autoencoder): Optimizer {
  const params = model.namedParameters()
  if (c.optimizer === 'sgd') return new SGD(params, { lr: c.lr, momentum: 0.9 })
  if (c.optimizer === 'rmsprop') return new RMSprop(params, { lr: c.lr })
  return new Adam(params, { lr: c.lr })
}

/**
 * The path of the checkpoint file for a run folder or a file path.
 * @example checkpointPath('runs/dae') // 'runs/dae/checkpoint.safetensors'
 */
export function checkpointPath(path: string): string {
  return path.endsWith('.safetensors') ? path : join(path, CHECKPOINT)
}

/**
 * Reads a checkpoint: its configuration, the model with its weights, and the training state.
 * @example const { meta, model } = openCheckpoint('runs/dae')
 */
export function openCheckpoint(path: string): OpenedCheckpoint {
  const file = checkpointPath(path)
  if (!existsSync(file)) throw new Error(`${file}: no such checkpoint`)
  const bytes = readFileSync(file)
  let meta: CheckpointMeta
  try {
    meta = JSON.parse(decodeSafetensors(bytes).metadata.latent ?? 'null') as CheckpointMeta
  } catch (e) {
    throw new Error(`${file}: not a latent checkpoint (${(e as Error).message})`)
  }
  if (meta?.format !== 1) throw new Error(`${file}: not a latent checkpoint (no 'latent' metadata of format 1)`)
  checkConfig(meta.config)
  const model = buildModel(meta.config.spec)
  const optimizer = makeOptimizer(meta.config, model)
  loadCheckpoint(file, model, { optimizer })
  return { meta, model, optimizer }
}

/**
 * Writes the checkpoint of the run in `dir` atomically: the weights, the optimizer state and `meta`.
 * @example writeCheckpoint('runs/dae', { meta, model, optimizer })
 */
export function writeCheckpoint(dir: string, { meta, model, optimizer }: OpenedCheckpoint): void {
  saveCheckpoint(join(dir, CHECKPOINT), model, { optimizer, metadata: { latent: JSON.stringify(meta) } })
}

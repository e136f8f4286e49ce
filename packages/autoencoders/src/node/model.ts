/**
 * A trained model from a run's checkpoint, as the command line writes it: the model is rebuilt
 * from the specification in the file's metadata, then the weights are loaded and checked.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodeSafetensors, type Module, restoreCheckpoint } from '@latent/nn'
import type { Autoencoder } from '../autoencoder.js'
import { buildModel, type ModelSpec } from '../spec.js'

/**
 * The checkpoint's file name in a run folder.
 * @example const file = join('runs/dae', CHECKPOINT)
 */
export const CHECKPOINT = 'checkpoint.safetensors'

/**
 * The checkpoint file for a run folder or a file path.
 * @example checkpointPath('runs/dae') // 'runs/dae/checkpoint.safetensors'
 */
export function checkpointPath(path: string): string {
  return path.endsWith('.safetensors') ? path : join(path, CHECKPOINT)
}

/**
 * A run's checkpoint file: its path, its bytes and its 'latent' metadata (format 1), parsed but
 * not yet checked beyond the format.
 * @example const { meta } = readRunFile('runs/dae'); meta.config.spec.variant
 */
export function readRunFile<Meta extends { format: 1 }>(path: string): { file: string; bytes: Uint8Array; meta: Meta } {
  const file = checkpointPath(path)
  if (!existsSync(file)) throw new Error(`${file}: no such checkpoint`)
  const bytes = readFileSync(file)
  let meta: Meta
  try {
    meta = JSON.parse(decodeSafetensors(bytes).metadata.latent ?? 'null') as Meta
  } catch (e) {
    throw new Error(`${file}: not a latent checkpoint (${(e as Error).message})`)
  }
  if (meta?.format !== 1) throw new Error(`${file}: not a latent checkpoint (no 'latent' metadata of format 1)`)
  return { file, bytes, meta }
}

/**
 * Throws, naming the first parameter that holds NaN or an infinity: weights like that come from
 * a damaged file or a run that diverged, and would only make every later step fail.
 * @example checkFiniteWeights('runs/dae/checkpoint.safetensors', model)
 */
export function checkFiniteWeights(file: string, model: Module): void {
  for (const [name, p] of model.namedParameters()) {
    const bad = p.data.data.findIndex((v) => !Number.isFinite(v))
    if (bad >= 0) {
      throw new Error(`${file}: weight '${name}' holds ${p.data.data[bad]} at index ${bad} ` +
        '(the file is damaged, or was saved from a run that diverged)')
    }
  }
}

/** A model loaded by loadModel: the autoencoder, its specification and the epochs it was trained. */
export interface LoadedModel { model: Autoencoder; spec: ModelSpec; epoch: number }

/**
 * The trained model of a run folder (or checkpoint file) written by `latent train`, ready to
 * encode, decode or fine-tune. The optimizer state in the file is left out.
 * @example
 *   const { model } = loadModel('runs/dae')
 *   const codes = model.encode(x)
 */
export function loadModel(path: string): LoadedModel {
  const { file, bytes, meta } = readRunFile<{ format: 1; epoch: number; config: { spec: ModelSpec } }>(path)
  const model = buildModel(meta.config.spec)
  restoreCheckpoint(model, bytes)
  checkFiniteWeights(file, model)
  return { model, spec: meta.config.spec, epoch: meta.epoch }
}

/**
 * Checkpoints as safetensors bytes: the model's parameters under their state-dict names (so
 * PyTorch can load them with load_state_dict), the optimizer's buffers under
 * `optimizer.<parameter>.<buffer>`, and strings in the metadata (the optimizer's step counts
 * and hyperparameters as JSON, plus anything the caller adds). Restoring validates everything
 * before changing anything: on any mismatch, the model and optimizer are left as they were.
 */
import type { Tensor } from '@latent/tensor'
import type { Module } from './module.js'
import type { Optimizer, OptimizerState } from './optim/optimizer.js'
import { decodeSafetensors, encodeSafetensors } from './safetensors.js'

const OPTIMIZER = 'optimizer.'

/**
 * The bytes of a checkpoint of `model` (and `optimizer`).
 * @example
 *   const bytes = serializeCheckpoint(model, { optimizer, metadata: { epoch: '3' } })
 */
export function serializeCheckpoint(model: Module,
  options: { optimizer?: Optimizer; metadata?: Record<string, string> } = {}): Uint8Array {
  const tensors = new Map<string, Tensor>(model.stateDict())
  const metadata: Record<string, string> = { ...options.metadata, format: 'latent' }
  if (options.optimizer) {
    const state = options.optimizer.stateDict()
    for (const [k, t] of state.tensors) tensors.set(OPTIMIZER + k, t)
    metadata.optimizer = JSON.stringify(state.meta)
  }
  return encodeSafetensors(tensors, metadata)
}

/**
 * Restores `model` (and `optimizer`) from checkpoint bytes; returns the metadata. Throws an
 * error naming the tensor on any mismatch, leaving both untouched.
 * @example
 *   const { metadata } = restoreCheckpoint(model, bytes, { optimizer })
 */
export function restoreCheckpoint(model: Module, bytes: Uint8Array,
  options: { optimizer?: Optimizer; strict?: boolean } = {}): { metadata: Record<string, string> } {
  const { tensors, metadata } = decodeSafetensors(bytes)
  const modelState = new Map<string, Tensor>()
  const optimizerTensors = new Map<string, Tensor>()
  for (const [k, t] of tensors) (k.startsWith(OPTIMIZER) ? optimizerTensors.set(k.slice(OPTIMIZER.length), t)
    : modelState.set(k, t))
  model.checkStateDict(modelState, { strict: options.strict })
  let optimizerState: OptimizerState | undefined
  if (options.optimizer) {
    if (!metadata.optimizer) throw new Error('restoreCheckpoint: the checkpoint has no optimizer state')
    let meta: OptimizerState['meta']
    try {
      meta = JSON.parse(metadata.optimizer)
    } catch {
      throw new Error('restoreCheckpoint: the optimizer metadata is not valid JSON')
    }
    optimizerState = { tensors: optimizerTensors, meta }
    options.optimizer.checkStateDict(optimizerState)
  }
  // Everything checked: now change things.
  model.loadStateDict(modelState, { strict: options.strict })
  if (options.optimizer && optimizerState) options.optimizer.loadStateDict(optimizerState)
  const { optimizer: _, format: __, ...rest } = metadata
  return { metadata: rest }
}

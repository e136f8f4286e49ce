/**
 * Where a training run keeps its tensors, as a strategy the training loop (loop.ts) and a loop
 * written by hand share.
 *
 * - 'arena': the parameters and the optimizer's state move into WASM memory for the run
 *   (Arena.hold: the same tensors, their storage moved), and each step's temporaries, gradients
 *   included, are made in a second arena that is emptied when the next step starts. Products then
 *   read and write in place and the elementwise work and the optimizer update run as SIMD kernels.
 * - 'ordinary': JavaScript memory, as everywhere else.
 *
 * The numbers are the same either way (every op gives the same bits wherever its tensors live;
 * @latent/tensor's placement tests); only the speed differs. 'auto' takes the arena where the WASM
 * backend has shared memory and the model is float32, else ordinary memory.
 */
import { Arena, clone, type Tensor, withArena } from '@latent/tensor'
import type { Module } from '../module.js'
import type { Optimizer } from '../optim/optimizer.js'

export type PlacementName = 'auto' | 'arena' | 'ordinary'

export interface Placement {
  readonly name: 'arena' | 'ordinary'
  /**
   * Runs one training step (zeroGrad, forward, backward, update). It starts with no gradients;
   * what it creates lives until the next step starts: read the numbers you need (loss.item())
   * before then, or clone the tensors you keep.
   */
  step<T>(fn: () => T): T
  /**
   * The same, with a batch made outside the step (by `batches`): its tensors are first copied into
   * the step's memory, as a batch is moved to the device in PyTorch, and handed to fn. Without
   * that copy, elementwise work that reads the batch (the loss) runs in JavaScript.
   */
  step<T>(batch: readonly Tensor[], fn: (...batch: Tensor[]) => T): T
  /** Ends the run: parameters and optimizer state back in ordinary memory, arenas freed. */
  release(): void
}

/** A step's arguments: the step alone, or a batch and the step that takes it. */
type StepArgs<T> = [() => T] | [readonly Tensor[], (...batch: Tensor[]) => T]

/** A step's temporaries start in 4 MiB; the arena grows to what a step needs and keeps it. */
const STEP_ARENA_BYTES = 4 << 20

class ArenaPlacement implements Placement {
  readonly name = 'arena'
  private readonly temp = new Arena(STEP_ARENA_BYTES, { grow: true })

  constructor(private readonly model: Module, private readonly run: Arena) {}

  step<T>(...args: StepArgs<T>): T {
    this.model.zeroGrad() // last step's gradients were in the step arena
    this.temp.reset()
    return withArena(this.temp, () => (args.length === 1 ? args[0]() : args[1](...args[0].map((t) => clone(t)))))
  }

  release(): void {
    this.model.zeroGrad()
    this.temp.dispose()
    this.run.dispose()
  }
}

const ordinary: Placement = {
  name: 'ordinary',
  step: <T>(...args: StepArgs<T>): T => (args.length === 1 ? args[0]() : args[1](...args[0])),
  release: () => {},
}

/**
 * The placement of a training run of `model` by `optimizer` ('auto' unless told). Call
 * `release()` when the run ends.
 * @example
 *   const placement = placeTraining(model, optimizer)
 *   for (const [x, y] of batches([images, labels], { batchSize: 32, rng })) {
 *     placement.step(() => {
 *       optimizer.zeroGrad()
 *       backward(crossEntropyLoss(model.call(x), y.data))
 *       optimizer.step()
 *     })
 *   }
 *   placement.release()
 */
export function placeTraining(model: Module, optimizer: Optimizer,
  options: { placement?: PlacementName } = {}): Placement {
  const choice = options.placement ?? 'auto'
  if (choice !== 'auto' && choice !== 'arena' && choice !== 'ordinary') {
    throw new RangeError(`placeTraining: placement must be 'auto', 'arena' or 'ordinary', got '${String(choice)}'`)
  }
  const tensors = [...model.parameters().map((p) => p.data), ...optimizer.stateTensors()]
  if (choice === 'ordinary' || tensors.length === 0 ||
    (choice === 'auto' && tensors.some((t) => t.dtype !== 'float32'))) return ordinary
  let run: Arena
  try {
    run = new Arena(tensors.reduce((bytes, t) => bytes + 4 * Math.ceil(t.size / 16) * 16, 0))
  } catch (e) {
    if (choice === 'arena') throw e
    return ordinary // the WASM memory cannot hold the model: train in ordinary memory
  }
  if (choice === 'auto' && !run.resident) {
    run.dispose()
    return ordinary
  }
  run.hold(tensors)
  return new ArenaPlacement(model, run)
}

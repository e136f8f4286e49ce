/**
 * The one training loop and its placement: a loop written by hand with placeTraining, `train`,
 * and training in ordinary memory all reach the same weights, bit for bit; the placement moves
 * parameters and optimizer state into WASM memory for the run and back; the loop stops before a
 * non-finite update; option tables refuse what they do not know.
 */
import { describe, expect, it } from 'vitest'
import { add, backward, mul, sum } from '@latent/autodiff'
import * as T from '@latent/tensor'
import { Rng } from '@latent/tensor'
import {
  Adam, ADAM_OPTIONS, allowed, batches, crossEntropyLoss, Dense, Dropout, placeTraining, ReLU, resolveOptions,
  RMSprop, Sequential, SGD, train, type Optimizer,
} from '../src/index.js'

const rng = new Rng(1)
const x = rng.normal([96, 12])
const labels = T.tensor(Array.from({ length: 96 }, (_, i) =>
  (x.data[i * 12] > 0 ? 1 : 0) + (x.data[i * 12 + 1] > 0 ? 1 : 0)))

const model = (): Sequential => {
  const r = new Rng(2)
  return new Sequential(new Dense(12, 32, { rng: r }), new ReLU(), new Dropout(0.1, { rng: r.fork() }),
    new Dense(32, 3, { rng: r }))
}
const weights = (m: Sequential): number[][] => m.parameters().map((p) => Array.from(p.data.data))
const optimizers: Record<string, (m: Sequential) => Optimizer> = {
  adam: (m) => new Adam(m.namedParameters(), { lr: 1e-2, weightDecay: 1e-3 }),
  sgd: (m) => new SGD(m.namedParameters(), { lr: 0.05, momentum: 0.9, nesterov: true }),
  rmsprop: (m) => new RMSprop(m.namedParameters(), { lr: 1e-3, centered: true, momentum: 0.5 }),
}

describe('the training loop and its placement', () => {
  for (const [name, make] of Object.entries(optimizers)) {
    it(`${name}: a loop written by hand, train(), and ordinary memory reach the same weights, bit for bit`, () => {
      const loss = (m: Sequential) => ([xb, yb]: T.Tensor[]) => ({ total: crossEntropyLoss(m.call(xb), yb.data) })
      const viaTrain = model()
      const memories = new Set<string>()
      train(viaTrain, [x, labels], {
        epochs: 3, batchSize: 16, optimizer: make(viaTrain), rng: new Rng(3), loss: loss(viaTrain),
        callbacks: { onBatchEnd: () => { memories.add(T.memoryOf(viaTrain.parameters()[0].data)) } },
      })
      expect([...memories]).toEqual(['wasm'])
      const ordinary = model()
      train(ordinary, [x, labels], { epochs: 3, batchSize: 16, optimizer: make(ordinary), rng: new Rng(3),
        loss: loss(ordinary), placement: 'ordinary' })
      // The loop from the nn README, with its placement.
      const byHand = model()
      const optimizer = make(byHand)
      const placement = placeTraining(byHand, optimizer)
      expect(placement.name).toBe('arena')
      const shuffle = new Rng(3)
      for (let epoch = 0; epoch < 3; epoch++) {
        for (const batch of batches([x, labels], { batchSize: 16, rng: shuffle })) {
          placement.step(batch, (xb, yb) => {
            expect(T.memoryOf(xb)).toBe('wasm') // the batch was copied into the step's memory
            optimizer.zeroGrad()
            backward(crossEntropyLoss(byHand.call(xb), yb.data))
            optimizer.step()
          })
        }
      }
      placement.release()
      expect(weights(byHand)).toEqual(weights(viaTrain))
      expect(weights(ordinary)).toEqual(weights(viaTrain))
      for (const p of byHand.parameters()) expect(T.memoryOf(p.data)).toBe('js')
      for (const t of optimizer.stateTensors()) expect(T.memoryOf(t)).toBe('js')
    })
  }

  it('a float64 model trains in ordinary memory under auto; arena can be asked for', () => {
    const m = new Sequential(new Dense(3, 2, { rng: new Rng(1), dtype: 'float64' }))
    const opt = new Adam(m.namedParameters())
    expect(placeTraining(m, opt).name).toBe('ordinary')
    const forced = placeTraining(m, opt, { placement: 'arena' })
    expect(forced.name).toBe('arena')
    forced.release()
    expect(() => placeTraining(m, opt, { placement: 'gpu' as never }))
      .toThrow("placeTraining: placement must be 'auto', 'arena' or 'ordinary', got 'gpu'")
  })

  it('stops before an update whose loss is not finite, and checks its options', () => {
    const m = model()
    const before = weights(m)
    const bad = T.clone(x)
    bad.data[5] = NaN
    // ReLU would turn the NaN into 0: the loss also adds 0·Σx, which is NaN when x holds one.
    const history = train(m, [bad, labels], {
      epochs: 2, batchSize: 96, optimizer: new Adam(m.namedParameters()), rng: new Rng(1),
      loss: ([xb, yb]) => ({ total: add(crossEntropyLoss(m.call(xb), yb.data), mul(sum(xb), 0)) }),
    })
    expect(history).toMatchObject({ stopped: 'diverged', diverged: { epoch: 1, batch: 1 } })
    expect(weights(m)).toEqual(before)
    const options = { epochs: 1, batchSize: 8, optimizer: new Adam(m.namedParameters()), rng: new Rng(1),
      loss: () => ({ total: undefined! }) }
    expect(() => train(m, [x, T.zeros([5])], options))
      .toThrow('train: every data tensor must have the same number of rows, got 96 and 5')
    expect(() => train(m, x as never, options)).toThrow('train: data must be an array of tensors')
    expect(() => train(m, [x], { ...options, batchSize: 0 }))
      .toThrow('train: batchSize must be a positive integer, got 0')
  })

  it('Module.inEval runs without recording in evaluation mode and restores the mode, even on error', () => {
    const m = model()
    m.train()
    const out = m.inEval(() => {
      expect(m.training).toBe(false)
      return m.call(x)
    })
    expect(out.requiresGrad).toBe(false)
    expect(m.training).toBe(true)
    expect(() => m.inEval(() => { throw new Error('boom') })).toThrow('boom')
    expect(m.training).toBe(true)
  })
})

describe('option tables', () => {
  it('fill defaults, check ranges and refuse unknown names, naming the owner and the option', () => {
    expect(resolveOptions('Adam', ADAM_OPTIONS, { lr: 0.1 }))
      .toEqual({ lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false })
    expect(() => resolveOptions('Adam', ADAM_OPTIONS, { lr: -1 })).toThrow('Adam: lr must be >= 0, got -1')
    expect(() => resolveOptions('Adam', ADAM_OPTIONS, { amsgrad: 1 } as never))
      .toThrow('Adam: amsgrad must be true or false, got 1')
    expect(() => resolveOptions('Adam', ADAM_OPTIONS, { shap: 1 } as never)).toThrow("Adam: unknown option 'shap'")
    const table = {
      k: { type: 'number', integer: true, min: 1, help: 'a count' },
      mode: { type: 'choice', values: ['a', 'b'], default: 'a', help: 'a mode' },
    } as const
    expect(() => resolveOptions('f', table, {})).toThrow("f: option 'k' is required (a count)")
    expect(() => resolveOptions('f', table, { k: 1.5 })).toThrow('f: k must be an integer >= 1, got 1.5')
    expect(() => resolveOptions('f', table, { k: 2, mode: 'c' } as never)).toThrow('f: mode must be a, b, got c')
    expect(allowed({ type: 'number', above: 0, below: 1, help: '' })).toBe('in (0, 1)')
    expect(allowed({ type: 'number', max: 5, help: '' })).toBe('<= 5')
  })
})

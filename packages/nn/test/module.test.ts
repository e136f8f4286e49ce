import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng } from '@latent/tensor'
import * as A from '@latent/autodiff'
import { Adam, Dense, Module, Parameter, ReLU, Sequential, Sigmoid } from '../src/index.js'
import type { Value } from '@latent/autodiff'

class TinyAutoencoder extends Module {
  encoder: Sequential
  decoder: Sequential
  constructor(rng: Rng) {
    super()
    this.encoder = new Sequential(new Dense(6, 4, { rng }), new ReLU(), new Dense(4, 2, { rng }))
    this.decoder = new Sequential(new Dense(2, 6, { rng }), new Sigmoid())
  }
  forward(x: Value): Value {
    return this.decoder.forward(this.encoder.forward(x))
  }
}

describe('Module', () => {
  const model = new TinyAutoencoder(new Rng(1))

  it('names parameters like PyTorch state dicts, own parameters first, then children in order', () => {
    expect(model.namedParameters().map(([n, p]) => `${n} ${T.formatShape(p.shape)}`)).toEqual([
      'encoder.0.weight [4, 6]', 'encoder.0.bias [4]', 'encoder.2.weight [2, 4]', 'encoder.2.bias [2]',
      'decoder.0.weight [6, 2]', 'decoder.0.bias [6]',
    ])
    expect(model.parameterCount()).toBe(4 * 6 + 4 + 2 * 4 + 2 + 6 * 2 + 6)
  })

  it('train and eval reach every module', () => {
    model.eval()
    expect(model.namedModules().every(([, m]) => !m.training)).toBe(true)
    model.train()
    expect(model.namedModules().every(([, m]) => m.training)).toBe(true)
  })

  it('freezing a submodule stops its gradients and the optimizer leaves it alone', () => {
    const m = new TinyAutoencoder(new Rng(2))
    m.encoder.freeze()
    expect(m.parameterCount({ trainableOnly: true })).toBe(6 * 2 + 6)
    const before = m.encoder.parameters().map((p) => [...p.data.data])
    const opt = new Adam(m.namedParameters(), { lr: 0.1 })
    const x = new Rng(3).uniform([5, 6])
    A.backward(A.mean(A.square(A.sub(m.call(x), x))))
    expect(m.encoder.parameters().every((p) => p.grad === null)).toBe(true)
    expect(m.decoder.parameters().every((p) => p.grad !== null)).toBe(true)
    opt.step()
    m.encoder.parameters().forEach((p, i) => expect([...p.data.data]).toEqual(before[i]))
    expect(String(m)).toMatch(/frozen/)
    m.encoder.unfreeze()
    expect(m.parameterCount({ trainableOnly: true })).toBe(m.parameterCount())
  })

  it('zeroGrad clears every gradient', () => {
    const x = new Rng(4).uniform([3, 6])
    A.backward(A.sum(model.call(x)))
    expect(model.parameters().every((p) => p.grad !== null)).toBe(true)
    model.zeroGrad()
    expect(model.parameters().every((p) => p.grad === null)).toBe(true)
  })

  it('prints a readable summary', () => {
    expect(String(model)).toBe([
      'TinyAutoencoder',
      '  (encoder) Sequential',
      '    (0) Dense(6 -> 4)  weight [4, 6], bias [4]  28 params',
      '    (1) ReLU',
      '    (2) Dense(4 -> 2)  weight [2, 4], bias [2]  10 params',
      '  (decoder) Sequential',
      '    (0) Dense(2 -> 6)  weight [6, 2], bias [6]  18 params',
      '    (1) Sigmoid',
      '56 parameters',
    ].join('\n'))
  })

  it('loadStateDict copies by name and, on any mismatch, names the tensor and changes nothing', () => {
    const a = new TinyAutoencoder(new Rng(5))
    const b = new TinyAutoencoder(new Rng(6))
    b.loadStateDict(a.stateDict())
    expect([...b.parameters()[0].data.data]).toEqual([...a.parameters()[0].data.data])
    const c = new TinyAutoencoder(new Rng(7))
    const snapshot = c.parameters().map((p) => [...p.data.data])
    const bad = new Map(a.stateDict())
    bad.set('decoder.0.bias', T.zeros([5]))
    expect(() => c.loadStateDict(bad))
      .toThrow("loadStateDict: 'decoder.0.bias' is float32 [5], the model has float32 [6]")
    const missing = new Map(a.stateDict())
    missing.delete('encoder.2.weight')
    expect(() => c.loadStateDict(missing))
      .toThrow("loadStateDict: 'encoder.2.weight' is missing (expected float32 [2, 4])")
    const extra = new Map(a.stateDict()).set('head.weight', T.zeros([1]))
    expect(() => c.loadStateDict(extra)).toThrow("loadStateDict: unexpected tensor 'head.weight'")
    expect(() => c.loadStateDict(Object.fromEntries(a.stateDict()) as never))
      .toThrow('loadStateDict: expected a Map from parameter names to tensors, as stateDict() returns')
    c.parameters().forEach((p, i) => expect([...p.data.data]).toEqual(snapshot[i]))
    c.loadStateDict(missing, { strict: false })
  })

  it('Parameter is a leaf that requires a gradient', () => {
    const p = new Parameter(T.ones([2]))
    expect(p.requiresGrad && p.isLeaf).toBe(true)
  })
})

/**
 * The convolutional layers against PyTorch: a state dict saved by PyTorch (fixtures/conv_model.*,
 * written by fixtures/generate.py) loads into a latent Sequential of the same layers by its own
 * names, and gives PyTorch's output; default initialisation follows PyTorch's bounds.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng } from '@latent/tensor'
import {
  AvgPool2d, Conv2d, ConvTranspose2d, decodeSafetensors, Dense, Flatten, MaxPool2d, ReLU, Sequential, Sigmoid,
  Unflatten, Upsample,
} from '../src/index.js'

const fixture = JSON.parse(readFileSync(new URL('./fixtures/conv_model.json', import.meta.url), 'utf8')) as {
  input: { shape: number[]; data: number[] }; output: { shape: number[]; data: number[] }
  shapes: Record<string, number[]>
}

/** bench/torch/conv.py's model, layer for layer. */
const referenceModel = (rng: Rng): Sequential => new Sequential(
  new Conv2d(1, 16, 3, { stride: 2, padding: 1, rng }), new ReLU(),
  new Conv2d(16, 32, 3, { stride: 2, padding: 1, rng }), new ReLU(),
  new Flatten(), new Dense(1568, 32, { rng }),
  new Dense(32, 1568, { rng }), new ReLU(), new Unflatten([32, 7, 7]),
  new ConvTranspose2d(32, 16, 3, { stride: 2, padding: 1, outputPadding: 1, rng }), new ReLU(),
  new ConvTranspose2d(16, 1, 3, { stride: 2, padding: 1, outputPadding: 1, rng }), new Sigmoid(),
)

describe('convolutional layers', () => {
  it("load PyTorch's state dict by name and give its output", () => {
    const model = referenceModel(new Rng(0))
    expect(Object.fromEntries(model.namedParameters().map(([n, p]) => [n, [...p.shape]]))).toEqual(fixture.shapes)
    const { tensors } = decodeSafetensors(readFileSync(new URL('./fixtures/conv_model.safetensors', import.meta.url)))
    model.loadStateDict(tensors)
    const y = model.inEval(() => model.call(T.tensor(fixture.input.data, { shape: fixture.input.shape }))).data
    expect(y.shape).toEqual(fixture.output.shape)
    for (let i = 0; i < y.size; i++) expect(Math.abs(y.data[i] - fixture.output.data[i])).toBeLessThan(1e-5)
  })

  it("draw PyTorch's default initialisation: U(±1/√fan_in), fan_in from weight dimension 1", () => {
    const rng = new Rng(1)
    const bound = (t: T.Tensor): number => T.max(T.abs(t)).item()
    const conv = new Conv2d(8, 20, [3, 5], { rng })
    expect(conv.weight.shape).toEqual([20, 8, 3, 5])
    expect(bound(conv.weight.data)).toBeLessThanOrEqual(1 / Math.sqrt(8 * 15))
    expect(bound(conv.weight.data)).toBeGreaterThan(0.95 / Math.sqrt(8 * 15))
    expect(bound(conv.bias!.data)).toBeLessThanOrEqual(1 / Math.sqrt(8 * 15))
    const convT = new ConvTranspose2d(8, 20, 3, { rng })
    expect(convT.weight.shape).toEqual([8, 20, 3, 3])
    expect(convT.bias!.shape).toEqual([20])
    expect(bound(convT.weight.data)).toBeLessThanOrEqual(1 / Math.sqrt(20 * 9))
    expect(bound(convT.weight.data)).toBeGreaterThan(0.95 / Math.sqrt(20 * 9))
  })

  it('pool, upsample, flatten and unflatten, and name what does not fit', () => {
    const x = T.reshape(T.arange(32), [2, 1, 4, 4])
    expect(new MaxPool2d(2).call(x).data.toArray()).toEqual([[[[5, 7], [13, 15]]], [[[21, 23], [29, 31]]]])
    expect(new AvgPool2d(2).call(x).data.toArray())
      .toEqual([[[[2.5, 4.5], [10.5, 12.5]]], [[[18.5, 20.5], [26.5, 28.5]]]])
    expect(new Upsample(2).call(x).shape).toEqual([2, 1, 8, 8])
    expect(new Flatten().call(x).shape).toEqual([2, 16])
    expect(new Unflatten([1, 4, 4]).call(T.zeros([2, 16])).shape).toEqual([2, 1, 4, 4])
    expect(() => new Unflatten([1, 4, 4]).call(T.zeros([2, 15])))
      .toThrow('Unflatten: expected [N, 16] to make [N, 1, 4, 4], got [2, 15]')
    const rng = new Rng(2)
    expect(() => new Conv2d(3, 4, 3, { rng }).call(x))
      .toThrow('Conv2d(3 -> 4, 3x3, stride 1, padding 0): expected images [N, 3, H, W], got [2, 1, 4, 4]')
    expect(() => new Conv2d(3, 0, 3, { rng })).toThrow(/Conv2d: channels and kernel must be positive integers/)
    expect(() => new Conv2d(3, 4, 3, {} as never))
      .toThrow('Conv2d: pass { rng } (a seeded Rng) for the initial weights')
  })
})

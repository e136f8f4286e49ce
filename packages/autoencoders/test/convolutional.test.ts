/**
 * Convolutional autoencoders: the mirrored decoder gives back the input's size (odd sizes too),
 * the model learns the UCI digits, and the variants and applications work on it.
 */
import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng } from '@latent/tensor'
import { Adam } from '@latent/nn'
import * as AE from '../src/index.js'
import { loadDigits } from '../src/node/index.js'

describe('convolutional autoencoders', () => {
  it('mirror the encoder to the input size, odd sizes and several channels included', () => {
    for (const image of [[1, 8, 8], [3, 7, 5], [2, 9, 12]] as [number, number, number][]) {
      const ae = AE.buildConvAutoencoder({ image, channels: [4, 6], dense: [16, 3], rng: new Rng(1) })
      const x = new Rng(2).uniform([5, image[0] * image[1] * image[2]])
      expect(ae.encode(x).shape).toEqual([5, 3])
      expect(ae.reconstruct(x).shape).toEqual(x.shape)
    }
    expect(() => AE.buildConvAutoencoder({ image: [1, 8, 8], channels: [], dense: [4], rng: new Rng(1) }))
      .toThrow('convolutional: channels must be at least one positive integer, got []')
  })

  it('learn the UCI digits: the test error falls well below the first epoch, and the codes keep classes apart', () => {
    const digits = loadDigits()
    const order = new Rng(3).permutation(digits.x.shape[0])
    const [train, test] = [T.gather(digits.x, order.subarray(0, 1400)), T.gather(digits.x, order.subarray(1400))]
    const spec: AE.ModelSpec = {
      ...AE.defaultSpec('vanilla', [64, 8]), conv: { image: [1, 8, 8], channels: [8, 16], kernel: 3, stride: 2 },
    }
    const ae = AE.buildModel(spec)
    const optimizer = new Adam(ae.namedParameters(), { lr: 3e-3 })
    const history = AE.fit(ae, train, { epochs: 15, batchSize: 64, optimizer, rng: new Rng(4), validation: test })
    const first = history.epochs[0].validation!.reconstruction
    const last = history.epochs.at(-1)!.validation!.reconstruction
    expect(last).toBeLessThan(0.6 * first)
    const labels = Int32Array.from(order.subarray(0, 1400), (i) => digits.labels[i])
    const testLabels = Int32Array.from(order.subarray(1400), (i) => digits.labels[i])
    expect(AE.knnAccuracy(ae.encode(train), labels, ae.encode(test), testLabels, { k: 5 })).toBeGreaterThan(0.8)
  })

  it('variational, denoising and contractive variants build from a spec and train a step', () => {
    const x = new Rng(5).uniform([32, 64])
    const conv = { image: [1, 8, 8] as [number, number, number], channels: [4], kernel: 3, stride: 2 }
    for (const variant of ['variational', 'denoising', 'contractive', 'sparse'] as const) {
      const model = AE.buildModel({ ...AE.defaultSpec(variant, [64, 6]), conv })
      const optimizer = new Adam(model.namedParameters())
      const history = AE.fit(model, x, { epochs: 1, batchSize: 16, optimizer, rng: new Rng(6) })
      expect(Number.isFinite(history.epochs[0].train.total), variant).toBe(true)
      if (model instanceof AE.VariationalAutoencoder) expect(model.sample(3).shape).toEqual([3, 64])
    }
    expect(() => AE.buildModel({ ...AE.defaultSpec('vanilla', [64, 6]), tied: true, conv }))
      .toThrow(/tied weights are not available for convolutional models/)
    expect(() => AE.buildModel({ ...AE.defaultSpec('vanilla', [60, 6]), conv }))
      .toThrow(/the image \[1,8,8\] must hold the 60 inputs/)
  })
})

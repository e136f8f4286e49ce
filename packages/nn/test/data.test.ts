import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng, tensor } from '@latent/tensor'
import {
  batchCount, batches, batchIndices, ByteRows, MinMaxScaler, StandardScaler, train, trainValidationSplit, Adam, Dense,
  mseLoss,
} from '../src/index.js'

describe('batches', () => {
  const x = T.reshape(T.arange(10 * 2), [10, 2])
  const y = T.arange(10)

  it('visits every row once per epoch, in a seeded order, with the last batch smaller', () => {
    const epoch = (seed: number): number[][] =>
      [...batches([x, y], { batchSize: 4, rng: new Rng(seed) })].map(([xb, yb]) => {
        expect(xb.shape[0]).toBe(yb.shape[0])
        for (let i = 0; i < yb.size; i++) expect(xb.data[2 * i]).toBe(2 * yb.data[i]) // rows stay paired
        return [...yb.data]
      })
    const a = epoch(1)
    expect(a.map((b) => b.length)).toEqual([4, 4, 2])
    expect(a.flat().sort((p, q) => p - q)).toEqual([...Array(10).keys()])
    expect(epoch(1)).toEqual(a)
    expect(epoch(2)).not.toEqual(a)
    expect(batchCount(10, 4)).toBe(3)
  })

  it('dropLast drops the partial batch; without rng the order is kept', () => {
    expect([...batches([y], { batchSize: 4, dropLast: true })].map(([b]) => [...b.data]))
      .toEqual([[0, 1, 2, 3], [4, 5, 6, 7]])
    expect(batchCount(10, 4, true)).toBe(2)
    expect(() => [...batches([x, T.arange(3)], { batchSize: 2 })]).toThrow(/different numbers of rows/)
    expect(() => [...batches([x], { batchSize: 0 })]).toThrow(/batchSize must be a positive integer/)
    expect(() => batchCount(10, 0)).toThrow('batchCount: batchSize must be a positive integer, got 0')
  })

  it('batchIndices gives the rows of each batch of batches, in the same seeded order', () => {
    const rows = [...batchIndices(10, { batchSize: 4, rng: new Rng(5) })].map((idx) => [...idx])
    expect(rows).toEqual([...batches([y], { batchSize: 4, rng: new Rng(5) })].map(([b]) => [...b.data]))
    expect([...batchIndices(10, { batchSize: 4, dropLast: true })].map((idx) => [...idx]))
      .toEqual([[0, 1, 2, 3], [4, 5, 6, 7]])
    expect(() => [...batchIndices(10, { batchSize: 1.5 })])
      .toThrow('batchIndices: batchSize must be a positive integer, got 1.5')
  })

  it('trainValidationSplit partitions the rows', () => {
    const { train, validation, trainIndices, validationIndices } =
      trainValidationSplit([x, y], { validation: 0.3, rng: new Rng(3) })
    expect(train[0].shape).toEqual([7, 2])
    expect(validation[1].shape).toEqual([3])
    expect([...trainIndices, ...validationIndices].sort((a, b) => a - b)).toEqual([...Array(10).keys()])
    expect(() => trainValidationSplit([x], { validation: 1, rng: new Rng(1) })).toThrow(/fraction in \(0, 1\)/)
    expect(() => trainValidationSplit(x as never, { validation: 0.3, rng: new Rng(1) }))
      .toThrow('trainValidationSplit: expected an array of tensors, as in [x, y]')
  })
})

describe('ByteRows: images as bytes, converted a batch at a time', () => {
  const bytes = Uint8Array.from({ length: 7 * 5 }, (_, i) => (i * 37) % 256)
  const floats = T.tensor(Float32Array.from(bytes, (b) => b / 255), { shape: [7, 5] })
  const rows = new ByteRows(bytes, [7, 5])

  it('gathers the bits that dividing the bytes gives; subsets stay bytes', () => {
    const idx = Int32Array.of(6, 0, 3, 3)
    expect([...rows.gather(idx).data]).toEqual([...T.gather(floats, idx).data])
    expect([...rows.subset(idx).toTensor().data]).toEqual([...T.gather(floats, idx).data])
    expect([...batches([rows], { batchSize: 3, rng: new Rng(1) })].flatMap(([b]) => [...b.data]))
      .toEqual([...batches([floats], { batchSize: 3, rng: new Rng(1) })].flatMap(([b]) => [...b.data]))
    expect(() => new ByteRows(bytes, [7, 4])).toThrow('ByteRows: shape [7, 4] needs 28 bytes, got 35')
    expect(() => rows.gather([7])).toThrow('ByteRows: row 7 out of range [0, 7)')
  })

  it('training on bytes gives the weights training on the float tensor gives', () => {
    const run = (x: T.Tensor | ByteRows): number[] => {
      const layer = new Dense(5, 5, { rng: new Rng(2) })
      const optimizer = new Adam(layer.namedParameters(), { lr: 0.01 })
      train(layer, [x], { epochs: 3, batchSize: 2, optimizer, rng: new Rng(3),
        loss: ([b]) => ({ total: mseLoss(layer.call(b), b) }) })
      return layer.parameters().flatMap((p) => [...p.data.data])
    }
    expect(run(rows)).toEqual(run(floats))
  })
})

describe('scalers', () => {
  const train = tensor([[0, 10, 5], [2, 20, 5], [4, 40, 5]], { dtype: 'float64' })
  const test = tensor([[1, 30, 6]], { dtype: 'float64' })

  it('MinMaxScaler maps the training range to [0, 1] and is fitted on training data only', () => {
    const s = new MinMaxScaler().fit(train)
    expect(s.transform(train).toArray()).toEqual([[0, 0, 0], [0.5, 1 / 3, 0], [1, 1, 0]])
    expect(s.transform(test).toArray()).toEqual([[0.25, 2 / 3, 1]]) // the constant feature is only shifted
    expect(s.inverseTransform(s.transform(test)).toArray()).toEqual(test.toArray())
  })

  it('StandardScaler centres and divides by the population standard deviation', () => {
    const s = new StandardScaler()
    const z = s.fitTransform(train)
    expect([...T.mean(z, { axis: 0 }).data].map((v) => Math.abs(v) < 1e-15)).toEqual([true, true, true])
    expect(T.variance(z, { axis: 0, correction: 0 }).data[0]).toBeCloseTo(1, 14)
    expect(s.inverseTransform(z).data.every((v, i) => Math.abs(v - train.data[i]) < 1e-12)).toBe(true)
    expect(() => new StandardScaler().transform(test)).toThrow(/call fit\(\) first/)
    expect(() => s.transform(T.zeros([2, 2], { dtype: 'float64' }))).toThrow(/expected \[n, 3\], got \[2, 2\]/)
  })
})

import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng, tensor } from '@latent/tensor'
import { Adam } from '@latent/nn'
import * as AE from '../src/index.js'
import { loadDigits, readMaybeGzip } from '../src/node/index.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { lowRankData } from './helpers.js'

describe('fit', () => {
  const x = lowRankData(120, 1)
  const run = (seed: number, extra: Partial<AE.FitOptions> = {}): { ae: AE.Autoencoder; history: AE.History } => {
    const ae = AE.buildAutoencoder({ sizes: [12, 16, 3], rng: new Rng(seed), loss: 'mse' })
    const history = AE.fit(ae, x, {
      epochs: 8, batchSize: 32, optimizer: new Adam(ae.namedParameters(), { lr: 0.01 }), rng: new Rng(seed + 1),
      validation: lowRankData(40, 2), ...extra,
    })
    return { ae, history }
  }

  it('returns every loss part per epoch, for training and validation, and lowers the loss', () => {
    const { history } = run(1)
    expect(history.epochs).toHaveLength(8)
    expect(Object.keys(history.epochs[0].train).sort()).toEqual(['reconstruction', 'total'])
    expect(history.epochs[7].validation!.total).toBeLessThan(history.epochs[0].validation!.total * 0.5)
    expect(history.stopped).toBe('completed')
  })

  it('trains in WASM memory by default, to the same weights, bit for bit, as in ordinary memory, ' +
    'and hands them back', () => {
    const train = (placement?: 'ordinary') => {
      const ae = AE.buildAutoencoder({ sizes: [12, 16, 3], rng: new Rng(8), loss: 'mse' })
      const memories = new Set<string>()
      const onBatchEnd = () => { memories.add(T.memoryOf(ae.parameters()[0].data)) }
      const optimizer = new Adam(ae.namedParameters(), { lr: 0.01 })
      const history = AE.fit(ae, x, {
        epochs: 8, batchSize: 32, optimizer, rng: new Rng(9), validation: lowRankData(40, 2), placement,
        callbacks: { onBatchEnd },
      })
      return { ae, history, memories, weights: ae.parameters().map((p) => Array.from(p.data.data)) }
    }
    const inArena = train()
    const ordinary = train('ordinary')
    expect([...inArena.memories]).toEqual(['wasm']) // the parameters lived in the arena while training
    expect([...ordinary.memories]).toEqual(['js'])
    expect(inArena.history.epochs.map((e) => [e.train, e.validation]))
      .toEqual(ordinary.history.epochs.map((e) => [e.train, e.validation]))
    expect(inArena.weights).toEqual(ordinary.weights)
    for (const p of inArena.ae.parameters()) expect(T.memoryOf(p.data)).toBe('js') // handed back
  })

  it('gives the same run, bit for bit, on one thread and on two', async () => {
    // Large enough that two threads share the products (m·n·k >= 100³), the long elementwise
    // kernels (>= 32k floats: the 192x200 output, the fused MSE backward, Adam on 200x180) and
    // the loss's fused passes all run.
    const data = new Rng(11).uniform([384, 200])
    const train = () => {
      const ae = AE.buildAutoencoder({ sizes: [200, 180, 32], rng: new Rng(12), loss: 'mse' })
      const history = AE.fit(ae, data, {
        epochs: 2, batchSize: 192, optimizer: new Adam(ae.namedParameters(), { lr: 1e-3 }), rng: new Rng(13),
      })
      return {
        totals: history.epochs.map((e) => e.train.total),
        weights: ae.parameters().map((p) => Array.from(p.data.data)),
      }
    }
    try {
      T.setNumThreads(1)
      const one = train()
      T.setNumThreads(2)
      for (let wait = 0; T.getBackendInfo().readyWorkers < 1 && wait < 200; wait++) {
        await new Promise((r) => setTimeout(r, 25))
      }
      expect(T.getBackendInfo().threads).toBe(2)
      const two = train()
      expect(T.getBackendInfo().threadError).toBeUndefined()
      expect(two.totals).toEqual(one.totals)
      two.weights.forEach((w, i) => expect(w).toEqual(one.weights[i]))
    } finally {
      T.setNumThreads(T.getDefaultThreads())
    }
  })

  it('is deterministic for a given seed', () => {
    const a = run(3).history.epochs.map((e) => e.train.total)
    const b = run(3).history.epochs.map((e) => e.train.total)
    expect(a).toEqual(b)
    expect(run(4).history.epochs.map((e) => e.train.total)).not.toEqual(a)
  })

  it('stops between batches when asked, and keeps only whole epochs', () => {
    const signal = { aborted: false }
    let batches = 0
    const onBatchEnd = () => { if (++batches === 10) signal.aborted = true }
    const { history } = run(5, { signal, callbacks: { onBatchEnd } })
    expect(history.stopped).toBe('interrupted')
    expect(history.epochs).toHaveLength(2) // 4 batches per epoch: epochs 1 and 2 done, stopped in 3
  })

  it.each(['arena', 'ordinary'] as const)(
    'stops before the update that a NaN loss would make (placement: %s)', (placement) => {
    // One value near float32's largest: the first batch that holds its row has an infinite loss.
    const bad = T.add(x, 0)
    bad.data[37 * 12 + 5] = 3e38
    const train = (stopAfter?: number) => {
      const ae = AE.buildAutoencoder({ sizes: [12, 16, 3], rng: new Rng(9), loss: 'mse' })
      const signal = { aborted: false }
      let batches = 0
      const onBatchEnd = () => { if (++batches === stopAfter) signal.aborted = true }
      const history = AE.fit(ae, bad, {
        epochs: 8, batchSize: 32, optimizer: new Adam(ae.namedParameters(), { lr: 0.01 }), rng: new Rng(10),
        placement, signal, callbacks: { onBatchEnd },
      })
      return { history, batches, weights: ae.parameters().map((p) => Array.from(p.data.data)) }
    }
    const diverged = train()
    expect(diverged.history.stopped).toBe('diverged')
    expect(diverged.history.diverged).toEqual({ epoch: 1, batch: diverged.batches + 1, total: Infinity })
    expect(diverged.history.epochs).toHaveLength(0)
    for (const w of diverged.weights) expect(w.every(Number.isFinite)).toBe(true)
    // The weights are those after the last good batch: a run stopped there by its signal.
    expect(diverged.batches).toBeGreaterThan(0)
    const stopped = train(diverged.batches)
    expect(stopped.history.stopped).toBe('interrupted')
    expect(diverged.weights).toEqual(stopped.weights)
    // NaN in the data is named before training, not reported as a diverged loss.
    bad.data[37 * 12 + 5] = NaN
    const ae = AE.buildAutoencoder({ sizes: [12, 3], rng: new Rng(9) })
    const once = { epochs: 1, batchSize: 32, optimizer: new Adam(ae.namedParameters()), rng: new Rng(1) }
    expect(() => AE.fit(ae, bad, once))
      .toThrow('fit: the training data hold NaN at row 37, column 5')
    // Misspelt options are refused by name, not ignored.
    expect(() => AE.fit(ae, x, { ...once, valdation: x } as never)).toThrow(/fit: unknown option 'valdation'/)
    expect(() => AE.buildAutoencoder({ sizes: [12, 3], rng: new Rng(9), activaton: 'tanh' } as never))
      .toThrow(/buildAutoencoder: unknown option 'activaton'/)
    expect(() => AE.parseCsv('a,b\n1,2\n', { lable: 'b' } as never)).toThrow(/CSV file: unknown option 'lable'/)
  })

  it('early stopping restores the best epoch', () => {
    const ae = AE.buildAutoencoder({ sizes: [12, 6, 3], rng: new Rng(6) })
    // A learning rate far too high makes the validation loss worse quickly.
    const history = AE.fit(ae, x, {
      epochs: 30, batchSize: 32, optimizer: new Adam(ae.namedParameters(), { lr: 0.3 }), rng: new Rng(7),
      validation: x, earlyStopping: { patience: 3 },
    })
    expect(history.stopped).toBe('early stopping')
    const best = history.epochs.find((e) => e.epoch === history.bestEpoch)!
    expect(AE.evaluate(ae, x).total).toBeCloseTo(best.validation!.total, 5)
  })

  it('rejects bad options with a clear message', () => {
    const ae = AE.buildAutoencoder({ sizes: [12, 3], rng: new Rng(1) })
    const optimizer = new Adam(ae.namedParameters())
    expect(() => AE.fit(ae, x, { epochs: 1, batchSize: 0, optimizer, rng: new Rng(1) }))
      .toThrow(/batchSize must be a positive integer/)
    expect(() => AE.fit(ae, T.zeros([4]), { epochs: 1, batchSize: 2, optimizer, rng: new Rng(1) }))
      .toThrow(/fit: expected data of shape \[n, features\], got \[4\]/)
    expect(() => AE.fit(ae, T.zeros([0, 12]), { epochs: 1, batchSize: 2, optimizer, rng: new Rng(1) }))
      .toThrow(/fit: the data has no rows/)
    expect(() => AE.fit(ae, T.zeros([4, 5]), { epochs: 1, batchSize: 2, optimizer, rng: new Rng(1) }))
      .toThrow('Dense(12 -> 3): input [2, 5] has 5 features, the layer takes 12')
    const tied = AE.buildAutoencoder({ sizes: [12, 3], tied: true, rng: new Rng(1) })
    expect(() => tied.decode(T.zeros([2, 4])))
      .toThrow('TiedDense(3 -> 12, weight shared): input [2, 4] has 4 features, the layer takes 3')
    expect(() => AE.fit(ae, x, { epochs: 1, batchSize: 2, optimizer, rng: new Rng(1), validation: T.zeros([3, 5]) }))
      .toThrow(/fit \(validation\): expected data of shape \[n, 12\]/)
  })
})

describe('stacked pretraining', () => {
  it('greedy layer-wise pretraining, then fine-tuning, beats the same fine-tuning from random weights', () => {
    const x = lowRankData(300, 3)
    const build = () => AE.buildAutoencoder({ sizes: [12, 8, 3], rng: new Rng(8), loss: 'bce' })
    const fine = (ae: AE.Autoencoder) => AE.fit(ae, x, {
      epochs: 3, batchSize: 30, optimizer: new Adam(ae.namedParameters(), { lr: 0.01 }), rng: new Rng(9),
    })
    const pre = build()
    const histories = AE.pretrainLayerwise(pre, x, {
      epochs: 10, batchSize: 30, rng: new Rng(10), optimizer: (p) => new Adam(p, { lr: 0.01 }),
    })
    expect(histories).toHaveLength(2)
    const a = fine(pre).epochs.at(-1)!.train.total
    const b = fine(build()).epochs.at(-1)!.train.total
    expect(a).toBeLessThan(b)
    const optimizer = new Adam(pre.namedParameters()) as never
    expect(() => AE.pretrainLayerwise(pre, x, { epochs: 1, batchSize: 30, rng: new Rng(10), optimizer }))
      .toThrow('pretrainLayerwise: optimizer must make one optimizer per layer, ' +
        'e.g. (params) => new Adam(params, { lr: 1e-3 })')
  })
})

describe('PCA', () => {
  it('recovers a known decomposition: axes, variances and exact low-rank reconstruction', () => {
    // Data = mean + Σ_k c_k s_k u_k with orthonormal u_k and independent unit coordinates c_k.
    const rng = new Rng(1)
    const d = 6
    const u = [[1, 0, 0, 0, 0, 0], [0, 0.6, 0.8, 0, 0, 0], [0, 0.8, -0.6, 0, 0, 0]]
    const s = [3, 2, 0.5]
    const n = 4000
    const xs = new Float64Array(n * d)
    for (let i = 0; i < n; i++) {
      const c = [0, 1, 2].map(() => rng.normalPair()[0])
      for (let j = 0; j < d; j++) xs[i * d + j] = 5 + c.reduce((acc, ck, k) => acc + ck * s[k] * u[k][j], 0)
    }
    const x = new T.Tensor(xs, [n, d])
    const pca = new AE.PCA(3).fit(x)
    for (let k = 0; k < 3; k++) {
      const dot = Math.abs(u[k].reduce((acc, v, j) => acc + v * pca.components!.data[k * d + j], 0))
      expect(dot).toBeCloseTo(1, 3)
      expect(Math.sqrt(pca.explainedVariance![k])).toBeCloseTo(s[k], 1)
    }
    expect(pca.explainedVarianceRatio!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10)
    const back = pca.reconstruct(x)
    expect(Math.max(...back.data.map((v, i) => Math.abs(v - xs[i])))).toBeLessThan(1e-9)
  })

  it('the subspace-iteration path (many features) agrees with the full eigendecomposition', () => {
    const x = new Rng(2).normal([500, 300], 0, 1, 'float64')
    for (let i = 0; i < 500; i++) for (let j = 0; j < 300; j++) x.data[i * 300 + j] *= 1 + 10 / (1 + j)
    const cov = T.div(
      T.matmul(T.sub(x, T.mean(x, { axis: 0 })), T.sub(x, T.mean(x, { axis: 0 })), { transposeA: true }), 499)
    const full = AE.symmetricEigen(cov.data, 300)
    const lead = AE.leadingEigen(cov.data as Float64Array, 300, 5)
    for (let k = 0; k < 5; k++) expect(lead.values[k]).toBeCloseTo(full.values[k], 8)
    const pca = new AE.PCA(5).fit(x)
    expect(pca.explainedVariance![0]).toBeCloseTo(full.values[0], 8)
  })

  it('rejects bad input', () => {
    expect(() => new AE.PCA(0)).toThrow(/positive integer/)
    expect(() => new AE.PCA(5).fit(T.zeros([10, 3]))).toThrow(/5 components asked of 3 features/)
    expect(() => new AE.PCA(2).transform(T.zeros([1, 2]))).toThrow(/call fit\(\) first/)
  })
})

describe('metrics', () => {
  it('AUROC, ROC and average precision on a worked example', () => {
    // scores 0.9(1) 0.8(0) 0.7(1) 0.6(0): of the 4 (positive, negative) pairs, 3 are ordered
    // correctly, so AUROC = 3/4. Precision at each positive: 1/1 and 2/3: AP = (1 + 2/3)/2.
    const scores = [0.9, 0.8, 0.7, 0.6]
    const labels = [1, 0, 1, 0]
    expect(AE.auroc(scores, labels)).toBe(0.75)
    expect(AE.rocCurve(scores, labels)).toEqual({
      fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [Infinity, 0.9, 0.8, 0.7, 0.6],
    })
    expect(AE.precisionRecall(scores, labels).averagePrecision).toBeCloseTo((1 + 2 / 3) / 2, 14)
    expect(AE.auroc([1, 1, 1], [1, 0, 0])).toBe(0.5) // ties count half
    expect(AE.quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(() => AE.auroc([1, 2], [1, 1])).toThrow(/needs both classes/)
  })
})

describe('anomaly detection', () => {
  it('finds planted outliers among normal data', () => {
    const normal = lowRankData(300, 4)
    const ae = AE.buildAutoencoder({ sizes: [12, 6, 3], rng: new Rng(11), loss: 'bce' })
    AE.fit(ae, normal, {
      epochs: 40, batchSize: 30, optimizer: new Adam(ae.namedParameters(), { lr: 0.01 }), rng: new Rng(12),
    })
    const detector = new AE.AnomalyDetector(ae).fit(normal, { contamination: 0.02 })
    const outliers = new Rng(13).uniform([10, 12]) // not on the 3-D manifold
    const test = T.concat([lowRankData(100, 5), outliers])
    const labels = [...Array(110).keys()].map((i) => (i >= 100 ? 1 : 0))
    const report = detector.report(test, labels)
    expect(report.auroc).toBeGreaterThan(0.97)
    expect(report.recall).toBeGreaterThanOrEqual(0.9)
    expect(detector.predict(outliers).every((p) => p === 1)).toBe(true)
  })
})

describe('anomaly thresholds', () => {
  it('come from a quantile of the training scores or a contamination rate, and a bad one is named', () => {
    const x = lowRankData(50, 6)
    const ae = AE.buildAutoencoder({ sizes: [12, 3], rng: new Rng(14) })
    const byQuantile = new AE.AnomalyDetector(ae).fit(x, { quantile: 0.9 }).threshold
    expect(byQuantile).toBe(AE.quantile(Array.from(ae.reconstructionError(x).data), 0.9))
    expect(new AE.AnomalyDetector(ae).fit(x, { contamination: 0.1 }).threshold).toBe(byQuantile)
    const detector = new AE.AnomalyDetector(ae)
    expect(() => detector.fit(x, { contamination: 0 }))
      .toThrow('AnomalyDetector.fit: contamination must be in (0, 1), got 0')
    expect(() => detector.fit(x, { quantile: 1.5 })).toThrow('AnomalyDetector.fit: quantile must be in (0, 1), got 1.5')
    expect(() => detector.fit(x, { quantile: 0.9, contamination: 0.1 } as never))
      .toThrow('AnomalyDetector.fit: pass either { quantile } or { contamination }')
    expect(() => detector.predict(x)).toThrow(/call fit\(\) first/)
  })
})

describe('embeddings, features and fine-tuning on the digits', () => {
  const digits = loadDigits()
  const rng = new Rng(20)
  const order = rng.permutation(digits.x.shape[0])
  const train = order.subarray(0, 1300)
  const test = order.subarray(1300)
  const xTrain = T.gather(digits.x, train)
  const xTest = T.gather(digits.x, test)
  const yTrain = Array.from(train, (i) => digits.labels[i])
  const yTest = Array.from(test, (i) => digits.labels[i])
  const ae = AE.buildAutoencoder({ sizes: [64, 32, 8], rng: new Rng(21), loss: 'bce' })
  AE.fit(ae, xTrain, {
    epochs: 25, batchSize: 32, optimizer: new Adam(ae.namedParameters(), { lr: 3e-3 }), rng: new Rng(22),
  })

  it('loads the embedded digits', () => {
    expect(digits.x.shape).toEqual([1797, 64])
    expect(Math.max(...digits.x.data)).toBe(1)
    expect(new Set(digits.labels).size).toBe(10)
  })

  it('codes of new data keep classes apart: kNN accuracy with each metric, and nearest neighbours', () => {
    const codesTrain = ae.encode(xTrain)
    const codesTest = ae.encode(xTest)
    for (const metric of ['euclidean', 'cosine', 'manhattan'] as const) {
      expect(AE.knnAccuracy(codesTrain, yTrain, codesTest, yTest, { k: 5, metric })).toBeGreaterThan(0.85)
    }
    const { indices, distances } =
      AE.nearestNeighbors(codesTrain, T.slice(codesTrain, 0, 0, 3), { k: 4, exclude: 'self' })
    expect(indices[0]).not.toContain(0)
    expect([...distances[1]]).toEqual([...distances[1]].sort((a, b) => a - b))
    expect(() => AE.nearestNeighbors(codesTrain, codesTest, { k: 1, metric: 'hamming' as never }))
      .toThrow(/unknown metric 'hamming'/)
    // A row holding NaN would rank as nearest to everything: refused, in either input.
    const holed = T.add(codesTest, 0)
    holed.data[1 * holed.shape[1]] = NaN
    expect(() => AE.nearestNeighbors(codesTrain, holed, { k: 1 }))
      .toThrow('nearestNeighbors: the queries hold NaN at row 1, column 0')
    expect(() => AE.nearestNeighbors(holed, codesTest, { k: 1 })).toThrow(/the reference rows hold NaN at row 1/)
    expect(() => AE.nearestNeighbors(codesTrain, codesTest, { k: 1, metrc: 'cosine' } as never))
      .toThrow(/nearestNeighbors: unknown option 'metrc'/)
  })

  it('linear probe on the codes, and a classifier head: frozen encoder vs fine-tuned, ' +
    'against random initialisation with few labels', () => {
    expect(AE.linearProbe((x) => ae.encode(x), xTrain, yTrain, xTest, yTest, { rng: new Rng(23) }))
      .toBeGreaterThan(0.85)
    // Pretraining pays off when labels are few: a 16-dimensional code (trained without labels on
    // all 1300 training images), a head trained on 50 labelled ones, averaged over three seeds.
    const pre = AE.buildAutoencoder({ sizes: [64, 32, 16], rng: new Rng(40), loss: 'mse' })
    AE.fit(pre, xTrain, {
      epochs: 25, batchSize: 32, optimizer: new Adam(pre.namedParameters(), { lr: 3e-3 }), rng: new Rng(41),
    })
    const xFew = T.slice(xTrain, 0, 0, 50)
    const yFew = yTrain.slice(0, 50)
    const copyOfPretrained = (): AE.Autoencoder => {
      const copy = AE.buildAutoencoder({ sizes: [64, 32, 16], rng: new Rng(99) })
      copy.loadStateDict(pre.stateDict())
      return copy
    }
    const mean = { frozen: 0, tuned: 0, scratch: 0 }
    for (const seed of [24, 30, 40]) {
      const head = (encoder: AE.Autoencoder['encoder'], freeze: boolean): number => {
        const clf = new AE.Classifier(encoder, 16, 10, { rng: new Rng(seed), freezeEncoder: freeze })
        AE.trainClassifier(clf, xFew, yFew, { epochs: 60, batchSize: 10, lr: 0.01, rng: new Rng(seed + 1) })
        return clf.accuracy(xTest, yTest) / 3
      }
      const frozenCopy = copyOfPretrained()
      mean.frozen += head(frozenCopy.encoder, true)
      // Freezing means the encoder's weights did not move at all.
      expect(frozenCopy.encoder.parameters().every((p, i) =>
        [...p.data.data].join() === [...pre.encoder.parameters()[i].data.data].join())).toBe(true)
      mean.tuned += head(copyOfPretrained().encoder, false)
      mean.scratch += head(AE.buildAutoencoder({ sizes: [64, 32, 16], rng: new Rng(seed + 2) }).encoder, false)
    }
    expect(mean.frozen).toBeGreaterThan(mean.scratch)
    expect(mean.tuned).toBeGreaterThan(mean.scratch)
  })

  it('trainClassifier refuses a NaN loss before updating the head', () => {
    const encoder = AE.buildAutoencoder({ sizes: [64, 8], rng: new Rng(50) }).encoder
    const clf = new AE.Classifier(encoder, 8, 10, { rng: new Rng(51) })
    const before = clf.parameters().map((p) => Array.from(p.data.data))
    const bad = T.add(T.slice(xTrain, 0, 0, 10), 0)
    bad.data[3] = NaN
    expect(() => AE.trainClassifier(clf, bad, yTrain.slice(0, 10), { epochs: 1, batchSize: 10, rng: new Rng(52) }))
      .toThrow(/trainClassifier: the loss was NaN in epoch 1; the update was not applied/)
    expect(clf.parameters().map((p) => Array.from(p.data.data))).toEqual(before)
  })

  it('inpainting restores masked pixels and never changes known ones; latent 2-D view', () => {
    const x = T.slice(xTest, 0, 0, 20)
    const mask = new Rng(27).bernoulli(x.shape, 0.7)
    const restored = AE.inpaint(ae, x, mask, { iterations: 15 })
    let holeErr = 0
    let zeroErr = 0
    let holes = 0
    for (let i = 0; i < x.size; i++) {
      if (mask.data[i] === 1) expect(restored.data[i]).toBe(x.data[i])
      else {
        holes++
        holeErr += (restored.data[i] - x.data[i]) ** 2
        zeroErr += x.data[i] ** 2
      }
    }
    expect(holeErr / holes).toBeLessThan((zeroErr / holes) * 0.6)
    expect(AE.latent2d(ae, x).shape).toEqual([20, 2])
  })
})

describe('data files', () => {
  it('IDX: parses a small array; bad magic, truncation and trailing bytes are errors', () => {
    const bytes = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6])
    expect(AE.parseIdx(bytes)).toEqual({ shape: [2, 3], data: bytes.subarray(12) })
    expect(() => AE.parseIdx(new Uint8Array([1, 2, 3, 4]), 'x.idx'))
      .toThrow('x.idx: wrong magic number 01 02 03 04 (expected 00 00 08 nn): not an IDX file')
    expect(() => AE.parseIdx(bytes.subarray(0, 15), 'x.idx'))
      .toThrow('x.idx: truncated: shape [2, 3] needs 6 bytes of data, the file has 3')
    expect(() => AE.parseIdx(new Uint8Array([...bytes, 9]), 'x.idx')).toThrow(/1 unexpected bytes after the data/)
    const labels = { shape: [3], data: new Uint8Array([1, 2, 3]) }
    expect(() => AE.fromIdx({ shape: [2, 1, 3], data: bytes.subarray(12) }, labels, 'set', []))
      .toThrow('set: 3 labels for 2 images')
    const images = { shape: [3, 1, 2], data: bytes.subarray(12) }
    expect(AE.fromIdx(images, labels, 'set', ['a', 'b', 'c', 'd']).labels).toEqual(Int32Array.from([1, 2, 3]))
    expect(() => AE.fromIdx(images, labels, 'set', ['a', 'b', 'c']))
      .toThrow('set: label 2 is 3, not a class number from 0 to 2')
    // The pixels stay bytes; x (bytes / 255) is made on first use; a subset keeps bytes.
    const d = AE.fromIdx(images, labels, 'set', ['a', 'b', 'c', 'd'])
    expect(d.bytes!.shape).toEqual([3, 2])
    expect(AE.shapeOf(d)).toEqual([3, 2])
    expect([...d.x.data]).toEqual([...Float32Array.from(bytes.subarray(12), (b) => b / 255)])
    const part = AE.subset(d, [2, 0])
    expect([...part.bytes!.bytes]).toEqual([5, 6, 1, 2])
    expect([...part.labels]).toEqual([3, 1])
  })

  it('gzip files: read in one chunk of the size their trailer gives; ' +
    'truncated or damaged ones fail with one message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'latent-gz-'))
    try {
      const raw = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251) // several default (64 KiB) chunks
      const gz = gzipSync(raw)
      writeFileSync(join(dir, 'a.gz'), gz)
      expect(Buffer.from(readMaybeGzip(join(dir, 'a.gz'))).equals(Buffer.from(raw))).toBe(true)
      writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 100))
      expect(() => readMaybeGzip(join(dir, 'cut.gz'))).toThrow(/cut.gz: corrupted or truncated gzip data/)
      const bad = Uint8Array.from(gz)
      bad[bad.length - 1] = 0xff // a trailer claiming 4 GB
      writeFileSync(join(dir, 'bad.gz'), bad)
      expect(() => readMaybeGzip(join(dir, 'bad.gz'))).toThrow(/bad.gz: corrupted or truncated gzip data/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('CSV: header, label by name or index, scaling; errors name the line and column', () => {
    const table = AE.parseCsv('a,b,label\n1,2,0\n3,6,1\n', { label: 'label', scale: 'minmax' })
    expect(table.x.toArray()).toEqual([[0, 0], [1, 1]])
    expect([...table.labels!]).toEqual([0, 1])
    expect(table.columns).toEqual(['a', 'b'])
    expect(AE.parseCsv('1,2\n3,4', { label: -1 }).x.toArray()).toEqual([[1], [3]])
    expect(() => AE.parseCsv('a,b\n1,x\n', {}, 'f.csv')).toThrow("f.csv: line 2, column 2 ('b'): 'x' is not a number")
    expect(() => AE.parseCsv('1,2\n3\n', {}, 'f.csv')).toThrow('f.csv: line 2 has 1 cells, expected 2')
    expect(() => AE.parseCsv('a,b\n1,2\n', { label: 'c' }, 'f.csv'))
      .toThrow("f.csv: no column named 'c' (columns: a, b)")
    expect(() => AE.parseCsv('', {}, 'f.csv')).toThrow('f.csv: the file is empty')
    // Class names: sorted, and the labels index them; no header is guessed from a name.
    const named = AE.parseCsv('5.1,3.5,setosa\n7.0,3.2,versicolor\n4.9,3.0,setosa\n', { label: -1 })
    expect(named.x.toArray())
      .toEqual([[5.1, 3.5].map(Math.fround), [7, 3.2].map(Math.fround), [4.9, 3].map(Math.fround)])
    expect(named.classes).toEqual(['setosa', 'versicolor'])
    expect([...named.labels!]).toEqual([0, 1, 0])
    // A number that is not a class number is an error, not a reason to read every label as a name.
    expect(() => AE.parseCsv('x,y\n1,-1\n2,1\n', { label: 'y' }, 'f.csv')).toThrow(
      'f.csv: line 2, column 2: the label -1 is not a class number (an integer from 0 to 9999); '
        + 'class names must not be numbers')
    expect(() => AE.parseCsv('x,y\n1,2e9\n', { label: 'y' })).toThrow(/the label 2e9 is not a class number/)
    // Quotes (RFC 4180), another delimiter, float32 overflow, and text in pieces of any size.
    const quoted = AE.parseCsv('"width, cm";"kind"\n1.5;"a ""b"""\n2;c\n', { label: 'kind', delimiter: ';' })
    expect(quoted.columns).toEqual(['width, cm'])
    expect(quoted.classes).toEqual(['a "b"', 'c'])
    expect(() => AE.parseCsv('a,b\n1,1e39\n', {}, 'f.csv'))
      .toThrow("f.csv: line 2, column 2 ('b'): 1e39 is too large for float32")
    const text = 'a,b,label\n' + Array.from({ length: 200_000 }, (_, i) => `${i % 7},${i % 5},${i % 3}`).join('\n')
    const reader = new AE.CsvReader({ label: 'label' })
    for (let at = 0; at < text.length; at += 4093) reader.push(text.slice(at, at + 4093))
    const whole = AE.parseCsv(text, { label: 'label' })
    const pieces = reader.finish()
    expect(pieces.x.shape).toEqual([200_000, 2])
    expect(Array.from(pieces.x.data)).toEqual(Array.from(whole.x.data))
    expect(Array.from(pieces.labels!)).toEqual(Array.from(whole.labels!))
    expect(AE.parseCsv('x,y\n1,0\n2,3\n', { label: 'y' }).classes).toBeUndefined()
    expect(() => AE.parseCsv('x,y\n1,a\n2,\n', { label: 'y' }, 'f.csv'))
      .toThrow("f.csv: line 3, column 2 ('y'): the label is empty")
    expect(tensor([1]).size).toBe(1)
  })
})

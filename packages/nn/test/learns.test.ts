/** "It learns": small networks trained end to end reach the accuracy the problems allow. */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng, tensor } from '@latent/tensor'
import * as A from '@latent/autodiff'
import {
  Adam, batches, bceWithLogitsLoss, crossEntropyLoss, Dense, ReLU, Sequential, SGD, StandardScaler, Tanh,
  trainValidationSplit,
} from '../src/index.js'

function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hit = 0
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hit++
  return hit / labels.length
}

describe('it learns', () => {
  it('XOR with a 2-8-1 tanh network and SGD with momentum', () => {
    const rng = new Rng(1)
    const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    const y = tensor([[0], [1], [1], [0]])
    const net = new Sequential(new Dense(2, 8, { rng }), new Tanh(), new Dense(8, 1, { rng }))
    const opt = new SGD(net.namedParameters(), { lr: 0.5, momentum: 0.9 })
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad()
      A.backward(bceWithLogitsLoss(net.call(x), y))
      opt.step()
    }
    const p = T.greater(A.noGrad(() => net.call(x)).data, 0)
    expect([...p.data]).toEqual([0, 1, 1, 0])
  })

  it('two moons: at least 97% of held-out points', () => {
    // sklearn's make_moons: two interleaved half circles, Gaussian noise 0.15.
    const rng = new Rng(2)
    const n = 400
    const pts: number[] = []
    const labels: number[] = []
    for (let i = 0; i < n; i++) {
      const t = Math.PI * rng.float()
      const upper = i % 2 === 0
      const [nx, ny] = rng.normalPair()
      pts.push((upper ? Math.cos(t) : 1 - Math.cos(t)) + 0.15 * nx,
        (upper ? Math.sin(t) : 0.5 - Math.sin(t)) + 0.15 * ny)
      labels.push(upper ? 0 : 1)
    }
    const x = tensor(pts, { shape: [n, 2] })
    const y = tensor(labels, { shape: [n, 1] })
    const { train: [xt, yt], validation: [xv, yv] } = trainValidationSplit([x, y], { validation: 0.25, rng })
    const net = new Sequential(new Dense(2, 16, { rng }), new Tanh(), new Dense(16, 16, { rng }), new Tanh(),
      new Dense(16, 1, { rng }))
    const opt = new Adam(net.namedParameters(), { lr: 0.02 })
    for (let epoch = 0; epoch < 60; epoch++) {
      for (const [xb, yb] of batches([xt, yt], { batchSize: 32, rng })) {
        opt.zeroGrad()
        A.backward(bceWithLogitsLoss(net.call(xb), yb))
        opt.step()
      }
    }
    const predicted = T.greater(A.noGrad(() => net.call(xv)).data, 0)
    expect(accuracy(predicted.data, yv.data)).toBeGreaterThanOrEqual(0.97)
  })

  it('UCI digits: an MLP reaches at least 95% test accuracy (25 short epochs)', () => {
    const csv = gunzipSync(readFileSync(new URL('../../autoencoders/data/digits.csv.gz', import.meta.url)))
      .toString('utf8')
    const rows = csv.trim().split('\n').map((l) => l.split(',').map(Number))
    const x = tensor(rows.flatMap((r) => r.slice(0, 64)), { shape: [rows.length, 64] })
    const y = tensor(rows.map((r) => r[64]))
    const rng = new Rng(3)
    const { train: [xt, yt], validation: [xv, yv] } = trainValidationSplit([x, y], { validation: 0.25, rng })
    const scaler = new StandardScaler().fit(xt)
    const net = new Sequential(new Dense(64, 64, { rng, init: 'kaiming-uniform' }), new ReLU(),
      new Dense(64, 10, { rng }))
    const opt = new Adam(net.namedParameters(), { lr: 0.003 })
    for (let epoch = 0; epoch < 25; epoch++) {
      for (const [xb, yb] of batches([scaler.transform(xt), yt], { batchSize: 32, rng })) {
        opt.zeroGrad()
        A.backward(crossEntropyLoss(net.call(xb), yb.data))
        opt.step()
      }
    }
    const logits = A.noGrad(() => net.call(scaler.transform(xv))).data
    const acc = accuracy(T.argmax(logits, { axis: 1 }).data, yv.data)
    expect(acc).toBeGreaterThanOrEqual(0.95)
  })
})

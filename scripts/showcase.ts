/**
 * A short tour of @latent/tensor on the embedded digits data: load, scale, broadcast, reduce,
 * and a matrix product. Run with `pnpm demo`.
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import * as T from '@latent/tensor'

const path = new URL('../packages/autoencoders/data/digits.csv.gz', import.meta.url)
const rows = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n').map((l) => l.split(',').map(Number))
const pixels = T.tensor(rows.flatMap((r) => r.slice(0, 64)), { shape: [rows.length, 64] })
const labels = rows.map((r) => r[64])
console.log(`digits: ${pixels.shape[0]} images of 8x8 pixels, values 0..16`)

const x = T.div(pixels, 16) // scale to [0, 1]
const meanImage = T.mean(x, { axis: 0 })
console.log('mean image (first row of pixels):', T.slice(T.reshape(meanImage, [8, 8]), 0, 0, 1).toString())

// Centre the data (broadcasting [1797, 64] - [64]) and form the 64x64 covariance matrix.
const centred = T.sub(x, meanImage)
const cov = T.div(T.matmul(centred, centred, { transposeA: true }), x.shape[0] - 1)
console.log(`covariance: ${T.formatShape(cov.shape)}, total variance ${T.sum(T.variance(x, { axis: 0 })).item().toFixed(3)} = trace ${[...Array(64).keys()].reduce((s, i) => s + cov.data[i * 65], 0).toFixed(3)}`)

// Nearest class mean: a one-line classifier with broadcasting and argmax.
const rng = new T.Rng(0)
const order = rng.permutation(x.shape[0])
const train = order.slice(0, 1200)
const test = order.slice(1200)
const means = T.stack([...Array(10).keys()].map((c) => T.mean(T.gather(x, train.filter((i) => labels[i] === c)), { axis: 0 })))
const xt = T.gather(x, test)
// Squared distances |x|² - 2 x·m + |m|², shape [test, 10].
const d = T.add(T.sub(T.sum(T.square(xt), { axis: 1, keepdims: true }), T.mul(2, T.matmul(xt, means, { transposeB: true }))), T.sum(T.square(means), { axis: 1 }))
const predicted = T.argmax(T.neg(d), { axis: 1 })
const correct = [...test].filter((i, k) => predicted.data[k] === labels[i]).length
console.log(`nearest class mean: ${((100 * correct) / test.length).toFixed(1)}% of ${test.length} held-out digits`)
console.log(`matrix products run on: ${T.getBackendInfo().kernel}`)

import { Rng } from '@latent/tensor'
import { Adam } from '@latent/nn'
import { buildAutoencoder, fit } from '@latent/autoencoders'
import { loadMnistLike } from '@latent/autoencoders/node'
const mb = () => (process.memoryUsage().rss / 1048576).toFixed(0) + ' MB rss, heap ' + (process.memoryUsage().heapUsed / 1048576).toFixed(0) + ', ab ' + (process.memoryUsage().arrayBuffers / 1048576).toFixed(0) + ', peak ' + (process.resourceUsage().maxRSS / 1024).toFixed(0)
console.log('start', mb())
const { train } = loadMnistLike('/usr/share/datasets/fashion-mnist')
console.log('loaded', mb())
const ae = buildAutoencoder({ sizes: [784, 256, 64], loss: 'mse', rng: new Rng(1) })
const optimizer = new Adam(ae.namedParameters(), { lr: 1e-3 })
let n = 0
fit(ae, train.x, { epochs: 1, batchSize: 256, optimizer, rng: new Rng(2), callbacks: { onBatchEnd: () => { if (++n % 60 === 1) console.log('batch', n, mb()) } } })
console.log('done', mb())

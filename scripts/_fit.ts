import { Rng, setNumThreads } from '@latent/tensor'
import { Adam } from '@latent/nn'
import { buildAutoencoder, fit } from '@latent/autoencoders'
setNumThreads(Number(process.env.TH ?? 1))
const x = new Rng(1).uniform([256 * 60, 784])
const ae = buildAutoencoder({ sizes: [784, 256, 64], loss: 'mse', rng: new Rng(1) })
const optimizer = new Adam(ae.namedParameters(), { lr: 1e-3 })
for (const resident of (process.env.MODE === "r" ? [true, true] : [true, false, true, false])) {
  const h = fit(ae, x, { epochs: 1, batchSize: 256, optimizer, rng: new Rng(2), resident })
  console.log('resident', resident, (x.shape[0] / h.epochs[0].seconds).toFixed(0), 'samples/s')
}
process.exit(0)

// One run of the convolutional autoencoder bench (see conv.ts), on the built packages:
//   node bench/src/conv-run.mjs THREADS EPOCHS DATA_DIR [SEED]
// Prints one JSON line: samples/s per epoch, the training loss per epoch, the test MSE per pixel
// after the last epoch, and peak RSS in MB.
import { getBackendInfo, mean, Rng, setNumThreads, square, sub } from '@latent/tensor'
import { Adam } from '@latent/nn'
import { buildConvAutoencoder, fit } from '@latent/autoencoders'
import { loadMnistLike } from '@latent/autoencoders/node'

const [threads, epochs, dataDir] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]]
const seed = Number(process.argv[5] ?? 0)
setNumThreads(threads)
const { train, test } = loadMnistLike(dataDir)
const ae = buildConvAutoencoder({
  image: [1, 28, 28], channels: [16, 32], dense: [32], loss: 'bce', rng: new Rng(seed),
})
const optimizer = new Adam(ae.namedParameters(), { lr: 1e-3 })
const history = fit(ae, train.x, { epochs, batchSize: 128, optimizer, rng: new Rng(seed + 1) })
const testMse = mean(square(sub(ae.reconstruct(test.x), test.x))).item()
console.log(JSON.stringify({
  threads, kernel: getBackendInfo().kernel, rates: history.epochs.map((e) => train.x.shape[0] / e.seconds),
  loss: history.epochs.map((e) => e.train.total), testMse, peakRssMB: process.resourceUsage().maxRSS / 1024,
}))
process.exit(0)

// One run of the autoencoder throughput bench (see autoencoder.ts), on the built packages:
//   node bench/src/autoencoder-run.mjs THREADS EPOCHS DATA_DIR
// Prints one JSON line: samples/s per epoch, the training loss per epoch, peak RSS in MB.
import { getBackendInfo, Rng, setNumThreads } from '@latent/tensor'
import { Adam } from '@latent/nn'
import { buildAutoencoder, fit } from '@latent/autoencoders'
import { loadMnistLike } from '@latent/autoencoders/node'

const [threads, epochs, dataDir] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]]
setNumThreads(threads)
const { train } = loadMnistLike(dataDir)
const ae = buildAutoencoder({ sizes: [784, 256, 64], loss: 'mse', rng: new Rng(1) })
const optimizer = new Adam(ae.namedParameters(), { lr: 1e-3 })
const history = fit(ae, train.x, { epochs, batchSize: 256, optimizer, rng: new Rng(2) })
const rates = history.epochs.map((e) => train.x.shape[0] / e.seconds)
const peakRssMB = process.resourceUsage().maxRSS / 1024
console.log(JSON.stringify({ threads, kernel: getBackendInfo().kernel, rates, loss: history.epochs.map((e) => e.train.total), peakRssMB }))
process.exit(0)

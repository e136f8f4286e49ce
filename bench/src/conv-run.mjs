// One run of the convolutional autoencoder bench (see conv.ts), on the built packages:
//   node bench/src/conv-run.mjs THREADS EPOCHS DATA_DIR [SEED]
// Prints one JSON line: samples/s per epoch, the training loss per epoch, after each epoch the RSS
// and the live memory after a collection (JS heap used + array buffers: flat when a step keeps
// nothing; conv.ts runs this with --expose-gc, without it there is no collection first), the
// test MSE per pixel after the last epoch (reconstructed 1,000 images at a time), and peak RSS
// in MB. The images are held as bytes.
import { getBackendInfo, Rng, setNumThreads, slice, square, sub, sum } from '@latent/tensor'
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
const [rssMB, liveMB] = [[], []]
/** After each epoch (its seconds are already taken): collect, then read the memory. */
function measureMemory() {
  globalThis.gc?.()
  const m = process.memoryUsage()
  rssMB.push(m.rss / 2 ** 20)
  liveMB.push((m.heapUsed + m.arrayBuffers) / 2 ** 20)
}
const history = fit(ae, train.bytes, {
  epochs, batchSize: 128, optimizer, rng: new Rng(seed + 1), callbacks: { onEpochEnd: measureMemory },
})
let squared = 0
for (let at = 0; at < test.x.shape[0]; at += 1000) {
  const x = slice(test.x, 0, at, Math.min(at + 1000, test.x.shape[0]))
  squared += sum(square(sub(ae.reconstruct(x), x))).item()
}
const testMse = squared / test.x.size
const n = train.bytes.shape[0]
console.log(JSON.stringify({
  threads, kernel: getBackendInfo().kernel, rates: history.epochs.map((e) => n / e.seconds),
  loss: history.epochs.map((e) => e.train.total), rssMB, liveMB, testMse,
  peakRssMB: process.resourceUsage().maxRSS / 1024,
}))
process.exit(0)

// One run of the autoencoder throughput bench (see autoencoder.ts), on the built packages:
//   node bench/src/autoencoder-run.mjs THREADS EPOCHS DATA_DIR [fit|hand] [bytes|float]
// 'hand' trains with the loop a user writes by hand (the nn README's: zeroGrad, backward, step
// inside placeTraining's steps) instead of fit. 'bytes' (the default) trains on the images as
// bytes, converted a batch at a time; 'float' on the float32 tensor of all of them.
// Prints one JSON line: samples/s per epoch, the training loss per epoch, peak RSS in MB, and
// the speed of the reference product 256x784 @ 784x256 (in an arena, as the step's products are)
// measured right after training, to tell how fast the shared machine was during the run.
import { Arena, getBackendInfo, matmul, Rng, setNumThreads } from '@latent/tensor'
import { backward } from '@latent/autodiff'
import { Adam, batches, mseLoss, placeTraining } from '@latent/nn'
import { buildAutoencoder, fit } from '@latent/autoencoders'
import { loadMnistLike } from '@latent/autoencoders/node'

const [threads, epochs, dataDir, loop = 'fit', images = 'bytes'] =
  [Number(process.argv[2]), Number(process.argv[3]), process.argv[4], process.argv[5], process.argv[6]]
setNumThreads(threads)
const { train } = loadMnistLike(dataDir)
const ae = buildAutoencoder({ sizes: [784, 256, 64], loss: 'mse', rng: new Rng(1) })
const optimizer = new Adam(ae.namedParameters(), { lr: 1e-3 })
const x = images === 'float' ? train.x : train.bytes
const n = x.shape[0]

/** The loop from the nn README, written by hand: the epochs' seconds and mean losses. */
function handLoop() {
  const rng = new Rng(2)
  const placement = placeTraining(ae, optimizer)
  const epochsRun = []
  for (let e = 0; e < epochs; e++) {
    const start = performance.now()
    let sum = 0
    for (const batch of batches([x], { batchSize: 256, rng })) {
      sum += placement.step(batch, (x) => {
        optimizer.zeroGrad()
        const loss = mseLoss(ae.call(x), x)
        backward(loss)
        optimizer.step()
        return loss.item() * x.shape[0]
      })
    }
    epochsRun.push({ seconds: (performance.now() - start) / 1000, train: { total: sum / n } })
  }
  placement.release()
  return { epochs: epochsRun }
}
const history = loop === 'hand' ? handLoop() : fit(ae, x, { epochs, batchSize: 256, optimizer, rng: new Rng(2) })
const rates = history.epochs.map((e) => n / e.seconds)
const peakRssMB = process.resourceUsage().maxRSS / 1024
const arena = new Arena(4 << 20)
const [a, b, c] = [
  arena.copy(new Rng(3).uniform([256, 784])), arena.copy(new Rng(4).uniform([784, 256])), arena.zeros([256, 256]),
]
const times = []
for (let r = 0; r < 40; r++) {
  const t = performance.now()
  matmul(a, b, { out: c })
  if (r >= 10) times.push(performance.now() - t)
}
times.sort((x, y) => x - y)
const referenceGflops = (2 * 256 * 784 * 256) / times[times.length >> 1] / 1e6
console.log(JSON.stringify({
  threads, loop, images, kernel: getBackendInfo().kernel, rates, loss: history.epochs.map((e) => e.train.total),
  peakRssMB, referenceGflops,
}))
process.exit(0)

/**
 * Quality against references on Fashion-MNIST: the two protocols with PyTorch 1.13 figures
 * (autoencoder test MSE, VAE negative ELBO), and one protocol per other variant and application.
 * Run by hand, not in CI; results are recorded in packages/autoencoders/README.md.
 *
 *   pnpm bench quality [--only ae,vae,denoising,anomaly,contractive,sparse,finetune,conv] [--seeds 3]
 *     [--lambdas 0,0.001,0.01,0.1] [--data-dir DIR]
 *
 * Needs Fashion-MNIST (Debian: apt-get install dataset-fashion-mnist); says so and exits
 * cleanly when it is missing.
 */
import { existsSync } from 'node:fs'
import * as T from '@latent/tensor'
import { Rng, type Tensor } from '@latent/tensor'
import { Adam, Dense, Sequential, Sigmoid } from '@latent/nn'
import * as AE from '@latent/autoencoders'
import { DEBIAN_FASHION_MNIST, loadMnistLike } from '@latent/autoencoders/node'
import { args, machine, printTable, writeJsonLines } from './harness.js'

const opts = args()
const dataDir = opts.get('data-dir') ?? DEBIAN_FASHION_MNIST
if (!existsSync(dataDir)) {
  console.log(`Fashion-MNIST not found in ${dataDir} ` +
    '(apt-get install dataset-fashion-mnist, or --data-dir DIR): skipped')
  process.exit(0)
}
const only = opts.get('only')?.split(',')
const seeds = Number(opts.get('seeds') ?? 3)
const { train, test } = loadMnistLike(dataDir)
const records: object[] = []
const rows: string[][] = []

function report(protocol: string, measure: string, value: number, reference: string, digits = 4): void {
  rows.push([protocol, measure, value.toFixed(digits), reference])
  records.push({ bench: 'quality', protocol, measure, value, ...machine() })
  console.log(`  ${protocol}: ${measure} = ${value.toFixed(digits)}  (${reference})`)
}

/** Mean squared error per element between two [n, d] tensors. */
const mse = (a: Tensor, b: Tensor): number => T.mean(T.square(T.sub(a, b))).item()

function train_(
  model: AE.Autoencoder, x: Tensor, epochs: number, batchSize: number, seed: number, lr = 1e-3,
): AE.History {
  const t0 = performance.now()
  const history = AE.fit(model, x, {
    epochs, batchSize, optimizer: new Adam(model.namedParameters(), { lr }), rng: new Rng(seed),
    callbacks: {
      onEpochEnd: (e) => {
        const parts = Object.entries(e.train).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')
        console.log(`    epoch ${e.epoch}: ${parts} (${e.seconds.toFixed(1)} s)`)
      },
    },
  })
  console.log(`    ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  return history
}

const pcaCache = new Map<number, AE.PCA>()
const pca = (k: number): AE.PCA => pcaCache.get(k) ?? pcaCache.set(k, new AE.PCA(k).fit(train.x)).get(k)!
const wanted = (name: string): boolean => !only || only.includes(name)
const pretrained: AE.Autoencoder[] = []

// 1. Reference: 784-128-32-128-784, BCE, Adam 1e-3, batch 64, 5 epochs: test MSE per pixel.
if (wanted('ae') || wanted('finetune')) {
  console.log('autoencoder 784-128(ReLU)-32(linear)-128(ReLU)-784(sigmoid), BCE, Adam 1e-3, batch 64, 5 epochs')
  for (let s = 0; s < (wanted('ae') ? seeds : 1); s++) {
    const ae = AE.buildAutoencoder({ sizes: [784, 128, 32], loss: 'bce', rng: new Rng(100 + s) })
    train_(ae, train.x, 5, 64, 200 + s)
    pretrained.push(ae)
    report('ae', `test MSE, seed ${s}`, mse(ae.reconstruct(test.x), test.x), 'target <= 0.0130; PyTorch 0.0119-0.0125')
  }
  report('ae', 'PCA 32 test MSE', mse(pca(32).reconstruct(test.x), test.x), 'PyTorch protocol: 0.0151')
}

// 2. Reference: VAE 784-400-20-400-784, summed BCE + KL, Adam 1e-3, batch 128, 3 epochs.
if (wanted('vae')) {
  console.log('VAE 784-400-20-400-784 (ReLU), Bernoulli likelihood, Adam 1e-3, batch 128, 3 epochs')
  for (let s = 0; s < seeds; s++) {
    const vae = AE.buildVariational({ sizes: [784, 400, 20], rng: new Rng(300 + s) })
    train_(vae, train.x, 3, 128, 400 + s)
    report('vae', `test -ELBO (nats/image), seed ${s}`, vae.negativeElbo(test.x),
      'target <= 252.5; PyTorch about 250.0', 2)
  }
}

// 3. Denoising: masking noise 0.5 and Gaussian noise 0.3, 784-128-32, 5 epochs; error against the
// clean test images, of the noisy input itself, of PCA 32 applied to it, and of the DAE.
if (wanted('denoising')) {
  for (const noise of [{ kind: 'masking', p: 0.5 }, { kind: 'gaussian', std: 0.3 }] as AE.Noise[]) {
    const label = noise.kind === 'masking' ? 'masking 0.5' : 'gaussian 0.3'
    console.log(`denoising autoencoder 784-128-32, ${label}, BCE, Adam 1e-3, batch 64, 5 epochs`)
    const { encoder, decoder } = AE.symmetricLayers({ sizes: [784, 128, 32], rng: new Rng(500) })
    const dae = new AE.DenoisingAutoencoder(encoder, decoder, { loss: 'bce', noise, rng: new Rng(501) })
    train_(dae, train.x, 5, 64, 502)
    const noisy = T.clamp(AE.corrupt(test.x, noise, new Rng(503)), 0, 1)
    report('denoising', `${label}: noisy input MSE`, mse(noisy, test.x), 'baseline')
    report('denoising', `${label}: PCA 32 of the noisy input`, mse(pca(32).reconstruct(noisy), test.x), 'baseline')
    report('denoising', `${label}: DAE denoise() MSE`, mse(dae.denoise(noisy), test.x), 'lower is better')
  }
}

// 4. Anomaly detection, one class against the rest: train on one class's training images, score
// the whole test set; AUROC of the AE's reconstruction error and of PCA's, per class.
if (wanted('anomaly')) {
  console.log('anomaly detection: 784-64-16 AE on one class (MSE, 20 epochs, batch 64) vs PCA 16; ' +
    'AUROC on the full test set')
  let aeSum = 0
  let pcaSum = 0
  for (let c = 0; c < 10; c++) {
    const idx = Int32Array.from([...train.labels.keys()].filter((i) => train.labels[i] === c))
    const x = T.gather(train.x, idx)
    const ae = AE.buildAutoencoder({ sizes: [784, 64, 16], loss: 'mse', rng: new Rng(600 + c) })
    AE.fit(ae, x, {
      epochs: 20, batchSize: 64, optimizer: new Adam(ae.namedParameters(), { lr: 1e-3 }), rng: new Rng(700 + c),
    })
    const labels = Array.from(test.labels, (l) => (l === c ? 0 : 1))
    const detector = new AE.AnomalyDetector(ae).fit(x, { quantile: 0.95 })
    const r = detector.report(test.x, labels)
    const p = new AE.PCA(16).fit(x)
    const back = p.reconstruct(test.x)
    const pcaScores = T.mean(T.square(T.sub(back, test.x)), { axis: 1 }).data
    const pcaAuroc = AE.auroc(pcaScores, labels)
    aeSum += r.auroc / 10
    pcaSum += pcaAuroc / 10
    report('anomaly', `normal = ${train.classes[c]}: AE AUROC (PCA ${pcaAuroc.toFixed(3)}; ` +
      `precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)} at the 95% quantile)`,
      r.auroc, 'one-vs-rest', 3)
  }
  report('anomaly', 'mean AE AUROC over the 10 classes', aeSum, `PCA 16: ${pcaSum.toFixed(3)}`, 3)
}

// 5. Contractive: one sigmoid layer 784-128 (closed-form penalty), BCE; the Jacobian norm and test
// MSE of a plain AE of the same shape and of CAEs with growing λ.
if (wanted('contractive')) {
  console.log('contractive: 784-128(sigmoid)-784(sigmoid), BCE, Adam 1e-3, batch 64, 5 epochs; λ = 0 is the plain AE')
  const sample = T.slice(test.x, 0, 0, 1000)
  for (const lambda of (opts.get('lambdas') ?? '0,0.001,0.01,0.1').split(',').map(Number)) {
    const rng = new Rng(800)
    const encoder = new Sequential(new Dense(784, 128, { rng }), new Sigmoid())
    const decoder = new Sequential(new Dense(128, 784, { rng }), new Sigmoid())
    const model = lambda === 0
      ? new AE.Autoencoder(encoder, decoder, { loss: 'bce' })
      : new AE.ContractiveAutoencoder(encoder, decoder, { loss: 'bce', lambda })
    train_(model, train.x, 5, 64, 801)
    report('contractive', `λ = ${lambda}: test MSE`, mse(model.reconstruct(test.x), test.x), '')
    report('contractive', `λ = ${lambda}: mean ‖∂h/∂x‖²_F (1000 test images)`, AE.jacobianNormOf(model, sample),
      'falls with λ', 3)
  }
}

// 6. Sparse: KL penalty to ρ = 0.05 (β = 3) on a 784-200 sigmoid code; mean activation.
if (wanted('sparse')) {
  console.log('sparse: 784-200(sigmoid)-784(sigmoid), BCE + 3·KL(0.05‖ρ̂), Adam 1e-3, batch 64, 5 epochs')
  for (const beta of [0, 3]) {
    const rng = new Rng(900)
    const encoder = new Sequential(new Dense(784, 200, { rng }), new Sigmoid())
    const decoder = new Sequential(new Dense(200, 784, { rng }), new Sigmoid())
    const model = new AE.SparseAutoencoder(encoder, decoder, { loss: 'bce', sparsity: { kind: 'kl', rho: 0.05, beta } })
    train_(model, train.x, 5, 64, 901)
    const rates = model.meanActivation(test.x)
    report('sparse', `β = ${beta}: mean activation over units (ρ = 0.05)`, T.mean(rates).item(),
      beta === 0 ? 'no penalty' : 'near ρ', 4)
    report('sparse', `β = ${beta}: test MSE`, mse(model.reconstruct(test.x), test.x), '')
  }
}

// 7. Features and fine-tuning: the pretrained encoder of protocol 1 under a classifier head trained
// on 100 labelled images (frozen, fine-tuned) against the same network from random weights; the
// linear probe and kNN accuracy on the codes against PCA 32 codes.
if (wanted('finetune')) {
  const ae = pretrained[0]
  console.log('features: encoder of the 784-128-32 AE; ' +
    'heads trained on 100 labels (50 epochs, batch 20, Adam 1e-3), 3 seeds')
  const few = 100
  const xFew = T.slice(train.x, 0, 0, few)
  const yFew = Array.from(train.labels.subarray(0, few))
  const copy = (): AE.Autoencoder => {
    const c = AE.buildAutoencoder({ sizes: [784, 128, 32], rng: new Rng(1) })
    c.loadStateDict(ae.stateDict())
    return c
  }
  const mean = { frozen: 0, tuned: 0, scratch: 0 }
  for (let s = 0; s < 3; s++) {
    const head = (encoder: AE.Autoencoder['encoder'], freeze: boolean): number => {
      const clf = new AE.Classifier(encoder, 32, 10, { rng: new Rng(1000 + s), freezeEncoder: freeze })
      AE.trainClassifier(clf, xFew, yFew, { epochs: 50, batchSize: 20, lr: 1e-3, rng: new Rng(1100 + s) })
      return clf.accuracy(test.x, test.labels) / 3
    }
    mean.frozen += head(copy().encoder, true)
    mean.tuned += head(copy().encoder, false)
    mean.scratch += head(AE.buildAutoencoder({ sizes: [784, 128, 32], rng: new Rng(1200 + s) }).encoder, false)
  }
  report('finetune', '100 labels: frozen pretrained encoder + head, test accuracy', mean.frozen, 'mean of 3 seeds', 3)
  report('finetune', '100 labels: fine-tuned pretrained encoder + head', mean.tuned, 'mean of 3 seeds', 3)
  report('finetune', '100 labels: same network from random weights', mean.scratch, 'mean of 3 seeds', 3)
  const sub = T.slice(train.x, 0, 0, 10000)
  const ySub = train.labels.subarray(0, 10000)
  const aeProbe = AE.linearProbe((x) => ae.encode(x), sub, ySub, test.x, test.labels,
    { rng: new Rng(1300), epochs: 30 })
  const pcaProbe = AE.linearProbe((x) => pca(32).transform(x), sub, ySub, test.x, test.labels,
    { rng: new Rng(1300), epochs: 30 })
  report('finetune', 'linear probe on AE codes (10k train images)', aeProbe, `PCA 32: ${pcaProbe.toFixed(3)}`, 3)
  const testSub = T.slice(test.x, 0, 0, 2000)
  const yTestSub = test.labels.subarray(0, 2000)
  const aeKnn = AE.knnAccuracy(ae.encode(sub), ySub, ae.encode(testSub), yTestSub, { k: 5 })
  const pcaKnn = AE.knnAccuracy(pca(32).transform(sub), ySub, pca(32).transform(testSub), yTestSub, { k: 5 })
  report('finetune', '5-NN accuracy on AE codes (10k train, 2k test)', aeKnn, `PCA 32: ${pcaKnn.toFixed(3)}`, 3)
}

// 8. Reference: the convolutional autoencoder (16 and 32 channels, a 32-d code; bench/torch/conv.py),
// BCE, Adam 1e-3, batch 128, 5 epochs: test MSE per pixel after each epoch.
if (wanted('conv')) {
  console.log('conv autoencoder Conv(1->16, s2)-Conv(16->32, s2)-32, mirrored, BCE, Adam 1e-3, batch 128, 5 epochs')
  const pytorch = [0.01641, 0.01305, 0.01168, 0.01093, 0.01039]
  for (let s = 0; s < seeds; s++) {
    const cae = AE.buildConvAutoencoder({
      image: [1, 28, 28], channels: [16, 32], dense: [32], loss: 'bce', rng: new Rng(1400 + s),
    })
    const perEpoch: number[] = []
    AE.fit(cae, train.x, {
      epochs: 5, batchSize: 128, optimizer: new Adam(cae.namedParameters(), { lr: 1e-3 }), rng: new Rng(1500 + s),
      callbacks: {
        onEpochEnd: (e) => {
          perEpoch.push(mse(cae.reconstruct(test.x), test.x))
          console.log(`    epoch ${e.epoch}: test MSE ${perEpoch.at(-1)!.toFixed(5)} (${e.seconds.toFixed(1)} s)`)
        },
      },
    })
    const earlier = perEpoch.slice(0, 4).map((v) => v.toFixed(5)).join(', ')
    report('conv', `test MSE after epochs 1-5, seed ${s}`, perEpoch[4],
      `epochs 1-4: ${earlier}; target <= 0.0110; PyTorch ${pytorch.join(', ')}`, 5)
  }
}

console.log()
printTable(['protocol', 'measure', 'value', 'reference'], rows)
writeJsonLines(opts.get('out') ?? 'results/quality.jsonl', records)
process.exit(0)

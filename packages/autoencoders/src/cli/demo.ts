/**
 * The main job: five autoencoders (vanilla, denoising, sparse, contractive, variational) on one
 * data set with one class held out as the anomaly class, measured against PCA with as many
 * components as the code, and a report with one picture of each kind. Each model's run folder
 * (checkpoint included) is kept under the report, so every other command works on it.
 */
import { join } from 'node:path'
import * as T from '@latent/tensor'
import { Rng } from '@latent/tensor'
import { AnomalyDetector } from '../anomaly.js'
import { PCA } from '../pca.js'
import { defaultSpec, type ModelSpec, type Variant, VARIANTS } from '../spec.js'
import { corrupt, DenoisingAutoencoder } from '../variants/denoising.js'
import { tsne } from '../embed/tsne.js'
import { barChart, imageGrid, scatter } from '../plots/svg.js'
import {
  anomalyPictures, cap, type DataOptions, loadSplits, lossPicture, type Measures, measureModel, measurePca,
  modelPictures, type TrainConfig, trainRun, writeAll,
} from './experiment/index.js'
import type { Io } from './parser.js'
import { Progress, type ProgressMode } from './progress.js'
import { fmt, reportHtml, textTable } from './report.js'

/** The demo's models: the five variants, and a plain autoencoder with convolutions. */
const MODELS = [...VARIANTS, 'convolutional'] as const
type DemoModel = (typeof MODELS)[number]

/** The demo's models: the same shape for all, each variant's usual settings. */
function specFor(model: DemoModel, features: number, image: [number, number]): ModelSpec {
  const small = features <= 100
  if (model === 'convolutional') {
    // Two stride-2 convolutions, then the code: the reference protocol's model on Fashion-MNIST.
    const channels = small ? [8, 16] : [16, 32]
    const conv = { image: [1, ...image] as [number, number, number], channels, kernel: 3, stride: 2 }
    return { ...defaultSpec('vanilla', [features, small ? 8 : 32]), loss: 'bce', conv, seed: 1 }
  }
  const variant: Variant = model
  const spec = defaultSpec(variant, small ? [features, 48, 8] : [features, 256, 32])
  if (variant !== 'variational') spec.loss = 'bce'
  if (variant === 'contractive') {
    spec.lambda = small ? 0.001 : 0.0001
    // On large inputs one layer, whose penalty has a closed form: the exact penalty of a deeper
    // encoder costs a per-sample Jacobian (about 40x a plain step at 784-256-32).
    if (!small) spec.sizes = [features, 32]
  }
  if (variant === 'sparse') spec.sparsity = { kind: 'kl', rho: 0.1, beta: small ? 0.02 : 0.1 }
  return { ...spec, seed: 1 }
}

export interface DemoOptions { out: string; data: DataOptions; epochs?: number; mode: ProgressMode; io: Io }

/**
 * Trains the five models into `out`, measures them against PCA and writes the report; returns the exit code.
 * @example process.exitCode = await runDemo({ out: 'report', data: { data: 'digits', holdout: 9 }, mode: 'lines', io })
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const { out, io, mode } = options
  const say = (s: string): void => void (mode === 'bar' || mode === 'lines' ? io.stdout.write(s + '\n') : undefined)
  const splits = loadSplits(options.data)
  const features = splits.train.x.shape[1]
  const small = features <= 100
  const epochs = options.epochs ?? (small ? 40 : 5)
  const started = performance.now()
  const rows: { name: string; m: Measures }[] = []
  const pictures: Record<string, string> = {}
  const captions: { file: string; caption: string }[] = []
  const models: Record<string, Awaited<ReturnType<typeof trainRun>>> = {}
  const perModel: Record<string, Record<string, string>> = {}
  for (const variant of MODELS) {
    if (io.signal.aborted) break
    const config: TrainConfig = {
      spec: specFor(variant, features, splits.train.image),
      data: options.data,
      epochs,
      batchSize: small ? 32 : 128,
      optimizer: 'adam',
      lr: small ? 3e-3 : 1e-3,
      validation: 0.1,
    }
    const detail = variant === 'denoising'
      ? ' (masking noise 0.3)'
      : variant === 'sparse'
        ? ' (KL to ρ = 0.1)'
        : variant === 'contractive'
          ? ` (λ = ${config.spec.lambda})`
          : variant === 'convolutional' ? ` (convolutions of ${config.spec.conv!.channels.join(', ')} channels)` : ''
    say(`\n${variant} autoencoder ${config.spec.sizes.join('-')}${detail}`)
    const epochEvery = Math.max(1, Math.round(epochs / 4))
    const progress = new Progress(mode === 'json' ? 'quiet' : mode, io.stdout, { epochEvery })
    const result = await trainRun(join(out, variant), config, { progress, signal: io.signal, fresh: true, splits })
    if (result.stopped === 'interrupted') break
    models[variant] = result
    rows.push({ name: variant, m: measureModel(result.model, result.splits, { probe: true }) })
    const lossTitle = `${variant}: loss per epoch (solid: training, dashed: validation)`
    pictures[`loss-${variant}.svg`] = lossPicture(result.history, lossTitle)
    captions.push({ file: `loss-${variant}.svg`, caption: `${variant}: loss parts per epoch` })
    perModel[variant] = modelPictures(result.model, result.splits, result.history, variant)
    writeAll(join(out, variant), perModel[variant])
  }
  if (io.signal.aborted) {
    io.stderr.write(`interrupted: finished models are in ${out}/<variant>\n`)
    return 130
  }
  const code = models.vanilla.config.spec.sizes.at(-1)!
  rows.unshift({ name: `PCA ${code}`, m: measurePca(code, splits, { probe: true }) })

  // The pictures: one of each kind.
  const test = splits.normalTest
  const few = T.slice(test.x, 0, 0, 10)
  const pca = new PCA(code).fit(splits.train.x)
  pictures['reconstructions.svg'] = imageGrid(
    [
      { label: 'original', images: few },
      { label: `PCA ${code}`, images: pca.reconstruct(few) },
      ...MODELS.map((v) => ({ label: v, images: models[v].model.reconstruct(few) })),
    ],
    test.image,
    { title: 'test images (top), reconstructed by PCA and by each autoencoder' },
  )
  const dae = models.denoising.model as DenoisingAutoencoder
  const noisy = corrupt(few, { kind: 'masking', p: 0.3 }, new Rng(5))
  pictures['denoising.svg'] = imageGrid(
    [
      { label: 'original', images: few },
      { label: 'masked 30%', images: noisy },
      { label: 'denoised', images: dae.denoise(noisy) },
    ],
    test.image,
    { title: 'denoising: clean, corrupted, and restored by the denoising autoencoder' },
  )
  const vanilla = models.vanilla.model
  Object.assign(pictures, {
    'latent.svg': perModel.vanilla['latent.svg'],
    'samples.svg': perModel.variational['samples.svg'],
    'interpolation.svg': perModel.variational['interpolation.svg'],
  })
  // The same codes through t-SNE, beside the linear view: the classes the projection overlaps.
  const shown = cap(splits.test, 1500)
  const layout = tsne(vanilla.encode(shown.x), { seed: 0 }).embedding
  pictures['latent-tsne.svg'] = scatter(layout, shown.labels, {
    title: `vanilla: t-SNE of the codes of ${shown.labels.length} test images`, classes: shown.classes,
  })
  const detector = new AnomalyDetector(vanilla).fit(splits.train.x, { quantile: 0.95 })
  const anomalyName = `vanilla, '${splits.test.classes[splits.holdout!]}' held out`
  const scores = detector.scores(splits.test.x)
  Object.assign(pictures, anomalyPictures(scores, detector.threshold!, splits.anomalyLabels, anomalyName))
  pictures['ae-vs-pca.svg'] = barChart(
    rows.map((r) => r.name),
    [
      { name: 'test MSE ×10', values: rows.map((r) => r.m.testMse * 10) },
      { name: '1 - kNN accuracy', values: rows.map((r) => 1 - (r.m.knn ?? NaN)) },
      { name: '1 - AUROC', values: rows.map((r) => 1 - (r.m.auroc ?? NaN)) },
    ],
    { title: 'autoencoders against PCA: errors, lower is better', yLabel: 'error' },
  )
  captions.unshift(
    { file: 'ae-vs-pca.svg', caption: 'test MSE, kNN error and anomaly-detection error against PCA' },
    { file: 'reconstructions.svg', caption: 'originals above reconstructions' },
    { file: 'denoising.svg', caption: 'denoising' },
    { file: 'latent.svg', caption: 'the vanilla code in 2-D (first two principal components), coloured by class' },
    { file: 'latent-tsne.svg', caption: 'the same codes laid out by t-SNE' },
    { file: 'samples.svg', caption: 'VAE samples' },
    { file: 'interpolation.svg', caption: 'VAE latent interpolation' },
    { file: 'anomaly-scores.svg', caption: 'anomaly scores with the 95% training quantile as threshold' },
    { file: 'roc.svg', caption: 'ROC of the anomaly score' },
  )
  const heldOut = splits.test.classes[splits.holdout!]
  const header = ['model', 'test MSE', '5-NN acc.', 'probe acc.', `AUROC ('${heldOut}')`]
  const cells = (m: Measures): string[] => [fmt(m.testMse), fmt(m.knn, 3), fmt(m.probe, 3), fmt(m.auroc, 3)]
  const table = [header, ...rows.map((r) => [r.name, ...cells(r.m)])]
  const seconds = (performance.now() - started) / 1000
  const notes = [
    `${splits.train.name}: ${splits.train.x.shape[0]} training images without the class '${heldOut}', ` +
      `${test.x.shape[0]} test images of the other classes, ${splits.test.x.shape[0] - test.x.shape[0]} held-out ones.`,
    `Codes of ${code} dimensions; ${epochs} epochs each; test MSE per pixel; kNN (k = 5) and linear-probe accuracy ` +
      'of the codes; AUROC of the reconstruction error for telling the held-out class apart. ' +
      `Each model's run folder (with its checkpoint) is next to this file. ${seconds.toFixed(0)} s in all.`,
  ]
  const title = `latent demo: five autoencoders against PCA on ${splits.train.name}`
  writeAll(out, {
    ...pictures,
    'index.html': reportHtml(title, table, captions, notes),
    'summary.json': JSON.stringify({ rows, seconds }, null, 2) + '\n',
  })
  if (mode === 'json') io.stdout.write(JSON.stringify({ event: 'done', out, rows, seconds }) + '\n')
  else if (mode !== 'quiet') {
    io.stdout.write('\n' + textTable(table))
    io.stdout.write(`\n${notes.join('\n')}\nreport: ${join(out, 'index.html')}\n`)
  }
  return 0
}

/**
 * What the command line does, as functions: load and split a data set, train with a checkpoint
 * after every epoch (resumable to the same result), measure a model against PCA, and draw it.
 * A run lives in one folder: checkpoint.safetensors (weights, optimizer state, generator
 * states, the configuration and the history), summary.json, the pictures and index.html.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Adam, decodeSafetensors, type Optimizer, RMSprop, SGD } from '@latent/nn'
import { loadCheckpoint, saveCheckpoint, writeFileAtomic } from '@latent/nn/node'
import * as T from '@latent/tensor'
import { Rng, type Tensor } from '@latent/tensor'
import type { Autoencoder } from '../autoencoder.js'
import { type Dataset } from '../data/datasets.js'
import { knnAccuracy } from '../embeddings.js'
import { linearProbe } from '../features.js'
import { auroc, rocCurve } from '../metrics.js'
import { PCA } from '../pca.js'
import { latent2d } from '../applications.js'
import { buildModel, checkSpec, type ModelSpec } from '../spec.js'
import { fitAsync, type History } from '../train.js'
import { VariationalAutoencoder } from '../variants/variational.js'
import { DEBIAN_FASHION_MNIST, loadDigits, loadMnistLike, readCsv } from '../node/datasets.js'
import { histogram, imageGrid, lineChart, scatter } from '../plots/svg.js'
import type { Progress } from './progress.js'

// ---- data

export interface DataOptions {
  /** 'digits' (embedded), 'fashion-mnist', 'mnist', or a path to a .csv file. */
  data: string
  dataDir?: string
  /** Use only the first `limit` training images (after shuffling). */
  limit?: number
  /** A class left out of training, kept in the test set as the anomaly class: its number, or its name. */
  holdout?: number | string
  /** CSV: the label column (name or index). */
  label?: string
}

export interface Splits {
  train: Dataset
  test: Dataset
  /** Test images of the classes seen in training, and test labels for the anomaly task (1 = held-out class). */
  normalTest: Dataset
  anomalyLabels?: Uint8Array
  /** The held-out class's number, when there is one. */
  holdout?: number
}

function subset(d: Dataset, idx: ArrayLike<number>): Dataset {
  return { ...d, x: T.gather(d.x, Int32Array.from(idx)), labels: Int32Array.from(idx, (i) => d.labels[i]) }
}

/** The data set named by the options, split into training and test sets (a seeded 80/20 split where the data has none). */
export function loadSplits(options: DataOptions): Splits {
  let train: Dataset
  let test: Dataset
  if (options.data === 'fashion-mnist' || options.data === 'mnist') {
    const dir = options.dataDir ?? (options.data === 'fashion-mnist' ? DEBIAN_FASHION_MNIST : undefined)
    if (!dir) throw new Error('--data mnist needs --data-dir DIR (the folder with the four IDX files)')
    if (!existsSync(dir)) throw new Error(`${dir}: no such folder${options.data === 'fashion-mnist' ? ' (Debian: apt-get install dataset-fashion-mnist)' : ''}`)
    ;({ train, test } = options.data === 'mnist' ? loadMnistLike(dir, 'MNIST', [...'0123456789']) : loadMnistLike(dir))
  } else {
    let all: Dataset
    if (options.data === 'digits') all = loadDigits()
    else if (options.data.endsWith('.csv') || options.data.endsWith('.csv.gz')) {
      const label = options.label === undefined ? undefined : /^-?\d+$/.test(options.label) ? Number(options.label) : options.label
      const table = readCsv(options.data, { label, scale: 'minmax' })
      const d = table.x.shape[1]
      const side = Math.round(Math.sqrt(d))
      const labels = table.labels ?? new Int32Array(table.x.shape[0])
      const classes = table.classes ?? Array.from({ length: Math.max(0, ...labels) + 1 }, (_, i) => String(i))
      all = { x: table.x, labels, image: side * side === d ? [side, side] : [1, d], name: options.data, classes }
    } else throw new Error(`unknown data '${options.data}' (expected digits, fashion-mnist, mnist or a .csv file)`)
    const order = new Rng(0).permutation(all.x.shape[0])
    const cut = Math.round(all.x.shape[0] * 0.8)
    train = subset(all, order.subarray(0, cut))
    test = subset(all, order.subarray(cut))
  }
  if (options.limit !== undefined) {
    if (!(Number.isInteger(options.limit) && options.limit > 0)) throw new Error(`--limit must be a positive integer, got ${options.limit}`)
    train = subset(train, new Rng(1).permutation(train.x.shape[0]).subarray(0, Math.min(options.limit, train.x.shape[0])))
  }
  if (options.holdout === undefined) return { train, test, normalTest: test }
  const h = typeof options.holdout === 'string' ? train.classes.indexOf(options.holdout) : options.holdout
  if (!(Number.isInteger(h) && h >= 0 && h < train.classes.length)) {
    const names = train.classes.some((c, i) => c !== String(i)) ? ` (${train.classes.map((c, i) => `${i} ${c}`).join(', ')})` : ''
    throw new Error(`--holdout must be a class number from 0 to ${train.classes.length - 1}${names ? ` or a class name${names}` : ''}, got ${options.holdout}`)
  }
  const keep = (d: Dataset): number[] => [...d.labels.keys()].filter((i) => d.labels[i] !== h)
  return { train: subset(train, keep(train)), test, normalTest: subset(test, keep(test)), anomalyLabels: Uint8Array.from(test.labels, (l) => (l === h ? 1 : 0)), holdout: h }
}

// ---- training with checkpoints

export interface TrainConfig {
  spec: ModelSpec
  data: DataOptions
  epochs: number
  batchSize: number
  optimizer: 'adam' | 'sgd' | 'rmsprop'
  lr: number
  /** Fraction of the training images kept aside for validation losses. */
  validation: number
}

export const CHECKPOINT = 'checkpoint.safetensors'

interface CheckpointMeta { format: 1; config: TrainConfig; epoch: number; history: History['epochs']; rng: { shuffle: number[]; model: Record<string, number[]> } }

export function checkConfig(c: TrainConfig): void {
  checkSpec(c.spec)
  if (!(Number.isInteger(c.epochs) && c.epochs >= 1)) throw new Error(`--epochs must be a positive integer, got ${c.epochs}`)
  if (!(Number.isInteger(c.batchSize) && c.batchSize >= 1)) throw new Error(`--batch-size must be a positive integer, got ${c.batchSize}`)
  if (!(c.lr > 0)) throw new Error(`--lr must be positive, got ${c.lr}`)
  if (!['adam', 'sgd', 'rmsprop'].includes(c.optimizer)) throw new Error(`unknown optimizer '${c.optimizer}' (expected adam, sgd or rmsprop)`)
  if (!(c.validation >= 0 && c.validation < 1)) throw new Error(`--validation must be in [0, 1), got ${c.validation}`)
}

function makeOptimizer(c: TrainConfig, model: Autoencoder): Optimizer {
  const params = model.namedParameters()
  if (c.optimizer === 'sgd') return new SGD(params, { lr: c.lr, momentum: 0.9 })
  if (c.optimizer === 'rmsprop') return new RMSprop(params, { lr: c.lr })
  return new Adam(params, { lr: c.lr })
}

/** The path of the checkpoint file for a run folder or a file path. */
export function checkpointPath(path: string): string {
  return path.endsWith('.safetensors') ? path : join(path, CHECKPOINT)
}

/** Reads a checkpoint: its configuration, the model with its weights, and the training state. */
export function openCheckpoint(path: string): { meta: CheckpointMeta; model: Autoencoder; optimizer: Optimizer } {
  const file = checkpointPath(path)
  if (!existsSync(file)) throw new Error(`${file}: no such checkpoint`)
  const bytes = readFileSync(file)
  let meta: CheckpointMeta
  try {
    meta = JSON.parse(decodeSafetensors(bytes).metadata.latent ?? 'null') as CheckpointMeta
  } catch (e) {
    throw new Error(`${file}: not a latent checkpoint (${(e as Error).message})`)
  }
  if (meta?.format !== 1) throw new Error(`${file}: not a latent checkpoint (no 'latent' metadata of format 1)`)
  checkConfig(meta.config)
  const model = buildModel(meta.config.spec)
  const optimizer = makeOptimizer(meta.config, model)
  loadCheckpoint(file, model, { optimizer })
  return { meta, model, optimizer }
}

export interface TrainResult { model: Autoencoder; history: History['epochs']; stopped: History['stopped']; splits: Splits; config: TrainConfig }

/**
 * Trains into `out`, writing the checkpoint atomically after every epoch. With `resume`, the
 * configuration, weights, optimizer and generator states come from the checkpoint in `out`,
 * and training continues to `epochs` (the checkpoint's, or a larger one given here): the
 * result equals an uninterrupted run. `fresh` starts over even if `out` holds a checkpoint (the
 * demo); `splits` passes data already loaded.
 */
export async function trainRun(out: string, config: TrainConfig | undefined, options: { resume?: boolean; epochs?: number; progress: Progress; signal?: { aborted: boolean }; fresh?: boolean; splits?: Splits }): Promise<TrainResult> {
  let model: Autoencoder
  let optimizer: Optimizer
  let history: History['epochs'] = []
  const shuffle = new Rng(0)
  if (options.resume) {
    const opened = openCheckpoint(out)
    ;({ model, optimizer } = opened)
    if (options.epochs !== undefined && options.epochs < opened.meta.epoch) {
      throw new Error(`--epochs ${options.epochs}: ${join(out, CHECKPOINT)} already holds epoch ${opened.meta.epoch} (with --resume, --epochs is the new total)`)
    }
    config = { ...opened.meta.config, epochs: options.epochs ?? opened.meta.config.epochs }
    checkConfig(config)
    history = opened.meta.history
    shuffle.setState(opened.meta.rng.shuffle)
    const gens = model.generators()
    for (const [name, state] of Object.entries(opened.meta.rng.model)) gens[name]?.setState(state)
    options.progress.say(`resuming from epoch ${opened.meta.epoch} of ${config.epochs}`)
  } else {
    if (!config) throw new Error('trainRun: a configuration is needed unless resuming')
    checkConfig(config)
    if (!options.fresh && existsSync(join(out, CHECKPOINT))) throw new Error(`${join(out, CHECKPOINT)} exists: pass --resume to continue it, or choose another --out`)
    model = buildModel(config.spec)
    optimizer = makeOptimizer(config, model)
    shuffle.setState(new Rng(config.spec.seed + 1).getState())
  }
  options.progress.totalEpochs = config.epochs
  const splits = options.splits ?? loadSplits(config.data)
  if (splits.train.x.shape[1] !== config.spec.sizes[0]) throw new Error(`the data has ${splits.train.x.shape[1]} features but the model's input size is ${config.spec.sizes[0]} (first of --sizes)`)
  // A fixed split of the training images for validation losses.
  const n = splits.train.x.shape[0]
  const nVal = Math.floor(n * config.validation)
  const order = new Rng(2).permutation(n)
  const xTrain = nVal > 0 ? T.gather(splits.train.x, order.subarray(nVal)) : splits.train.x
  const xVal = nVal > 0 ? T.gather(splits.train.x, order.subarray(0, nVal)) : undefined
  const done = history.length ? history[history.length - 1].epoch : 0
  mkdirSync(out, { recursive: true })
  const save = (): void => {
    const meta: CheckpointMeta = { format: 1, config: config!, epoch: history.length ? history[history.length - 1].epoch : 0, history, rng: { shuffle: shuffle.getState(), model: Object.fromEntries(Object.entries(model.generators()).map(([k, g]) => [k, g.getState()])) } }
    saveCheckpoint(join(out, CHECKPOINT), model, { optimizer, metadata: { latent: JSON.stringify(meta) } })
  }
  options.progress.startEpoch()
  const result = await fitAsync(model, xTrain, {
    epochs: Math.max(0, config.epochs - done), batchSize: config.batchSize, optimizer, rng: shuffle, validation: xVal, initialEpoch: done, signal: options.signal,
    callbacks: {
      onBatchEnd: (info) => options.progress.batch(info),
      onEpochEnd: (record) => {
        history = [...history, record]
        save()
        options.progress.epoch(record)
        options.progress.startEpoch()
      },
    },
  })
  if (!existsSync(join(out, CHECKPOINT))) save() // nothing trained yet: still leave a checkpoint
  if (result.diverged) {
    const { epoch, batch, total } = result.diverged
    throw new Error(`training diverged: the loss was ${total} at epoch ${epoch}, batch ${batch} (that update was not applied); ${join(out, CHECKPOINT)} holds epoch ${history.at(-1)?.epoch ?? 0}. Try a lower --lr`)
  }
  return { model, history, stopped: result.stopped, splits, config }
}

// ---- measurements

export interface Measures {
  /** Mean squared error per feature on the test images of the trained classes. */
  testMse: number
  /** 5-NN accuracy of the codes (test codes against training codes). */
  knn?: number
  /** Linear-probe accuracy on the codes. */
  probe?: number
  /** AUROC of the reconstruction error for the held-out class. */
  auroc?: number
}

/** Mean squared error over every element of two same-shaped tensors. */
export function mse(a: Tensor, b: Tensor): number {
  return T.mean(T.square(T.sub(a, b))).item()
}

/** Mean squared error of every row: the anomaly score, for any reconstruction (an AE's or PCA's). */
export function rowErrors(a: Tensor, b: Tensor): Tensor {
  return T.mean(T.square(T.sub(a, b)), { axis: 1 })
}

const cap = (d: Dataset, n: number): Dataset => (d.x.shape[0] <= n ? d : { ...d, x: T.slice(d.x, 0, 0, n), labels: d.labels.subarray(0, n) })

/** Test MSE, kNN and linear-probe accuracy of the codes, and anomaly AUROC, for any encoder/reconstructor pair. */
export function measure(codes: (x: Tensor) => Tensor, reconstruct: (x: Tensor) => Tensor, splits: Splits, options: { probe?: boolean; seed?: number } = {}): Measures {
  const m: Measures = { testMse: mse(reconstruct(splits.normalTest.x), splits.normalTest.x) }
  const labelled = new Set(splits.train.labels).size > 1
  if (labelled) {
    const tr = cap(splits.train, 10000)
    const te = cap(splits.normalTest, 2000)
    m.knn = knnAccuracy(codes(tr.x), tr.labels, codes(te.x), te.labels, { k: 5 })
    if (options.probe) m.probe = linearProbe(codes, tr.x, tr.labels, te.x, te.labels, { rng: new Rng(options.seed ?? 0), epochs: 50, classes: splits.train.classes.length })
  }
  if (splits.anomalyLabels) m.auroc = auroc(rowErrors(reconstruct(splits.test.x), splits.test.x).data, splits.anomalyLabels)
  return m
}

export function measureModel(model: Autoencoder, splits: Splits, options: { probe?: boolean } = {}): Measures {
  return measure((x) => model.encode(x), (x) => model.reconstruct(x), splits, options)
}

export function measurePca(k: number, splits: Splits, options: { probe?: boolean } = {}): Measures {
  const pca = new PCA(k).fit(splits.train.x)
  return measure((x) => pca.transform(x), (x) => pca.reconstruct(x), splits, options)
}

// ---- pictures

/** Loss curves: every part, training solid and validation dashed, on a log scale. */
export function lossPicture(history: History['epochs'], title: string): string {
  const names = Object.keys(history[0]?.train ?? { total: 0 })
  const series = names.flatMap((name, i) => [
    { name: `${name} (train)`, points: history.map((e) => [e.epoch, e.train[name]] as [number, number]), color: undefined as string | undefined, dashed: false, i },
    ...(history[0]?.validation ? [{ name: `${name} (validation)`, points: history.map((e) => [e.epoch, e.validation![name]] as [number, number]), dashed: true, i }] : []),
  ]).map(({ i, ...s }) => ({ ...s, color: ['#4e79a7', '#f28e2b', '#e15759', '#59a14f'][i % 4] }))
  return lineChart(series, { title, xLabel: 'epoch', yLabel: 'loss', logY: history.every((e) => Object.values(e.train).every((v) => v > 0)) })
}

/** The pictures of one trained model, by file name. */
export function modelPictures(model: Autoencoder, splits: Splits, history: History['epochs'], name: string): Record<string, string> {
  const test = splits.normalTest
  const image = test.image
  const first = T.slice(test.x, 0, 0, Math.min(12, test.x.shape[0]))
  const pictures: Record<string, string> = {}
  if (history.length) pictures['loss.svg'] = lossPicture(history, `${name}: loss per epoch`)
  pictures['reconstructions.svg'] = imageGrid([{ label: 'original', images: first }, { label: 'reconstruction', images: model.reconstruct(first) }], image, { title: `${name}: test images (top) and reconstructions` })
  const few = cap(splits.test, 1500)
  pictures['latent.svg'] = scatter(latent2d(model, few.x), few.labels, { title: `${name}: codes of test images in 2-D`, classes: few.classes })
  if (model instanceof VariationalAutoencoder) {
    const samples = model.sample(24)
    pictures['samples.svg'] = imageGrid([{ label: 'samples', images: T.slice(samples, 0, 0, 12) }, { label: '', images: T.slice(samples, 0, 12, 24) }], image, { title: `${name}: samples from the prior` })
    pictures['interpolation.svg'] = imageGrid([{ label: 'interpolation', images: model.interpolate(T.slice(test.x, 0, 0, 1), T.slice(test.x, 0, 1, 2), 10) }], image, { title: `${name}: decoded codes on the line between two test images` })
  }
  return pictures
}

/** Anomaly pictures: score histogram with the threshold, and the ROC curve when labels are known. */
export function anomalyPictures(scores: ArrayLike<number>, threshold: number, labels: ArrayLike<number> | undefined, name: string): Record<string, string> {
  const pictures: Record<string, string> = { 'anomaly-scores.svg': histogram(scores, { title: `${name}: reconstruction error of test images`, threshold, labels, xLabel: 'mean squared error' }) }
  if (labels) {
    const roc = rocCurve(scores, labels)
    pictures['roc.svg'] = lineChart([{ name: `AUROC ${auroc(scores, labels).toFixed(3)}`, points: roc.fpr.map((f, i) => [f, roc.tpr[i]]) }], { title: `${name}: ROC of the anomaly score`, xLabel: 'false positive rate', yLabel: 'true positive rate', xRange: [0, 1], yRange: [0, 1], diagonal: true })
  }
  return pictures
}

/** Writes files into a folder, each atomically; nothing is written until all contents exist. */
export function writeAll(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true })
  for (const [name, content] of Object.entries(files)) writeFileAtomic(join(dir, name), new TextEncoder().encode(content))
}

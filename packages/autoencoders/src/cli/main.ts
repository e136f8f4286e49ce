/**
 * The `latent` command line. Each command declares its options once (name, type, default,
 * help); the parser, the help text and the checks come from that table. Errors are one line on
 * stderr and a non-zero exit code, never a stack trace (set LATENT_DEBUG=1 to see one), and no
 * output file is written before everything it needs has been computed.
 */
import { basename, dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { ACTIVATIONS, type ActivationName } from '@latent/nn'
import * as T from '@latent/tensor'
import { getBackendInfo, getDefaultThreads, setNumThreads } from '@latent/tensor'
import { RECONSTRUCTION_LOSSES, type ReconstructionLoss } from '../autoencoder.js'
import { type Noise } from '../variants/denoising.js'
import { type SparsityPenalty } from '../variants/sparse.js'
import { VariationalAutoencoder } from '../variants/variational.js'
import { defaultSpec, type ModelSpec, type Variant, VARIANTS } from '../spec.js'
import { imageGrid, barChart } from '../plots/svg.js'
import { AnomalyDetector } from '../anomaly.js'
import { anomalyPictures, type DataOptions, loadSplits, measureModel, measurePca, modelPictures, mse, openCheckpoint, type TrainConfig, trainRun, writeAll } from './experiment.js'
import { type Output, Progress, type ProgressMode } from './progress.js'
import { reportHtml, textTable } from './report.js'
import { runDemo } from './demo.js'

/** A usage or input error: printed as one line, exit code 2 (1 for failures while running). */
export class CliError extends Error {}

type OptionType = 'string' | 'boolean'
interface OptionSpec { type: OptionType; help: string; default?: string; short?: string }
interface Command {
  summary: string
  example: string
  options: Record<string, OptionSpec>
  /** `given` holds the options typed on the command line (the rest are defaults). */
  run(values: Record<string, string | boolean | undefined>, io: Io, given: Set<string>): number | Promise<number>
}

export interface Io {
  stdout: Output
  stderr: Output
  /** Set by the SIGINT handler: training stops after the current batch. */
  signal: { aborted: boolean }
}

const DATA_OPTIONS: Record<string, OptionSpec> = {
  data: { type: 'string', default: 'digits', help: "digits (embedded), fashion-mnist, mnist, or a .csv file" },
  'data-dir': { type: 'string', help: 'folder with the IDX files (fashion-mnist: Debian\'s by default)' },
  limit: { type: 'string', help: 'use only this many training images' },
  holdout: { type: 'string', help: 'leave this class (its number, or its name) out of training; it becomes the anomaly class of the test set' },
  label: { type: 'string', help: 'CSV: the label column, by name or index' },
}
const OUTPUT_OPTIONS: Record<string, OptionSpec> = {
  quiet: { type: 'boolean', help: 'print nothing but errors' },
  json: { type: 'boolean', help: 'print JSON lines for machines' },
  threads: { type: 'string', help: `threads for matrix products (default ${getDefaultThreads()})` },
}
/** For commands on a checkpoint: the data default to the checkpoint's own. */
const CHECKPOINT_DATA_OPTIONS: Record<string, OptionSpec> = {
  ...DATA_OPTIONS,
  data: { type: 'string', help: "digits, fashion-mnist, mnist or a .csv file (default: the checkpoint's data)" },
}
const CHECKPOINT_OPTION: Record<string, OptionSpec> = { checkpoint: { type: 'string', help: 'a run folder (or its checkpoint.safetensors)', short: 'c' } }

// ---- option parsing helpers

function num(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const v = values[name]
  if (v === undefined) return fallback
  const n = Number(v)
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new CliError(`--${name}: '${String(v)}' is not a number`)
  return n
}

function int(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const n = num(values, name, fallback)
  if (n !== undefined && !Number.isInteger(n)) throw new CliError(`--${name}: expected an integer, got ${n}`)
  return n
}

function oneOf<T extends string>(values: Record<string, unknown>, name: string, allowed: readonly T[], fallback: T): T {
  const v = (values[name] as string | undefined) ?? fallback
  if (!allowed.includes(v as T)) throw new CliError(`--${name}: unknown value '${v}' (expected ${allowed.join(', ')})`)
  return v as T
}

function parseNoise(s: string): Noise {
  const [kind, p] = s.split(':')
  const value = Number(p)
  if (p === undefined || !Number.isFinite(value)) throw new CliError(`--noise: expected kind:amount like masking:0.3, gaussian:0.2 or salt-pepper:0.1, got '${s}'`)
  if (kind === 'gaussian') return { kind, std: value }
  if (kind === 'masking') return { kind, p: value }
  if (kind === 'salt-pepper') return { kind: 'saltPepper', p: value }
  throw new CliError(`--noise: unknown kind '${kind}' (gaussian, masking or salt-pepper)`)
}

function parseSparsity(s: string): SparsityPenalty {
  const [kind, a, b] = s.split(':')
  if (kind === 'l1' && a !== undefined && Number.isFinite(Number(a))) return { kind, lambda: Number(a) }
  if (kind === 'kl' && [a, b].every((v) => v !== undefined && Number.isFinite(Number(v)))) return { kind, rho: Number(a), beta: Number(b) }
  throw new CliError(`--sparsity: expected kl:RHO:BETA (like kl:0.05:0.5) or l1:LAMBDA (like l1:0.001), got '${s}'`)
}

function dataOptions(values: Record<string, unknown>): DataOptions {
  return { data: (values.data as string) ?? 'digits', dataDir: values['data-dir'] as string | undefined, limit: int(values, 'limit'), holdout: holdout(values), label: values.label as string | undefined }
}

/** --holdout: a class number, or a class name (checked against the data's classes once it is loaded). */
function holdout(values: Record<string, unknown>): number | string | undefined {
  const v = values.holdout as string | undefined
  return v === undefined || /^\s*-?\d+(\.\d*)?\s*$/.test(v) ? int(values, 'holdout') : v
}

function progressMode(values: Record<string, unknown>, out: Output): ProgressMode {
  if (values.quiet && values.json) throw new CliError('--quiet and --json cannot be used together')
  return values.quiet ? 'quiet' : values.json ? 'json' : out.isTTY ? 'bar' : 'lines'
}

function applyThreads(values: Record<string, unknown>): void {
  const t = int(values, 'threads')
  if (t === undefined) return
  if (t < 1) throw new CliError(`--threads must be at least 1, got ${t}`)
  setNumThreads(t)
}

const fmt = (v: number | undefined, digits = 4): string => (v === undefined ? '-' : v.toFixed(digits))

/** The data a checkpoint was trained on, unless the command line names other data; --limit and --holdout apply to either. */
function dataFor(values: Record<string, unknown>, config: TrainConfig, given: Set<string>): DataOptions {
  if (given.has('data')) return dataOptions(values)
  const data = { ...config.data }
  if (given.has('data-dir')) data.dataDir = values['data-dir'] as string
  if (given.has('limit')) data.limit = int(values, 'limit')
  if (given.has('holdout')) data.holdout = holdout(values)
  return data
}

/** The checkpoint named by --checkpoint, its model, and the data it was trained on (or the data named). */
function openRun(values: Record<string, unknown>, given: Set<string>): ReturnType<typeof openCheckpoint> & { path: string; splits: ReturnType<typeof loadSplits> } {
  const path = required(values, 'checkpoint')
  const opened = openCheckpoint(path)
  return { ...opened, path, splits: loadSplits(dataFor(values, opened.meta.config, given)) }
}

// ---- the commands

const COMMANDS: Record<string, Command> = {
  train: {
    summary: 'train an autoencoder, with a checkpoint after every epoch, pictures and a report',
    example: 'latent train --variant denoising --sizes 64,32,8 --epochs 30 --out runs/dae',
    options: {
      variant: { type: 'string', default: 'vanilla', help: VARIANTS.join(', ') },
      sizes: { type: 'string', default: '64,32,8', help: 'layer sizes from the input to the code (mirrored for the decoder)' },
      activation: { type: 'string', default: 'relu', help: `hidden activation: ${Object.keys(ACTIVATIONS).join(', ')}` },
      'output-activation': { type: 'string', default: 'sigmoid', help: 'output activation' },
      loss: { type: 'string', default: 'mse', help: `reconstruction loss: ${RECONSTRUCTION_LOSSES.join(', ')} (variational: set by --likelihood)` },
      tied: { type: 'boolean', help: "decoder weights are the encoder's, transposed" },
      noise: { type: 'string', default: 'masking:0.3', help: 'denoising: masking:P, gaussian:STD or salt-pepper:P' },
      sparsity: { type: 'string', default: 'kl:0.05:0.5', help: 'sparse: kl:RHO:BETA or l1:LAMBDA' },
      lambda: { type: 'string', default: '0.01', help: 'contractive: weight of the Jacobian penalty' },
      beta: { type: 'string', default: '1', help: 'variational: weight of the KL term' },
      likelihood: { type: 'string', default: 'bernoulli', help: 'variational: bernoulli or gaussian' },
      optimizer: { type: 'string', default: 'adam', help: 'adam, sgd (momentum 0.9) or rmsprop' },
      lr: { type: 'string', default: '0.001', help: 'learning rate' },
      epochs: { type: 'string', default: '20', help: 'epochs (with --resume: the new total)' },
      'batch-size': { type: 'string', default: '64', help: 'minibatch size' },
      validation: { type: 'string', default: '0.1', help: 'fraction of the training images kept for validation' },
      seed: { type: 'string', default: '0', help: 'seed of the weights, noise and shuffling' },
      out: { type: 'string', default: 'runs/latest', help: 'run folder: checkpoint, pictures, report', short: 'o' },
      resume: { type: 'boolean', help: 'continue the run in --out from its checkpoint' },
      ...DATA_OPTIONS,
      ...OUTPUT_OPTIONS,
    },
    async run(v, io, given) {
      const mode = progressMode(v, io.stdout)
      applyThreads(v)
      const out = v.out as string
      let config: TrainConfig | undefined
      if (!v.resume) {
        const variant = oneOf<Variant>(v, 'variant', VARIANTS, 'vanilla')
        const sizes = String(v.sizes).split(',').map((s) => Number(s))
        if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) throw new CliError(`--sizes: expected at least two positive integers like 64,32,8, got '${String(v.sizes)}'`)
        const spec: ModelSpec = {
          ...defaultSpec(variant, sizes),
          activation: oneOf(v, 'activation', Object.keys(ACTIVATIONS) as ActivationName[], 'relu'),
          outputActivation: oneOf(v, 'output-activation', Object.keys(ACTIVATIONS) as ActivationName[], 'sigmoid'),
          loss: variant === 'variational' ? (v.likelihood === 'gaussian' ? 'mse' : 'bce') : oneOf<ReconstructionLoss>(v, 'loss', RECONSTRUCTION_LOSSES, 'mse'),
          tied: Boolean(v.tied),
          seed: int(v, 'seed', 0)!,
        }
        if (variant === 'denoising') spec.noise = parseNoise(v.noise as string)
        if (variant === 'sparse') spec.sparsity = parseSparsity(v.sparsity as string)
        if (variant === 'contractive') spec.lambda = num(v, 'lambda')
        if (variant === 'variational') Object.assign(spec, { beta: num(v, 'beta'), likelihood: oneOf(v, 'likelihood', ['bernoulli', 'gaussian'] as const, 'bernoulli') })
        config = { spec, data: dataOptions(v), epochs: int(v, 'epochs', 20)!, batchSize: int(v, 'batch-size', 64)!, optimizer: oneOf(v, 'optimizer', ['adam', 'sgd', 'rmsprop'] as const, 'adam'), lr: num(v, 'lr', 1e-3)!, validation: num(v, 'validation', 0.1)! }
      }
      const progress = new Progress(mode, io.stdout)
      const epochs = v.resume && given.has('epochs') ? int(v, 'epochs') : undefined
      const result = await trainRun(out, config, { resume: Boolean(v.resume), epochs, progress, signal: io.signal })
      const name = `${result.config.spec.variant} ${result.config.spec.sizes.join('-')}`
      if (result.stopped === 'interrupted') {
        const last = result.history.at(-1)?.epoch ?? 0
        io.stderr.write(`interrupted: the checkpoint in ${out} holds epoch ${last}; continue with: latent train --out ${out} --resume\n`)
        return 130
      }
      const m = measureModel(result.model, result.splits)
      const pictures = modelPictures(result.model, result.splits, result.history, name)
      const summary = { model: name, epochs: result.history.length, ...m, history: result.history }
      const rows = [['measure', 'value'], ['test MSE', fmt(m.testMse)], ['5-NN accuracy of the codes', fmt(m.knn, 3)], ...(m.auroc !== undefined ? [['anomaly AUROC (held-out class)', fmt(m.auroc, 3)]] : [])]
      writeAll(out, { ...pictures, 'summary.json': JSON.stringify(summary, null, 2) + '\n', 'index.html': reportHtml(`latent: ${name} on ${result.splits.train.name}`, rows, Object.keys(pictures).map((f) => ({ file: f, caption: f.replace('.svg', '') }))) })
      if (mode === 'json') io.stdout.write(JSON.stringify({ event: 'done', out, ...m }) + '\n')
      else if (mode !== 'quiet') io.stdout.write(textTable(rows) + `report: ${join(out, 'index.html')}\n`)
      return 0
    },
  },

  eval: {
    summary: 'measure a trained model: test loss parts, test MSE, kNN accuracy, anomaly AUROC',
    example: 'latent eval --checkpoint runs/dae --holdout 9',
    options: { ...CHECKPOINT_OPTION, ...CHECKPOINT_DATA_OPTIONS, ...OUTPUT_OPTIONS, probe: { type: 'boolean', help: 'also the linear-probe accuracy of the codes' } },
    run(v, io, given) {
      const mode = progressMode(v, io.stdout)
      applyThreads(v)
      const { meta, model, splits } = openRun(v, given)
      const m = measureModel(model, splits, { probe: Boolean(v.probe) })
      if (mode === 'json') io.stdout.write(JSON.stringify({ epoch: meta.epoch, ...m }) + '\n')
      else if (mode !== 'quiet') {
        io.stdout.write(`${meta.config.spec.variant} ${meta.config.spec.sizes.join('-')}, epoch ${meta.epoch}, on ${splits.test.name}\n`)
        io.stdout.write(textTable([['measure', 'value'], ['test MSE', fmt(m.testMse)], ['5-NN accuracy', fmt(m.knn, 3)], ['linear probe accuracy', fmt(m.probe, 3)], ['anomaly AUROC', fmt(m.auroc, 3)]]))
      }
      return 0
    },
  },

  encode: {
    summary: 'write the codes (embeddings) of a data split to CSV, with the labels',
    example: 'latent encode --checkpoint runs/dae --split test --output codes.csv',
    options: { ...CHECKPOINT_OPTION, ...CHECKPOINT_DATA_OPTIONS, split: { type: 'string', default: 'test', help: 'train or test' }, output: { type: 'string', help: 'CSV file to write', short: 'o' }, quiet: OUTPUT_OPTIONS.quiet },
    run(v, io, given) {
      const output = required(v, 'output')
      const { model, splits } = openRun(v, given)
      const d = splits[oneOf(v, 'split', ['train', 'test'] as const, 'test')]
      const codes = model.encode(d.x)
      const [n, k] = codes.shape
      const lines = [[...Array.from({ length: k }, (_, j) => `z${j}`), 'label'].join(',')]
      for (let i = 0; i < n; i++) lines.push([...Array.from(codes.data.subarray(i * k, (i + 1) * k), (c) => String(Number(c.toPrecision(7)))), String(d.labels[i])].join(','))
      writeFile(output, lines.join('\n') + '\n')
      if (!v.quiet) io.stdout.write(`${n} codes of size ${k} written to ${output}\n`)
      return 0
    },
  },

  reconstruct: {
    summary: 'draw test images above their reconstructions (SVG)',
    example: 'latent reconstruct --checkpoint runs/dae --n 10 --output recon.svg',
    options: { ...CHECKPOINT_OPTION, ...CHECKPOINT_DATA_OPTIONS, n: { type: 'string', default: '10', help: 'how many images' }, output: { type: 'string', help: 'SVG file to write', short: 'o' }, quiet: OUTPUT_OPTIONS.quiet },
    run(v, io, given) {
      const output = required(v, 'output')
      const n = int(v, 'n', 10)!
      if (n < 1) throw new CliError(`--n must be at least 1, got ${n}`)
      const { model, splits } = openRun(v, given)
      const x = T.slice(splits.test.x, 0, 0, Math.min(n, splits.test.x.shape[0]))
      const xhat = model.reconstruct(x)
      writeFile(output, imageGrid([{ label: 'original', images: x }, { label: 'reconstruction', images: xhat }], splits.test.image, { title: `reconstructions (test MSE of these ${x.shape[0]}: ${mse(xhat, x).toFixed(4)})` }))
      if (!v.quiet) io.stdout.write(`${output}: ${x.shape[0]} images and their reconstructions\n`)
      return 0
    },
  },

  anomalies: {
    summary: 'score test images by reconstruction error; threshold from training scores; report, histogram and ROC',
    example: 'latent anomalies --checkpoint runs/ae --holdout 9 --quantile 0.95 --output runs/ae/anomalies',
    options: {
      ...CHECKPOINT_OPTION, ...CHECKPOINT_DATA_OPTIONS,
      quantile: { type: 'string', help: 'threshold: this quantile of the training scores (default 0.99)' },
      contamination: { type: 'string', help: 'threshold: flag this fraction of the training images instead' },
      output: { type: 'string', help: 'folder for scores.csv and the pictures (default: the run folder)', short: 'o' },
      quiet: OUTPUT_OPTIONS.quiet, json: OUTPUT_OPTIONS.json,
    },
    run(v, io, given) {
      const mode = progressMode(v, io.stdout)
      if (v.quantile !== undefined && v.contamination !== undefined) throw new CliError('give --quantile or --contamination, not both')
      const quantile = num(v, 'quantile')
      const contamination = num(v, 'contamination')
      for (const [name, value] of [['quantile', quantile], ['contamination', contamination]] as const) {
        if (value !== undefined && !(value > 0 && value < 1)) throw new CliError(`--${name} must be in (0, 1), got ${value}`)
      }
      const { path, meta, model, splits } = openRun(v, given)
      const detector = new AnomalyDetector(model).fit(splits.train.x, contamination !== undefined ? { contamination } : { quantile: quantile ?? 0.99 })
      const t = detector.threshold!
      const scores = detector.scores(splits.test.x)
      const labels = splits.anomalyLabels
      const stats: Record<string, number> = { threshold: t, flagged: scores.filter((s) => s > t).length, tested: scores.length }
      if (labels) Object.assign(stats, detector.report(splits.test.x, labels))
      const pictures = anomalyPictures(scores, t, labels, `${meta.config.spec.variant} ${meta.config.spec.sizes.join('-')}`)
      const csv = ['score,flagged,label', ...Array.from(scores, (s, i) => `${s.toPrecision(6)},${s > t ? 1 : 0},${splits.test.labels[i]}`)].join('\n') + '\n'
      writeAll((v.output as string | undefined) ?? (path.endsWith('.safetensors') ? '.' : path), { 'scores.csv': csv, ...pictures })
      if (mode === 'json') io.stdout.write(JSON.stringify(stats) + '\n')
      else if (mode !== 'quiet') io.stdout.write(textTable([['measure', 'value'], ...Object.entries(stats).map(([k, x]) => [k, Number.isInteger(x) ? String(x) : x.toPrecision(4)])]))
      return 0
    },
  },

  sample: {
    summary: 'draw new images from a variational autoencoder, and an interpolation strip (SVG)',
    example: 'latent sample --checkpoint runs/vae --n 16 --output samples.svg',
    options: { ...CHECKPOINT_OPTION, ...CHECKPOINT_DATA_OPTIONS, n: { type: 'string', default: '16', help: 'how many samples' }, seed: { type: 'string', help: 'seed of the samples (default: the model\'s generator)' }, output: { type: 'string', help: 'SVG file to write', short: 'o' }, quiet: OUTPUT_OPTIONS.quiet },
    run(v, io, given) {
      const output = required(v, 'output')
      const n = int(v, 'n', 16)!
      if (n < 1) throw new CliError(`--n must be at least 1, got ${n}`)
      const { meta, model, splits } = openRun(v, given)
      if (!(model instanceof VariationalAutoencoder)) throw new CliError(`sample needs a variational autoencoder; this checkpoint holds a ${meta.config.spec.variant} one`)
      const seed = int(v, 'seed')
      if (seed !== undefined) model.generators().epsilon.setState(new T.Rng(seed).getState())
      const samples = model.sample(n)
      const strip = model.interpolate(T.slice(splits.test.x, 0, 0, 1), T.slice(splits.test.x, 0, 1, 2), 10)
      writeFile(output, imageGrid([{ label: 'samples', images: samples }, { label: 'interpolation', images: strip }], splits.test.image, { title: 'samples from the prior; below, the line between two test images' }))
      if (!v.quiet) io.stdout.write(`${output}: ${n} samples and an interpolation of 10 steps\n`)
      return 0
    },
  },

  'compare-pca': {
    summary: 'the model against PCA with as many components as the code: test MSE and kNN accuracy, and a bar chart',
    example: 'latent compare-pca --checkpoint runs/ae --output ae-vs-pca.svg',
    options: { ...CHECKPOINT_OPTION, ...CHECKPOINT_DATA_OPTIONS, output: { type: 'string', help: 'SVG bar chart to write', short: 'o' }, quiet: OUTPUT_OPTIONS.quiet, json: OUTPUT_OPTIONS.json },
    run(v, io, given) {
      const mode = progressMode(v, io.stdout)
      const { meta, model, splits } = openRun(v, given)
      const k = model.codeSize(splits.train.x.shape[1])
      const a = measureModel(model, splits)
      const p = measurePca(k, splits)
      if (v.output) writeFile(v.output as string, barChart(['test MSE', '1 - kNN accuracy'], [{ name: `${meta.config.spec.variant} AE`, values: [a.testMse, 1 - (a.knn ?? NaN)] }, { name: `PCA ${k}`, values: [p.testMse, 1 - (p.knn ?? NaN)] }], { title: `autoencoder against PCA (${k} dimensions), lower is better`, yLabel: 'error' }))
      if (mode === 'json') io.stdout.write(JSON.stringify({ autoencoder: a, pca: p, components: k }) + '\n')
      else if (mode !== 'quiet') io.stdout.write(textTable([['model', 'test MSE', '5-NN accuracy'], [`${meta.config.spec.variant} AE`, fmt(a.testMse), fmt(a.knn, 3)], [`PCA ${k}`, fmt(p.testMse), fmt(p.knn, 3)]]))
      return 0
    },
  },

  info: {
    summary: 'the compute backend: WASM SIMD, relaxed SIMD, threads, kernel',
    example: 'latent info',
    options: { json: OUTPUT_OPTIONS.json, threads: OUTPUT_OPTIONS.threads },
    async run(v, io) {
      applyThreads(v)
      // Workers start in the background: give them up to 5 s, so that readyWorkers (and a
      // threadError, if they fail) says what training would get.
      for (let waited = 0; waited < 5000 && getBackendInfo().readyWorkers < getBackendInfo().threads - 1 && !getBackendInfo().threadError; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      const info = getBackendInfo()
      if (v.json) io.stdout.write(JSON.stringify({ node: process.version, ...info }) + '\n')
      else io.stdout.write(textTable([['property', 'value'], ['node', process.version], ...Object.entries(info).map(([k, x]) => [k, String(x)])]))
      return 0
    },
  },

  demo: {
    summary: 'train a vanilla, denoising, sparse, contractive and variational autoencoder; compare with PCA; write the report',
    example: 'latent demo --out report',
    options: {
      out: { type: 'string', default: 'report', help: 'report folder', short: 'o' },
      epochs: { type: 'string', help: 'epochs per model (default: 40 on digits, 5 on Fashion-MNIST or MNIST)' },
      ...DATA_OPTIONS,
      ...OUTPUT_OPTIONS,
    },
    run(v, io, given) {
      const mode = progressMode(v, io.stdout)
      applyThreads(v)
      const data = dataOptions(v)
      return runDemo({ out: v.out as string, data: { ...data, holdout: data.holdout ?? 9 }, epochs: int(v, 'epochs'), mode, io })
    },
  },
}

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name]
  if (typeof v !== 'string' || v === '') throw new CliError(`--${name} is required`)
  return v
}

function writeFile(path: string, content: string): void {
  writeAll(dirname(path), { [basename(path)]: content })
}

function usage(): string {
  const names = Object.keys(COMMANDS)
  const w = Math.max(...names.map((n) => n.length))
  return `latent: autoencoders from scratch\n\nusage: latent <command> [options]   (latent <command> --help for its options)\n\ncommands:\n${names.map((n) => `  ${n.padEnd(w)}  ${COMMANDS[n].summary}`).join('\n')}\n\nexample: latent demo    (trains five autoencoders on the embedded digits and writes report/index.html)\n`
}

function help(name: string, c: Command): string {
  const rows = Object.entries(c.options).map(([k, o]) => [`${o.short ? `-${o.short}, ` : '    '}--${k}${o.type === 'string' ? ' VALUE' : ''}`, `${o.help}${o.default !== undefined ? ` (default ${o.default})` : ''}`])
  const w = Math.max(...rows.map((r) => r[0].length))
  return `latent ${name}: ${c.summary}\n\noptions:\n${rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n')}\n  ${'    --help'.padEnd(w)}  this text\n\nexample:\n  ${c.example}\n`
}

/**
 * node:util's parse errors in the CLI's words, on one line. A value that starts with '-' (as in
 * `--epochs -1`) is read by parseArgs as a missing value: say how to write it.
 */
function parseError(message: string): string {
  const ambiguous = /argument is ambiguous[\s\S]*use '(--[\w-]+)=/.exec(message)
  if (ambiguous) return `${ambiguous[1]} needs a value; for a value that starts with '-', write ${ambiguous[1]}=VALUE`
  return message.split('\n')[0].replace(/\. To specify.*$/, '').replace(/^Unknown option/, 'unknown option')
}

/**
 * Runs the command line with `argv` (without node and the script); returns the exit code.
 * @example process.exitCode = await main(['info'], { stdout: process.stdout, stderr: process.stderr, signal: { aborted: false } })
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage())
    return name === undefined ? 2 : 0
  }
  const command = COMMANDS[name]
  try {
    if (!command) throw new CliError(`unknown command '${name}' (expected ${Object.keys(COMMANDS).join(', ')}; see latent --help)`)
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(help(name, command))
      return 0
    }
    let values: Record<string, string | boolean | undefined>
    try {
      const options = Object.fromEntries(Object.entries(command.options).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}) }]))
      values = parseArgs({ args: rest, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>
    } catch (e) {
      throw new CliError(parseError((e as Error).message))
    }
    const given = new Set(Object.keys(values))
    for (const [k, o] of Object.entries(command.options)) if (values[k] === undefined && o.default !== undefined) values[k] = o.default
    return await command.run(values, io, given)
  } catch (e) {
    if (process.env.LATENT_DEBUG) io.stderr.write(`${(e as Error).stack}\n`)
    io.stderr.write(`${command ? `latent ${name}` : 'latent'}: ${(e as Error).message.split('\n')[0]}\n`)
    return e instanceof CliError ? 2 : 1
  }
}

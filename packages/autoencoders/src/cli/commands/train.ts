/**
 * `latent train`: one autoencoder, its model, data and optimizer from the command line (or
 * resumed from its checkpoint), trained into a run folder with pictures, summary.json and a report.
 */
import { join } from 'node:path'
import { ACTIVATIONS, type ActivationName } from '@latent/nn'
import { RECONSTRUCTION_LOSSES, type ReconstructionLoss } from '../../autoencoder.js'
import { defaultSpec, type ModelSpec, type Variant, VARIANTS } from '../../spec.js'
import { measureModel, modelPictures, type TrainConfig, trainRun, writeAll } from '../experiment/index.js'
import {
  applyThreads, CliError, type Command, DATA_OPTIONS, dataOptions, int, num, oneOf, OUTPUT_OPTIONS, parseNoise,
  parseSparsity, progressMode, type Values,
} from '../parser.js'
import { Progress } from '../progress.js'
import { fmt, reportHtml, textTable } from '../report.js'

/** The configuration of a new run: the model, data and optimizer options. */
function configFrom(v: Values): TrainConfig {
  const variant = oneOf<Variant>(v, 'variant', VARIANTS, 'vanilla')
  const sizes = String(v.sizes).split(',').map((s) => Number(s))
  if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new CliError(`--sizes: expected at least two positive integers like 64,32,8, got '${String(v.sizes)}'`)
  }
  const activations = Object.keys(ACTIVATIONS) as ActivationName[]
  const spec: ModelSpec = {
    ...defaultSpec(variant, sizes),
    activation: oneOf(v, 'activation', activations, 'relu'),
    outputActivation: oneOf(v, 'output-activation', activations, 'sigmoid'),
    loss: variant === 'variational'
      ? (v.likelihood === 'gaussian' ? 'mse' : 'bce')
      : oneOf<ReconstructionLoss>(v, 'loss', RECONSTRUCTION_LOSSES, 'mse'),
    tied: Boolean(v.tied),
    seed: int(v, 'seed', 0)!,
  }
  if (variant === 'denoising') spec.noise = parseNoise(v.noise as string)
  if (variant === 'sparse') spec.sparsity = parseSparsity(v.sparsity as string)
  if (variant === 'contractive') spec.lambda = num(v, 'lambda')
  if (variant === 'variational') {
    const beta = num(v, 'beta')
    Object.assign(spec, { beta, likelihood: oneOf(v, 'likelihood', ['bernoulli', 'gaussian'] as const, 'bernoulli') })
  }
  return {
    spec,
    data: dataOptions(v),
    epochs: int(v, 'epochs', 20)!,
    batchSize: int(v, 'batch-size', 64)!,
    optimizer: oneOf(v, 'optimizer', ['adam', 'sgd', 'rmsprop'] as const, 'adam'),
    lr: num(v, 'lr', 1e-3)!,
    validation: num(v, 'validation', 0.1)!,
  }
}

/**
 * `latent train`: trains an autoencoder, with a checkpoint after every epoch, pictures and a report.
 * @example await main(['train', '--variant', 'denoising', '--epochs', '30', '--out', 'runs/dae'], io)
 */
export const trainCommand: Command = {
  summary: 'train an autoencoder, with a checkpoint after every epoch, pictures and a report',
  example: 'latent train --variant denoising --sizes 64,32,8 --epochs 30 --out runs/dae',
  options: {
    variant: { type: 'string', default: 'vanilla', help: VARIANTS.join(', ') },
    sizes: {
      type: 'string',
      default: '64,32,8',
      help: 'layer sizes from the input to the code (mirrored for the decoder)',
    },
    activation: {
      type: 'string',
      default: 'relu',
      help: `hidden activation: ${Object.keys(ACTIVATIONS).join(', ')}`,
    },
    'output-activation': { type: 'string', default: 'sigmoid', help: 'output activation' },
    loss: {
      type: 'string',
      default: 'mse',
      help: `reconstruction loss: ${RECONSTRUCTION_LOSSES.join(', ')} (variational: set by --likelihood)`,
    },
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
    const config = v.resume ? undefined : configFrom(v)
    const progress = new Progress(mode, io.stdout)
    const epochs = v.resume && given.has('epochs') ? int(v, 'epochs') : undefined
    const result = await trainRun(out, config, { resume: Boolean(v.resume), epochs, progress, signal: io.signal })
    const name = `${result.config.spec.variant} ${result.config.spec.sizes.join('-')}`
    if (result.stopped === 'interrupted') {
      const last = result.history.at(-1)?.epoch ?? 0
      const again = `latent train --out ${out} --resume`
      io.stderr.write(`interrupted: the checkpoint in ${out} holds epoch ${last}; continue with: ${again}\n`)
      return 130
    }
    const m = measureModel(result.model, result.splits)
    const pictures = modelPictures(result.model, result.splits, result.history, name)
    const summary = { model: name, epochs: result.history.length, ...m, history: result.history }
    const rows = [
      ['measure', 'value'],
      ['test MSE', fmt(m.testMse)],
      ['5-NN accuracy of the codes', fmt(m.knn, 3)],
      ...(m.auroc !== undefined ? [['anomaly AUROC (held-out class)', fmt(m.auroc, 3)]] : []),
    ]
    const title = `latent: ${name} on ${result.splits.train.name}`
    const captions = Object.keys(pictures).map((f) => ({ file: f, caption: f.replace('.svg', '') }))
    writeAll(out, {
      ...pictures,
      'summary.json': JSON.stringify(summary, null, 2) + '\n',
      'index.html': reportHtml(title, rows, captions),
    })
    if (mode === 'json') io.stdout.write(JSON.stringify({ event: 'done', out, ...m }) + '\n')
    else if (mode !== 'quiet') io.stdout.write(textTable(rows) + `report: ${join(out, 'index.html')}\n`)
    return 0
  },
}

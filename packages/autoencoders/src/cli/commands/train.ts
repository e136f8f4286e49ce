/**
 * `latent train`: one autoencoder, its model, data and optimizer from the command line (or
 * resumed from its checkpoint), trained into a run folder with pictures, summary.json and a report.
 */
import { join } from 'node:path'
import { CONV_OPTIONS, DEFAULT_CHANNELS } from '../../convolutional.js'
import { MODEL_OPTIONS, type ModelSpec, type Variant } from '../../spec.js'
import { formatNoise, DEFAULT_NOISE, parseNoise } from '../../variants/denoising.js'
import { formatSparsity, DEFAULT_SPARSITY, parseSparsity } from '../../variants/sparse.js'
import {
  measureModel, modelPictures, OPTIMIZERS, RUN_OPTIONS, type TrainConfig, trainRun, writeAll,
} from '../experiment/index.js'
import {
  applyThreads, CliError, type Command, DATA_OPTIONS, dataOptions, OUTPUT_OPTIONS, progressMode, readFlag, readParsed,
  tableFlags, type Values,
} from '../parser.js'
import { Progress } from '../progress.js'
import { fmt, reportHtml, textTable } from '../report.js'

/** A list of at least `min` positive integers, like 64,32,8 (--sizes, --channels). */
const parseSizes = (min: number) => (text: string): number[] => {
  const sizes = text.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)))
  if (sizes.length < min || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`expected ${min > 1 ? 'at least two ' : ''}positive integers like 64,32,8, got '${text}'`)
  }
  return sizes
}

/** Dense layers, or convolutions for images. */
const ARCH = {
  type: 'choice', values: ['dense', 'conv'], default: 'dense', help: 'dense layers, or convolutions (images)',
} as const

/** Options that only one variant (or the convolutional architecture) takes. */
const OPTION_OWNERS: Record<string, Variant | 'conv'> = {
  noise: 'denoising', sparsity: 'sparse', lambda: 'contractive', beta: 'variational', likelihood: 'variational',
  channels: 'conv', kernel: 'conv', stride: 'conv',
}

/** The configuration of a new run: the model, data and optimizer options, read by the library's tables. */
function configFrom(v: Values, given: Set<string>): TrainConfig {
  const read = <K extends keyof typeof MODEL_OPTIONS>(name: K) => readFlag(v, name, MODEL_OPTIONS[name])
  const variant = read('variant') as Variant
  const conv = readFlag(v, 'arch', ARCH) === 'conv'
  const spec: ModelSpec = {
    variant,
    // With convolutions: the dense sizes after them, ending with the code (the images come from the data).
    // Without --sizes, an empty list: the run takes them from the data's width (withData in run.ts).
    sizes: !given.has('sizes') ? (conv ? [32] : []) : readParsed(v, 'sizes', parseSizes(conv ? 1 : 2)),
    activation: read('activation') as ModelSpec['activation'],
    outputActivation: read('outputActivation') as ModelSpec['activation'],
    loss: read('loss') as ModelSpec['loss'],
    tied: read('tied') as boolean,
    seed: read('seed') as number,
  }
  if (conv) {
    if (spec.tied) throw new CliError('--tied is not available with --arch conv')
    spec.conv = {
      image: undefined!, channels: readParsed(v, 'channels', parseSizes(1)),
      kernel: readFlag(v, 'kernel', CONV_OPTIONS.kernel) as number,
      stride: readFlag(v, 'stride', CONV_OPTIONS.stride) as number,
    }
  }
  for (const [flag, owner] of Object.entries(OPTION_OWNERS)) {
    const applies = owner === 'conv' ? conv : owner === variant
    if (given.has(flag) && !applies) {
      throw new CliError(`--${flag} applies to ${owner === 'conv' ? '--arch conv' : `--variant ${owner}`} only`)
    }
  }
  if (variant === 'denoising') spec.noise = readParsed(v, 'noise', parseNoise)
  if (variant === 'sparse') spec.sparsity = readParsed(v, 'sparsity', parseSparsity)
  if (variant === 'contractive') spec.lambda = read('lambda') as number
  if (variant === 'variational') {
    spec.beta = read('beta') as number
    spec.likelihood = read('likelihood') as ModelSpec['likelihood']
    spec.loss = spec.likelihood === 'gaussian' ? 'mse' : 'bce'
  }
  const optimizer = readFlag(v, 'optimizer', RUN_OPTIONS.optimizer) as TrainConfig['optimizer']
  return {
    spec,
    data: dataOptions(v),
    epochs: readFlag(v, 'epochs', RUN_OPTIONS.epochs) as number,
    batchSize: readFlag(v, 'batchSize', RUN_OPTIONS.batchSize) as number,
    optimizer,
    lr: readFlag(v, 'lr', OPTIMIZERS[optimizer].options.lr) as number,
    validation: readFlag(v, 'validation', RUN_OPTIONS.validation) as number,
  }
}

/** What --resume can change: the run's length and its learning rate; the rest would make another run. */
const RESUMABLE = new Set(['epochs', 'lr', 'out', 'resume', 'threads', 'quiet', 'json'])

const LR_DEFAULTS = Object.entries(OPTIMIZERS).map(([name, o]) => `${name} ${o.options.lr.default}`).join(', ')

/**
 * `latent train`: trains an autoencoder, with a checkpoint after every epoch, pictures and a report.
 * @example await main(['train', '--variant', 'denoising', '--epochs', '30', '--out', 'runs/dae'], io)
 */
export const trainCommand: Command = {
  summary: 'train an autoencoder, with a checkpoint after every epoch, pictures and a report',
  example: 'latent train --variant denoising --sizes 64,32,8 --epochs 30 --out runs/dae',
  options: {
    ...tableFlags(MODEL_OPTIONS, ['variant']),
    arch: { type: 'string', default: ARCH.default, help: `${ARCH.help}: ${ARCH.values.join(', ')}` },
    sizes: {
      type: 'string',
      help: 'layer sizes from the input to the code, mirrored for the decoder (default: the data\'s width, '
        + 'then 32 and 8, smaller for narrow data; conv: the dense sizes after the convolutions, ending with '
        + 'the code; default 32)',
    },
    channels: {
      type: 'string', default: DEFAULT_CHANNELS.join(','), help: 'conv: output channels of each convolution',
    },
    ...tableFlags(CONV_OPTIONS, ['kernel', 'stride']),
    ...tableFlags(MODEL_OPTIONS, ['activation', 'outputActivation', 'loss', 'tied']),
    noise: {
      type: 'string', default: formatNoise(DEFAULT_NOISE),
      help: 'denoising: masking:P, gaussian:STD, gaussian:STD:clip (clamped to [0, 1]) or salt-pepper:P',
    },
    sparsity: {
      type: 'string', default: formatSparsity(DEFAULT_SPARSITY), help: 'sparse: kl:RHO:BETA or l1:LAMBDA',
    },
    ...tableFlags(MODEL_OPTIONS, ['lambda', 'beta', 'likelihood']),
    ...tableFlags(RUN_OPTIONS, ['optimizer']),
    lr: {
      type: 'string', help: `learning rate (default: the optimizer's, ${LR_DEFAULTS}; with --resume: the new one)`,
    },
    ...tableFlags(RUN_OPTIONS, ['epochs', 'batchSize', 'validation']),
    ...tableFlags(MODEL_OPTIONS, ['seed']),
    out: { type: 'string', default: 'runs/latest', help: 'run folder: checkpoint, pictures, report', short: 'o' },
    resume: {
      type: 'boolean', help: `continue the run in --out from its checkpoint (only --epochs and --lr may change)`,
    },
    ...DATA_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  async run(v, io, given) {
    const mode = progressMode(v, io.stdout)
    applyThreads(v, io.stderr)
    const out = v.out as string
    if (v.resume) {
      const fixed = [...given].filter((name) => !RESUMABLE.has(name))
      if (fixed.length > 0) {
        const flags = fixed.map((f) => `--${f}`).join(', ')
        throw new CliError(`--resume continues the run in ${out} as it was configured: ${flags} `
          + `cannot change (only --epochs and --lr can); start a new run with another --out`)
      }
    }
    const config = v.resume ? undefined : configFrom(v, given)
    const progress = new Progress(mode, io.stdout)
    const epochs = v.resume && given.has('epochs') ? readFlag(v, 'epochs', RUN_OPTIONS.epochs) as number : undefined
    // The learning rate's range is the same for every optimizer (>= 0): checked here, applied by trainRun.
    const lr = v.resume && given.has('lr') ? readFlag(v, 'lr', OPTIMIZERS.adam.options.lr) as number : undefined
    const result = await trainRun(out, config, { resume: Boolean(v.resume), epochs, lr, progress, signal: io.signal })
    const name = `${result.config.spec.variant} ${result.config.spec.sizes.join('-')}`
    if (result.stopped === 'interrupted') {
      const last = result.history.at(-1)?.epoch ?? 0
      const again = `latent train --out ${out} --resume`
      io.stderr.write(last > 0
        ? `interrupted: the checkpoint in ${out} holds epoch ${last}; continue with: ${again}\n`
        : 'interrupted before the first epoch ended: nothing was written; run the command again to start over\n')
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

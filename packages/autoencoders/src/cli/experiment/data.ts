/**
 * The data of a run: the data set the options name, split into training and test sets, with
 * one class optionally held out of training as the anomaly class of the test set.
 */
import { existsSync } from 'node:fs'
import { Rng } from '@latent/tensor'
import { type Dataset, shapeOf, subset } from '../../data/datasets.js'
import { DEBIAN_FASHION_MNIST, loadDigits, loadMnistLike, readCsv } from '../../node/datasets.js'

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
  /** CSV: the character between cells (default ','). */
  delimiter?: string
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


/**
 * The first `n` rows of a data set (all of it when it has no more).
 * @example const few = cap(splits.test, 1500)
 */
export const cap = (d: Dataset, n: number): Dataset =>
  d.labels.length <= n ? d : subset(d, Int32Array.from({ length: n }, (_, i) => i))

/** A .csv file as one data set: features scaled to [0, 1], square images when the feature count is a square. */
function loadCsv(path: string, labelColumn: string | undefined, delimiter: string | undefined): Dataset {
  const label = labelColumn === undefined ? undefined : /^-?\d+$/.test(labelColumn) ? Number(labelColumn) : labelColumn
  const table = readCsv(path, { label, scale: 'minmax', ...(delimiter === undefined ? {} : { delimiter }) })
  const d = table.x.shape[1]
  const side = Math.round(Math.sqrt(d))
  const labels = table.labels ?? new Int32Array(table.x.shape[0])
  const top = labels.reduce((m, l) => Math.max(m, l), 0) // (not Math.max(...labels): a long file overflows the stack)
  const classes = table.classes ?? Array.from({ length: top + 1 }, (_, i) => String(i))
  return { x: table.x, labels, image: side * side === d ? [side, side] : [1, d], name: path, classes }
}

/**
 * A mistake in what was asked for (a bad option value, data too small for it), as opposed to a
 * failure while running: the command line prints it as one line with exit code 2.
 * @example throw new UsageError('--limit must be a positive integer, got 0')
 */
export class UsageError extends Error {}

/**
 * The data set named by the options, split into training and test sets (a seeded 80/20 split where the data has none).
 * @example const { train, test } = loadSplits({ data: 'digits', holdout: 9 })
 */
export function loadSplits(options: DataOptions): Splits {
  let train: Dataset
  let test: Dataset
  if (options.data === 'fashion-mnist' || options.data === 'mnist') {
    const dir = options.dataDir ?? (options.data === 'fashion-mnist' ? DEBIAN_FASHION_MNIST : undefined)
    if (!dir) throw new UsageError('--data mnist needs --data-dir DIR (the folder with the four IDX files)')
    if (!existsSync(dir)) {
      const hint = options.data === 'fashion-mnist' ? ' (Debian: apt-get install dataset-fashion-mnist)' : ''
      throw new UsageError(`${dir}: no such folder${hint}`)
    }
    ;({ train, test } = options.data === 'mnist' ? loadMnistLike(dir, 'MNIST', [...'0123456789']) : loadMnistLike(dir))
  } else {
    let all: Dataset
    if (options.data === 'digits') all = loadDigits()
    else if (/\.csv(\.gz)?$/.test(options.data)) all = loadCsv(options.data, options.label, options.delimiter)
    else throw new UsageError(`unknown data '${options.data}' (expected digits, fashion-mnist, mnist or a .csv file)`)
    const order = new Rng(0).permutation(all.labels.length)
    const cut = Math.round(all.labels.length * 0.8)
    train = subset(all, order.subarray(0, cut))
    test = subset(all, order.subarray(cut))
  }
  if (options.limit !== undefined) {
    if (!(Number.isInteger(options.limit) && options.limit > 0)) {
      throw new UsageError(`--limit must be a positive integer, got ${options.limit}`)
    }
    const n = train.labels.length
    train = subset(train, new Rng(1).permutation(n).subarray(0, Math.min(options.limit, n)))
  }
  if (train.labels.length < 2 || test.labels.length < 1) {
    const rows = `${train.labels.length} training and ${test.labels.length} test rows`
    throw new UsageError(`${options.data}: ${rows} are too few (at least 2 and 1 needed)`)
  }
  if (options.holdout === undefined) return { train, test, normalTest: test }
  const h = typeof options.holdout === 'string' ? train.classes.indexOf(options.holdout) : options.holdout
  if (!(Number.isInteger(h) && h >= 0 && h < train.classes.length)) {
    const named = train.classes.some((c, i) => c !== String(i))
    const names = named ? ` (${train.classes.map((c, i) => `${i} ${c}`).join(', ')})` : ''
    const last = train.classes.length - 1
    const or = names ? ` or a class name${names}` : ''
    throw new UsageError(`--holdout must be a class number from 0 to ${last}${or}, got ${options.holdout}`)
  }
  const keep = (d: Dataset): number[] => [...d.labels.keys()].filter((i) => d.labels[i] !== h)
  return {
    train: subset(train, keep(train)),
    test,
    normalTest: subset(test, keep(test)),
    anomalyLabels: Uint8Array.from(test.labels, (l) => (l === h ? 1 : 0)),
    holdout: h,
  }
}

/**
 * Throws a usage error unless the data's rows are as wide as the model's input; `hint` says where
 * that size came from.
 * @example checkWidth(splits, 64, '(the checkpoint was trained on 64 features)')
 */
export function checkWidth(splits: Splits, inputSize: number, hint: string): void {
  const width = shapeOf(splits.train)[1]
  if (width !== inputSize) {
    const name = splits.train.name
    throw new UsageError(`${name} has ${width} features but the model's input size is ${inputSize} ${hint}`)
  }
}

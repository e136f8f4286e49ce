/**
 * What the commands on a trained model share: the run a --checkpoint names, opened with its data
 * (the data it was trained on unless the command line names other data).
 */
import {
  checkWidth, type DataOptions, loadSplits, type OpenedCheckpoint, openCheckpoint, type Splits, type TrainConfig,
} from '../experiment/index.js'
import { dataOptions, holdout, int, required } from '../parser.js'

/**
 * The data a checkpoint was trained on, unless the command line names other data; --limit and
 * --holdout apply to either.
 */
function dataFor(values: Record<string, unknown>, config: TrainConfig, given: Set<string>): DataOptions {
  if (given.has('data')) return dataOptions(values)
  const data = { ...config.data }
  if (given.has('data-dir')) data.dataDir = values['data-dir'] as string
  if (given.has('limit')) data.limit = int(values, 'limit')
  if (given.has('holdout')) data.holdout = holdout(values)
  return data
}

/** A checkpoint opened by openRun: its model and training state, its path, and the data. */
export type Run = OpenedCheckpoint & { path: string; splits: Splits }

/**
 * The checkpoint named by --checkpoint, its model, and the data it was trained on (or the data named).
 * @example const { meta, model, splits } = openRun(values, given)
 */
export function openRun(values: Record<string, unknown>, given: Set<string>): Run {
  const path = required(values, 'checkpoint')
  const opened = openCheckpoint(path)
  const splits = loadSplits(dataFor(values, opened.meta.config, given))
  const trainedOn = opened.meta.config.data.data
  checkWidth(splits, opened.meta.config.spec.sizes[0], `(${path} was trained on ${trainedOn})`)
  return { ...opened, path, splits }
}

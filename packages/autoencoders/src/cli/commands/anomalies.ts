/**
 * `latent anomalies`: test images scored by their reconstruction error against a threshold
 * from the training scores; scores.csv, the histogram and, with a held-out class, the ROC curve.
 */
import { AnomalyDetector } from '../../anomaly.js'
import { anomalyPictures, type DataOptions, type Splits, writeAll } from '../experiment/index.js'
import {
  CHECKPOINT_DATA_OPTIONS, CHECKPOINT_OPTION, CliError, type Command, num, OUTPUT_OPTIONS, progressMode, type Values,
} from '../parser.js'
import { textTable } from '../report.js'
import { openRun } from './shared.js'

/**
 * The held-out class, when the checkpoint was trained on the same data with that class in it
 * (its reconstructions of that class are then no measure of detection).
 */
function seenInTraining(trained: DataOptions, v: Values, given: Set<string>, splits: Splits): string | undefined {
  if (splits.holdout === undefined || (given.has('data') && v.data !== trained.data)) return undefined
  const classes = splits.train.classes
  const held = typeof trained.holdout === 'string' ? classes.indexOf(trained.holdout) : trained.holdout
  return held === splits.holdout ? undefined : classes[splits.holdout]
}

/**
 * `latent anomalies`: scores test images, flags those above the threshold, writes the scores and pictures.
 * @example await main(['anomalies', '--checkpoint', 'runs/ae', '--holdout', '9', '--quantile', '0.95'], io)
 */
export const anomaliesCommand: Command = {
  summary: 'score test images by reconstruction error; threshold from training scores; report, histogram and ROC',
  example: 'latent anomalies --checkpoint runs/ae --holdout 9 --quantile 0.95 --output runs/ae/anomalies',
  options: {
    ...CHECKPOINT_OPTION,
    ...CHECKPOINT_DATA_OPTIONS,
    quantile: { type: 'string', help: 'threshold: this quantile of the training scores (default 0.99)' },
    contamination: { type: 'string', help: 'threshold: flag this fraction of the training images instead' },
    output: { type: 'string', help: 'folder for scores.csv and the pictures (default: the run folder)', short: 'o' },
    quiet: OUTPUT_OPTIONS.quiet,
    json: OUTPUT_OPTIONS.json,
  },
  run(v, io, given) {
    const mode = progressMode(v, io.stdout)
    if (v.quantile !== undefined && v.contamination !== undefined) {
      throw new CliError('give --quantile or --contamination, not both')
    }
    const quantile = num(v, 'quantile')
    const contamination = num(v, 'contamination')
    for (const [name, value] of [['quantile', quantile], ['contamination', contamination]] as const) {
      if (value !== undefined && !(value > 0 && value < 1)) {
        throw new CliError(`--${name} must be in (0, 1), got ${value}`)
      }
    }
    const { path, meta, model, splits } = openRun(v, given)
    const seen = seenInTraining(meta.config.data, v, given, splits)
    if (seen !== undefined && mode !== 'quiet') {
      io.stderr.write(`latent anomalies: warning: the model was trained on ${splits.train.name} with class ${seen} ` +
        `in it, the class scored as anomalous here; train with --holdout ${seen} to measure detection\n`)
    }
    const threshold = contamination !== undefined ? { contamination } : { quantile: quantile ?? 0.99 }
    const detector = new AnomalyDetector(model).fit(splits.train.x, threshold)
    const t = detector.threshold!
    const scores = detector.scores(splits.test.x)
    const labels = splits.anomalyLabels
    const stats: Record<string, number> = {
      threshold: t,
      flagged: scores.filter((s) => s > t).length,
      tested: scores.length,
    }
    if (labels) Object.assign(stats, detector.report(splits.test.x, labels))
    const { variant, sizes } = meta.config.spec
    const pictures = anomalyPictures(scores, t, labels, `${variant} ${sizes.join('-')}`)
    const rows = Array.from(scores, (s, i) => `${s.toPrecision(6)},${s > t ? 1 : 0},${splits.test.labels[i]}`)
    const csv = ['score,flagged,label', ...rows].join('\n') + '\n'
    const dir = (v.output as string | undefined) ?? (path.endsWith('.safetensors') ? '.' : path)
    writeAll(dir, { 'scores.csv': csv, ...pictures })
    if (mode === 'json') io.stdout.write(JSON.stringify(stats) + '\n')
    else if (mode !== 'quiet') {
      const table = Object.entries(stats).map(([k, x]) => [k, Number.isInteger(x) ? String(x) : x.toPrecision(4)])
      io.stdout.write(textTable([['measure', 'value'], ...table]))
    }
    return 0
  },
}

/** `latent eval`: the measures of a trained model on its test set. */
import { measureModel } from '../experiment/index.js'
import {
  applyThreads, CHECKPOINT_DATA_OPTIONS, CHECKPOINT_OPTION, type Command, OUTPUT_OPTIONS, progressMode,
} from '../parser.js'
import { fmt, textTable } from '../report.js'
import { openRun } from './shared.js'

/**
 * `latent eval`: test MSE, kNN and linear-probe accuracy of the codes, and anomaly AUROC.
 * @example await main(['eval', '--checkpoint', 'runs/dae', '--holdout', '9'], io)
 */
export const evalCommand: Command = {
  summary: 'measure a trained model: test loss parts, test MSE, kNN accuracy, anomaly AUROC',
  example: 'latent eval --checkpoint runs/dae --holdout 9',
  options: {
    ...CHECKPOINT_OPTION,
    ...CHECKPOINT_DATA_OPTIONS,
    ...OUTPUT_OPTIONS,
    probe: { type: 'boolean', help: 'also the linear-probe accuracy of the codes' },
  },
  run(v, io, given) {
    const mode = progressMode(v, io.stdout)
    applyThreads(v, io.stderr)
    const { meta, model, splits } = openRun(v, given)
    const m = measureModel(model, splits, { probe: Boolean(v.probe) })
    if (mode === 'json') io.stdout.write(JSON.stringify({ epoch: meta.epoch, ...m }) + '\n')
    else if (mode !== 'quiet') {
      const { variant, sizes } = meta.config.spec
      io.stdout.write(`${variant} ${sizes.join('-')}, epoch ${meta.epoch}, on ${splits.test.name}\n`)
      io.stdout.write(textTable([
        ['measure', 'value'],
        ['test MSE', fmt(m.testMse)],
        ['5-NN accuracy', fmt(m.knn, 3)],
        ['linear probe accuracy', fmt(m.probe, 3)],
        ['anomaly AUROC', fmt(m.auroc, 3)],
      ]))
    }
    return 0
  },
}

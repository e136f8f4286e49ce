/** `latent compare-pca`: a trained model against PCA with as many components as its code. */
import { barChart } from '../../plots/svg.js'
import { measureModel, measurePca, writeFile } from '../experiment/index.js'
import { CHECKPOINT_DATA_OPTIONS, CHECKPOINT_OPTION, type Command, OUTPUT_OPTIONS, progressMode } from '../parser.js'
import { fmt, textTable } from '../report.js'
import { openRun } from './shared.js'

/**
 * `latent compare-pca`: test MSE and kNN accuracy of the model and of PCA, and a bar chart.
 * @example await main(['compare-pca', '--checkpoint', 'runs/ae', '--output', 'ae-vs-pca.svg'], io)
 */
export const comparePcaCommand: Command = {
  summary: 'the model against PCA with as many components as the code: test MSE and kNN accuracy, and a bar chart',
  example: 'latent compare-pca --checkpoint runs/ae --output ae-vs-pca.svg',
  options: {
    ...CHECKPOINT_OPTION,
    ...CHECKPOINT_DATA_OPTIONS,
    output: { type: 'string', help: 'SVG bar chart to write', short: 'o' },
    quiet: OUTPUT_OPTIONS.quiet,
    json: OUTPUT_OPTIONS.json,
  },
  run(v, io, given) {
    const mode = progressMode(v, io.stdout)
    const { meta, model, splits } = openRun(v, given)
    const k = model.codeSize(splits.train.x.shape[1])
    const a = measureModel(model, splits)
    const p = measurePca(k, splits)
    const name = `${meta.config.spec.variant} AE`
    if (v.output) {
      const series = [
        { name, values: [a.testMse, 1 - (a.knn ?? NaN)] },
        { name: `PCA ${k}`, values: [p.testMse, 1 - (p.knn ?? NaN)] },
      ]
      const title = `autoencoder against PCA (${k} dimensions), lower is better`
      writeFile(v.output as string, barChart(['test MSE', '1 - kNN accuracy'], series, { title, yLabel: 'error' }))
    }
    if (mode === 'json') io.stdout.write(JSON.stringify({ autoencoder: a, pca: p, components: k }) + '\n')
    else if (mode !== 'quiet') {
      io.stdout.write(textTable([
        ['model', 'test MSE', '5-NN accuracy'],
        [name, fmt(a.testMse), fmt(a.knn, 3)],
        [`PCA ${k}`, fmt(p.testMse), fmt(p.knn, 3)],
      ]))
    }
    return 0
  },
}

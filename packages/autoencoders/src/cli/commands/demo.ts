/** `latent demo`: the command line of the main job, which ../demo.ts does. */
import { runDemo } from '../demo.js'
import { applyThreads, type Command, DATA_OPTIONS, dataOptions, int, OUTPUT_OPTIONS, progressMode } from '../parser.js'

/**
 * `latent demo`: five autoencoders against PCA on one data set, class 9 held out unless told otherwise.
 * @example await main(['demo', '--out', 'report'], io)
 */
export const demoCommand: Command = {
  summary:
    'train a vanilla, denoising, sparse, contractive and variational autoencoder; compare with PCA; write the report',
  example: 'latent demo --out report',
  options: {
    out: { type: 'string', default: 'report', help: 'report folder', short: 'o' },
    epochs: { type: 'string', help: 'epochs per model (default: 40 on digits, 5 on Fashion-MNIST or MNIST)' },
    ...DATA_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  run(v, io) {
    const mode = progressMode(v, io.stdout)
    applyThreads(v, io.stderr)
    const data = dataOptions(v)
    const epochs = int(v, 'epochs')
    return runDemo({ out: v.out as string, data: { ...data, holdout: data.holdout ?? 9 }, epochs, mode, io })
  },
}

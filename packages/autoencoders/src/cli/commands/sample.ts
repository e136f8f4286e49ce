/** `latent sample`: new images from a variational autoencoder's prior, and an interpolation strip. */
import * as T from '@latent/tensor'
import { imageGrid } from '../../plots/svg.js'
import { VariationalAutoencoder } from '../../variants/variational.js'
import { writeFile } from '../experiment/index.js'
import {
  CHECKPOINT_DATA_OPTIONS, CHECKPOINT_OPTION, CliError, type Command, int, OUTPUT_OPTIONS, pictureCount, required,
} from '../parser.js'
import { openRun } from './shared.js'

/**
 * `latent sample`: draws new images from a variational autoencoder, and an interpolation strip (SVG).
 * @example await main(['sample', '--checkpoint', 'runs/vae', '--n', '16', '--output', 'samples.svg'], io)
 */
export const sampleCommand: Command = {
  summary: 'draw new images from a variational autoencoder, and an interpolation strip (SVG)',
  example: 'latent sample --checkpoint runs/vae --n 16 --output samples.svg',
  options: {
    ...CHECKPOINT_OPTION,
    ...CHECKPOINT_DATA_OPTIONS,
    n: { type: 'string', default: '16', help: 'how many samples' },
    seed: { type: 'string', help: 'seed of the samples (default: the model\'s generator)' },
    output: { type: 'string', help: 'SVG file to write', short: 'o' },
    quiet: OUTPUT_OPTIONS.quiet,
  },
  run(v, io, given) {
    const output = required(v, 'output')
    const n = pictureCount(v, 16)
    const { meta, model, splits } = openRun(v, given)
    if (!(model instanceof VariationalAutoencoder)) {
      const variant = meta.config.spec.variant
      throw new CliError(`sample needs a variational autoencoder; this checkpoint holds a ${variant} one`)
    }
    const seed = int(v, 'seed')
    if (seed !== undefined) model.generators().epsilon.setState(new T.Rng(seed).getState())
    const samples = model.sample(n)
    const strip = model.interpolate(T.slice(splits.test.x, 0, 0, 1), T.slice(splits.test.x, 0, 1, 2), 10)
    const rows = [{ label: 'samples', images: samples }, { label: 'interpolation', images: strip }]
    const title = 'samples from the prior; below, the line between two test images'
    writeFile(output, imageGrid(rows, splits.test.image, { title }))
    if (!v.quiet) io.stdout.write(`${output}: ${n} samples and an interpolation of 10 steps\n`)
    return 0
  },
}

/** `latent reconstruct`: test images above their reconstructions, as one SVG. */
import * as T from '@latent/tensor'
import { imageGrid } from '../../plots/svg.js'
import { mse, writeFile } from '../experiment/index.js'
import {
  CHECKPOINT_DATA_OPTIONS, CHECKPOINT_OPTION, type Command, OUTPUT_OPTIONS, pictureCount, required,
} from '../parser.js'
import { openRun } from './shared.js'

/**
 * `latent reconstruct`: draws test images above their reconstructions (SVG).
 * @example await main(['reconstruct', '--checkpoint', 'runs/dae', '--n', '10', '--output', 'recon.svg'], io)
 */
export const reconstructCommand: Command = {
  summary: 'draw test images above their reconstructions (SVG)',
  example: 'latent reconstruct --checkpoint runs/dae --n 10 --output recon.svg',
  options: {
    ...CHECKPOINT_OPTION,
    ...CHECKPOINT_DATA_OPTIONS,
    n: { type: 'string', default: '10', help: 'how many images' },
    output: { type: 'string', help: 'SVG file to write', short: 'o' },
    quiet: OUTPUT_OPTIONS.quiet,
  },
  run(v, io, given) {
    const output = required(v, 'output')
    const n = pictureCount(v, 10)
    const { model, splits } = openRun(v, given)
    const x = T.slice(splits.test.x, 0, 0, Math.min(n, splits.test.x.shape[0]))
    const xhat = model.reconstruct(x)
    const title = `reconstructions (test MSE of these ${x.shape[0]}: ${mse(xhat, x).toFixed(4)})`
    const rows = [{ label: 'original', images: x }, { label: 'reconstruction', images: xhat }]
    writeFile(output, imageGrid(rows, splits.test.image, { title }))
    if (!v.quiet) io.stdout.write(`${output}: ${x.shape[0]} images and their reconstructions\n`)
    return 0
  },
}

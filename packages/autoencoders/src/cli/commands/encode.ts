/** `latent encode`: the codes of a data split, one CSV row per image, with its label. */
import { writeFile } from '../experiment/index.js'
import { CHECKPOINT_DATA_OPTIONS, CHECKPOINT_OPTION, type Command, oneOf, OUTPUT_OPTIONS, required } from '../parser.js'
import { openRun } from './shared.js'

/**
 * `latent encode`: writes the codes (embeddings) of a data split to CSV, with the labels.
 * @example await main(['encode', '--checkpoint', 'runs/dae', '--split', 'test', '--output', 'codes.csv'], io)
 */
export const encodeCommand: Command = {
  summary: 'write the codes (embeddings) of a data split to CSV, with the labels',
  example: 'latent encode --checkpoint runs/dae --split test --output codes.csv',
  options: {
    ...CHECKPOINT_OPTION,
    ...CHECKPOINT_DATA_OPTIONS,
    split: { type: 'string', default: 'test', help: 'train or test' },
    output: { type: 'string', help: 'CSV file to write', short: 'o' },
    quiet: OUTPUT_OPTIONS.quiet,
  },
  run(v, io, given) {
    const output = required(v, 'output')
    const { model, splits } = openRun(v, given)
    const d = splits[oneOf(v, 'split', ['train', 'test'] as const, 'test')]
    const codes = model.encode(d.x)
    const [n, k] = codes.shape
    const lines = [[...Array.from({ length: k }, (_, j) => `z${j}`), 'label'].join(',')]
    for (let i = 0; i < n; i++) {
      const row = Array.from(codes.data.subarray(i * k, (i + 1) * k), (c) => String(Number(c.toPrecision(7))))
      lines.push([...row, String(d.labels[i])].join(','))
    }
    writeFile(output, lines.join('\n') + '\n')
    if (!v.quiet) io.stdout.write(`${n} codes of size ${k} written to ${output}\n`)
    return 0
  },
}

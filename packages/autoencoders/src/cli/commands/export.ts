/**
 * `latent export`: a trained model in a format other programs read: ONNX (the encoder, the
 * decoder or the whole autoencoder, see ../../onnx/export.ts), or safetensors holding the weights
 * alone (the checkpoint without its optimizer state and metadata), by the names PyTorch would use.
 */
import { encodeSafetensors } from '@latent/nn'
import { loadModel } from '../../node/model.js'
import { autoencoderToOnnx, type OnnxPart } from '../../onnx/export.js'
import { writeFile } from '../experiment/index.js'
import { CHECKPOINT_OPTION, CliError, type Command, oneOf, OUTPUT_OPTIONS, required } from '../parser.js'

const PARTS: readonly OnnxPart[] = ['encoder', 'decoder', 'model']

/**
 * `latent export`: writes a checkpoint's model as ONNX, or its weights as safetensors.
 * @example await main(['export', '--checkpoint', 'runs/dae', '--part', 'encoder', '--output', 'encoder.onnx'], io)
 */
export const exportCommand: Command = {
  summary: 'write a trained model as ONNX (encoder, decoder or whole model), or its weights as safetensors',
  example: 'latent export --checkpoint runs/dae --format onnx --part encoder --output encoder.onnx',
  options: {
    ...CHECKPOINT_OPTION,
    format: { type: 'string', default: 'onnx', help: 'onnx, or safetensors (the weights alone)' },
    part: { type: 'string', default: 'model', help: 'onnx: encoder (x → code), decoder (code → x̂) or model (x → x̂)' },
    output: { type: 'string', help: 'the file to write', short: 'o' },
    quiet: OUTPUT_OPTIONS.quiet,
  },
  run(v, io, given) {
    const output = required(v, 'output')
    const format = oneOf(v, 'format', ['onnx', 'safetensors'] as const, 'onnx')
    const part = oneOf(v, 'part', PARTS, 'model')
    if (format === 'safetensors' && given.has('part') && part !== 'model') {
      throw new CliError('--part applies to --format onnx: safetensors holds every weight of the model')
    }
    const { model, spec } = loadModel(required(v, 'checkpoint'))
    const inputSize = part === 'decoder' ? spec.sizes.at(-1) : spec.sizes[0]
    const bytes = format === 'onnx' ? autoencoderToOnnx(model, part, { inputSize })
      : encodeSafetensors(model.stateDict())
    writeFile(output, bytes)
    if (!v.quiet) {
      const what = format === 'onnx' ? `the ${part === 'model' ? 'whole model' : part} as ONNX` : 'the weights'
      io.stdout.write(`${what} written to ${output} (${bytes.length.toLocaleString('en-US')} bytes)\n`)
    }
    return 0
  },
}

/** `latent info`: what the compute backend offers on this machine, as training would get it. */
import { getBackendInfo } from '@latent/tensor'
import { applyThreads, type Command, OUTPUT_OPTIONS } from '../parser.js'
import { textTable } from '../report.js'

/**
 * `latent info`: the compute backend: WASM SIMD, relaxed SIMD, threads, kernel.
 * @example await main(['info', '--json'], io)
 */
export const infoCommand: Command = {
  summary: 'the compute backend: WASM SIMD, relaxed SIMD, threads, kernel',
  example: 'latent info',
  options: { json: OUTPUT_OPTIONS.json, threads: OUTPUT_OPTIONS.threads },
  async run(v, io) {
    applyThreads(v, io.stderr)
    // Workers start in the background: give them up to 5 s, so that readyWorkers (and a
    // threadError, if they fail) says what training would get.
    const starting = (): boolean => getBackendInfo().readyWorkers < getBackendInfo().threads - 1
    for (let waited = 0; waited < 5000 && starting() && !getBackendInfo().threadError; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const info = getBackendInfo()
    if (v.json) io.stdout.write(JSON.stringify({ node: process.version, ...info }) + '\n')
    else {
      const rows = Object.entries(info).map(([k, x]) => [k, String(x)])
      io.stdout.write(textTable([['property', 'value'], ['node', process.version], ...rows]))
    }
    return 0
  },
}

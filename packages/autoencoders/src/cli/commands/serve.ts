/**
 * `latent serve`: a page that trains an autoencoder in the browser, in a Web Worker, and shows it
 * learn (../web-server.ts serves it; the page is packages/autoencoders/web/). Runs until Ctrl-C.
 */
import { existsSync, statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { type DataOptions, loadSplits } from '../experiment/index.js'
import { CliError, type Command, DATA_OPTIONS, dataOptions, int } from '../parser.js'
import { checkBuilt, startWebServer } from '../web-server.js'

/**
 * The data options the page's data come from. A folder holds MNIST's four IDX files: Fashion-MNIST's
 * (with its class names) if its name says so, else digits.
 */
function source(values: Record<string, unknown>): DataOptions {
  const options = dataOptions(values)
  const named = ['digits', 'fashion-mnist', 'mnist'].includes(options.data)
  if (named || !(existsSync(options.data) && statSync(options.data).isDirectory())) return options
  const data = /fashion/i.test(basename(resolve(options.data))) ? 'fashion-mnist' : 'mnist'
  return { ...options, data, dataDir: options.data }
}

/**
 * `latent serve`: serves the training page on 127.0.0.1 until Ctrl-C.
 * @example await main(['serve', '--port', '8080'], io)
 */
export const serveCommand: Command = {
  summary: 'a page that trains an autoencoder in your browser and shows it learn (until Ctrl-C)',
  example: 'latent serve --port 8080    (then open http://127.0.0.1:8080/)',
  options: {
    port: { type: 'string', default: '8080', help: 'port to listen on (0: any free one)', short: 'p' },
    host: {
      type: 'string', default: '127.0.0.1',
      // Browsers isolate (shared memory, threads) only pages from https or from this machine.
      help: 'address to listen on; 0.0.0.0 opens the page to the network (other machines: one thread without https)',
    },
    // The page chooses the held-out class.
    ...Object.fromEntries(Object.entries(DATA_OPTIONS).filter(([name]) => name !== 'holdout')),
    data: {
      type: 'string', default: 'digits',
      help: 'digits (embedded), fashion-mnist, mnist, a folder with the four IDX files, or a .csv file',
    },
  },
  async run(v, io) {
    const port = int(v, 'port')!
    if (port < 0 || port > 65535) throw new CliError(`--port must be from 0 to 65535, got ${port}`)
    checkBuilt()
    const data = source(v)
    const splits = loadSplits(data)
    const web = await startWebServer({ splits, source: data, port, host: v.host as string })
    const rows = `${splits.train.x.shape[0]} training and ${splits.test.x.shape[0]} test images`
    io.stdout.write(`latent serve: ${web.url}  (${splits.train.name}: ${rows}; Ctrl-C stops)\n`)
    io.signal.notice = 'stopping the server'
    while (!io.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 100))
    await web.close()
    return 0
  },
}

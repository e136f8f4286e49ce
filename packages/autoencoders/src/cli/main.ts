/**
 * The `latent` command line: the table of commands, and `main`, which picks one and runs it.
 * Each command declares its options once (./parser.ts reads them and writes the help); errors
 * are one line on stderr and a non-zero exit code, never a stack trace (set LATENT_DEBUG=1 to
 * see one), and no output file is written before everything it needs has been computed.
 */
import { anomaliesCommand } from './commands/anomalies.js'
import { comparePcaCommand } from './commands/compare-pca.js'
import { demoCommand } from './commands/demo.js'
import { embedCommand } from './commands/embed.js'
import { encodeCommand } from './commands/encode.js'
import { evalCommand } from './commands/eval.js'
import { exportCommand } from './commands/export.js'
import { infoCommand } from './commands/info.js'
import { reconstructCommand } from './commands/reconstruct.js'
import { sampleCommand } from './commands/sample.js'
import { serveCommand } from './commands/serve.js'
import { trainCommand } from './commands/train.js'
import { UsageError } from './experiment/index.js'
import { CliError, type Command, help, type Io, parseOptions, usage } from './parser.js'

export { CliError, type Io } from './parser.js'

const COMMANDS: Record<string, Command> = {
  train: trainCommand,
  eval: evalCommand,
  encode: encodeCommand,
  embed: embedCommand,
  reconstruct: reconstructCommand,
  anomalies: anomaliesCommand,
  sample: sampleCommand,
  export: exportCommand,
  'compare-pca': comparePcaCommand,
  info: infoCommand,
  demo: demoCommand,
  serve: serveCommand,
}

/**
 * Runs the command line with `argv` (without node and the script); returns the exit code.
 * @example
 * const io = { stdout: process.stdout, stderr: process.stderr, signal: { aborted: false } }
 * process.exitCode = await main(['info'], io)
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage(COMMANDS))
    return name === undefined ? 2 : 0
  }
  const command = COMMANDS[name]
  try {
    if (!command) {
      const names = Object.keys(COMMANDS).join(', ')
      throw new CliError(`unknown command '${name}' (expected ${names}; see latent --help)`)
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(help(name, command))
      return 0
    }
    const { values, given } = parseOptions(command, rest)
    return await command.run(values, io, given)
  } catch (e) {
    if (process.env.LATENT_DEBUG) io.stderr.write(`${(e as Error).stack}\n`)
    io.stderr.write(`${command ? `latent ${name}` : 'latent'}: ${(e as Error).message.split('\n')[0]}\n`)
    return e instanceof UsageError ? 2 : 1
  }
}

/**
 * The option table and how it is read. Each command declares its options once (name, type,
 * default, help); the parser, the help text and the checks come from that table. Here too: the
 * option groups several commands share, the flags made from the library's option tables (so
 * their defaults and checks are the library's), and the helpers that read values, each failing
 * with a one-line CliError.
 */
import { parseArgs } from 'node:util'
import { allowed, checkOption, type OptionSpec as TableOption, type OptionTable } from '@latent/nn'
import { getDefaultThreads, setNumThreads } from '@latent/tensor'
import { type DataOptions, UsageError } from './experiment/index.js'
import { type Output, type ProgressMode } from './progress.js'

/**
 * A usage or input error: printed as one line, exit code 2 (1 for failures while running).
 * @example throw new CliError('--n must be at least 1, got 0')
 */
export class CliError extends UsageError {}

type OptionType = 'string' | 'boolean'

/** One option: its type, its help line, its default (as typed) and its one-letter form. */
export interface OptionSpec { type: OptionType; help: string; default?: string; short?: string }

/** The options of a command line by name, defaults filled in. */
export type Values = Record<string, string | boolean | undefined>

/** A command: its summary and example for the help, its option table, and what it does. */
export interface Command {
  summary: string
  example: string
  options: Record<string, OptionSpec>
  /** `given` holds the options typed on the command line (the rest are defaults). */
  run(values: Values, io: Io, given: Set<string>): number | Promise<number>
}

export interface Io {
  stdout: Output
  stderr: Output
  /**
   * Set by the SIGINT handler: training stops after the current batch. A command that does not
   * train sets `notice` to what the handler prints instead.
   */
  signal: { aborted: boolean; notice?: string }
}

// ---- the option groups several commands share

/**
 * The data options: which data set, where, how much of it, and the held-out class.
 * @example const options = { ...DATA_OPTIONS, ...OUTPUT_OPTIONS }
 */
export const DATA_OPTIONS: Record<string, OptionSpec> = {
  data: { type: 'string', default: 'digits', help: 'digits (embedded), fashion-mnist, mnist, or a .csv file' },
  'data-dir': { type: 'string', help: 'folder with the IDX files (fashion-mnist: Debian\'s by default)' },
  limit: { type: 'string', help: 'use only this many training images' },
  holdout: {
    type: 'string',
    help: 'leave this class (its number, or its name) out of training; it becomes the anomaly class of the test set',
  },
  label: { type: 'string', help: 'CSV: the label column, by name or index' },
  delimiter: { type: 'string', help: 'CSV: the character between cells (default ,; \\t for a tab)' },
}

/**
 * What a command prints, and the threads it computes with.
 * @example const options = { quiet: OUTPUT_OPTIONS.quiet, json: OUTPUT_OPTIONS.json }
 */
export const OUTPUT_OPTIONS: Record<string, OptionSpec> = {
  quiet: { type: 'boolean', help: 'print nothing but errors' },
  json: { type: 'boolean', help: 'print JSON lines for machines' },
  threads: { type: 'string', help: `threads for matrix products (default ${getDefaultThreads()})` },
}

/**
 * For commands on a checkpoint: the data default to the checkpoint's own.
 * @example const options = { ...CHECKPOINT_OPTION, ...CHECKPOINT_DATA_OPTIONS }
 */
export const CHECKPOINT_DATA_OPTIONS: Record<string, OptionSpec> = {
  ...DATA_OPTIONS,
  data: { type: 'string', help: "digits, fashion-mnist, mnist or a .csv file (default: the checkpoint's data)" },
}

/**
 * --checkpoint, for the commands that use a trained model.
 * @example const options = { ...CHECKPOINT_OPTION, ...CHECKPOINT_DATA_OPTIONS }
 */
export const CHECKPOINT_OPTION: Record<string, OptionSpec> = {
  checkpoint: { type: 'string', help: 'a run folder (or its checkpoint.safetensors)', short: 'c' },
}

// ---- option values

/**
 * The option `name` as a number (`fallback` when it is not given).
 * @example const lr = num(values, 'lr', 1e-3)!
 */
export function num(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const v = values[name]
  if (v === undefined) return fallback
  const n = Number(v)
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) {
    throw new CliError(`--${name}: '${String(v)}' is not a number`)
  }
  return n
}

/**
 * The option `name` as an integer (`fallback` when it is not given).
 * @example const epochs = int(values, 'epochs', 20)!
 */
export function int(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const n = num(values, name, fallback)
  if (n !== undefined && !Number.isInteger(n)) throw new CliError(`--${name}: expected an integer, got ${n}`)
  return n
}

/** The most images one picture row holds (--n of sample and reconstruct): 256 is already 18,000 pixels wide. */
export const MAX_PICTURE_IMAGES = 256

/**
 * --n of a picture: how many images, from 1 to MAX_PICTURE_IMAGES.
 * @example const n = pictureCount(values, 16)
 */
export function pictureCount(values: Record<string, unknown>, fallback: number): number {
  const n = int(values, 'n', fallback)!
  if (n < 1 || n > MAX_PICTURE_IMAGES) {
    throw new CliError(`--n must be from 1 to ${MAX_PICTURE_IMAGES} (the images of one picture row), got ${n}`)
  }
  return n
}

/**
 * The option `name`, one of `allowed` (`fallback` when it is not given).
 * @example const split = oneOf(values, 'split', ['train', 'test'] as const, 'test')
 */
export function oneOf<T extends string>(
  values: Record<string, unknown>,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = (values[name] as string | undefined) ?? fallback
  if (!allowed.includes(v as T)) throw new CliError(`--${name}: unknown value '${v}' (expected ${allowed.join(', ')})`)
  return v as T
}

/**
 * The option `name`, which must be given and not empty.
 * @example const output = required(values, 'output')
 */
export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name]
  if (typeof v !== 'string' || v === '') throw new CliError(`--${name} is required`)
  return v
}

/**
 * A camelCase option name as a flag: batchSize → batch-size.
 * @example flagName('outputActivation') // 'output-activation'
 */
export function flagName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

/**
 * Options of a table (@latent/nn's option tables: the library's own defaults and ranges) as
 * command-line options, by flag name, with the default and the allowed values in the help.
 * @example const options = { ...tableFlags(MODEL_OPTIONS), ...OUTPUT_OPTIONS }
 */
export function tableFlags(
  table: OptionTable,
  names: readonly string[] = Object.keys(table),
): Record<string, OptionSpec> {
  return Object.fromEntries(names.map((name) => {
    const o = table[name]
    const help = o.type === 'choice'
      ? `${o.help}: ${o.values.join(', ')}`
      : o.type === 'number' ? `${o.help} (${allowed(o)})` : o.help
    const spec: OptionSpec = o.type === 'boolean' ? { type: 'boolean', help } : { type: 'string', help }
    if (o.type !== 'boolean' && o.default !== undefined) spec.default = String(o.default)
    return [flagName(name), spec]
  }))
}

/**
 * The value of a table's option from the command line (`fallback` when not typed: the table's
 * default), parsed and checked by the table; a bad value is a usage error naming the flag.
 * @example const epochs = readFlag(values, 'epochs', RUN_OPTIONS.epochs) as number
 */
export function readFlag(values: Values, name: string, spec: TableOption): number | boolean | string | undefined {
  const flag = flagName(name)
  const raw = values[flag]
  if (raw === undefined) return spec.default
  const value = spec.type === 'number' ? num(values, flag) : spec.type === 'boolean' ? Boolean(raw) : raw
  try {
    checkOption('', name, spec, value)
  } catch {
    throw new CliError(`--${flag} must be ${allowed(spec)}, got ${String(raw)}`)
  }
  return value
}

/**
 * A value in a short form (--noise masking:0.3, --sparsity kl:0.05:0.5) by its parser; a bad one
 * is a usage error naming the flag.
 * @example const noise = readParsed(values, 'noise', parseNoise)
 */
export function readParsed<T>(values: Values, flag: string, parse: (s: string) => T): T {
  try {
    return parse(String(values[flag]))
  } catch (e) {
    throw new CliError(`--${flag}: ${(e as Error).message.replace(/^\w+: /, '')}`)
  }
}

/**
 * The data options of the command line.
 * @example const splits = loadSplits(dataOptions(values))
 */
export function dataOptions(values: Record<string, unknown>): DataOptions {
  return {
    data: (values.data as string) ?? 'digits',
    dataDir: values['data-dir'] as string | undefined,
    limit: int(values, 'limit'),
    holdout: holdout(values),
    label: values.label as string | undefined,
    ...(values.delimiter === undefined ? {} : { delimiter: (values.delimiter as string).replace(/^\\t$/, '\t') }),
  }
}

/**
 * --holdout: a class number, or a class name (checked against the data's classes once it is loaded).
 * @example holdout({ holdout: '9' }) // 9
 */
export function holdout(values: Record<string, unknown>): number | string | undefined {
  const v = values.holdout as string | undefined
  return v === undefined || /^\s*-?\d+(\.\d*)?\s*$/.test(v) ? int(values, 'holdout') : v
}

/**
 * How to show progress: --quiet, --json, or a bar on a terminal and lines elsewhere.
 * @example const progress = new Progress(progressMode(values, io.stdout), io.stdout)
 */
export function progressMode(values: Record<string, unknown>, out: Output): ProgressMode {
  if (values.quiet && values.json) throw new CliError('--quiet and --json cannot be used together')
  return values.quiet ? 'quiet' : values.json ? 'json' : out.isTTY ? 'bar' : 'lines'
}

/**
 * --threads: the threads for matrix products, when given; more than the cores are capped, with a
 * warning on `stderr`.
 * @example applyThreads({ threads: '4' }, io.stderr)
 */
export function applyThreads(values: Record<string, unknown>, stderr: Output): void {
  const t = int(values, 'threads')
  if (t === undefined) return
  if (t < 1) throw new CliError(`--threads must be at least 1, got ${t}`)
  const used = setNumThreads(t)
  if (used < t) stderr.write(`latent: --threads ${t} is more than the ${used} cores here; using ${used}\n`)
}

// ---- parsing and help

/**
 * node:util's parse errors in the CLI's words, on one line. A value that starts with '-' (as in
 * `--epochs -1`) is read by parseArgs as a missing value: say how to write it.
 */
function parseError(message: string): string {
  const ambiguous = /argument is ambiguous[\s\S]*use '(--[\w-]+)=/.exec(message)
  if (ambiguous) return `${ambiguous[1]} needs a value; for a value that starts with '-', write ${ambiguous[1]}=VALUE`
  return message.split('\n')[0].replace(/\. To specify.*$/, '').replace(/^Unknown option/, 'unknown option')
}

/**
 * Reads a command's arguments against its option table: the values, defaults filled in, and the
 * names of the options typed (the commands on a checkpoint tell its data from data given).
 * @example const { values, given } = parseOptions(command, ['--epochs', '5'])
 */
export function parseOptions(command: Command, args: string[]): { values: Values; given: Set<string> } {
  let values: Values
  try {
    const options = Object.fromEntries(
      Object.entries(command.options).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
    )
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values as Values
  } catch (e) {
    throw new CliError(parseError((e as Error).message))
  }
  const given = new Set(Object.keys(values))
  for (const [k, o] of Object.entries(command.options)) {
    if (values[k] === undefined && o.default !== undefined) values[k] = o.default
  }
  return { values, given }
}

/**
 * The text of `latent --help`: the commands and their summaries.
 * @example io.stdout.write(usage(COMMANDS))
 */
export function usage(commands: Record<string, Command>): string {
  const names = Object.keys(commands)
  const w = Math.max(...names.map((n) => n.length))
  return [
    'latent: autoencoders from scratch',
    '',
    'usage: latent <command> [options]   (latent <command> --help for its options)',
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(w)}  ${commands[n].summary}`),
    '',
    'example: latent demo    (trains five autoencoders on the embedded digits and writes report/index.html)',
    '',
  ].join('\n')
}

/**
 * The text of `latent <command> --help`: its options, with their defaults, and its example.
 * @example io.stdout.write(help('train', COMMANDS.train))
 */
export function help(name: string, c: Command): string {
  const rows = Object.entries(c.options).map(([k, o]) => [
    `${o.short ? `-${o.short}, ` : '    '}--${k}${o.type === 'string' ? ' VALUE' : ''}`,
    `${o.help}${o.default !== undefined ? ` (default ${o.default})` : ''}`,
  ])
  const w = Math.max(...rows.map((r) => r[0].length))
  return [
    `latent ${name}: ${c.summary}`,
    '',
    'options:',
    ...rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`),
    `  ${'    --help'.padEnd(w)}  this text`,
    '',
    'example:',
    `  ${c.example}`,
    '',
  ].join('\n')
}

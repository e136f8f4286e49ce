/**
 * Options described once: each has a default, the values it allows and a line of help. A
 * constructor resolves what it is given against its table, so unknown names and values out of
 * range are refused in one place, with the owner and the option named; the command line builds
 * its flags, its help and its checks from the same tables.
 */

export type OptionSpec =
  | {
    type: 'number'
    default?: number
    /** Allowed range: min and max inclusive, above and below exclusive. */
    min?: number
    max?: number
    above?: number
    below?: number
    integer?: boolean
    help: string
  }
  | { type: 'boolean'; default?: boolean; help: string }
  | { type: 'choice'; values: readonly string[]; default?: string; help: string }

export type OptionTable = Record<string, OptionSpec>

type ValueOf<S> = S extends { type: 'number' } ? number
  : S extends { type: 'boolean' } ? boolean
  : S extends { type: 'choice'; values: readonly (infer V)[] } ? V
  : never

/** The values of a table, every option filled in. */
export type Resolved<T extends OptionTable> = { -readonly [K in keyof T]: ValueOf<T[K]> }
/** A table with the same options and kinds as T, other defaults and ranges allowed (AdamW's is Adam's). */
export type Like<T extends OptionTable> = { [K in keyof T]: Extract<OptionSpec, { type: T[K]['type'] }> }
/** What a caller may pass: any option, by name. */
export type Given<T extends OptionTable> = { [K in keyof T]?: ValueOf<T[K]> }

/**
 * The allowed values in words, e.g. '>= 0', 'in (0, 1)', 'an integer >= 1', or the choices.
 * @example allowed({ type: 'number', above: 0, below: 1, help: '' }) // 'in (0, 1)'
 */
export function allowed(spec: OptionSpec): string {
  if (spec.type === 'boolean') return 'true or false'
  if (spec.type === 'choice') return spec.values.join(', ')
  const low = spec.min !== undefined ? `[${spec.min}` : spec.above !== undefined ? `(${spec.above}` : undefined
  const high = spec.max !== undefined ? `${spec.max}]` : spec.below !== undefined ? `${spec.below})` : undefined
  const kind = spec.integer ? 'an integer ' : ''
  if (low && high) return `${kind}in ${low}, ${high}`
  if (low) return `${kind}${low[0] === '[' ? '>=' : '>'} ${low.slice(1)}`
  if (high) return `${kind}${high.endsWith(']') ? '<=' : '<'} ${high.slice(0, -1)}`
  return spec.integer ? 'an integer' : 'a number'
}

/** Whether `value` is allowed by `spec`. */
function fits(spec: OptionSpec, value: unknown): boolean {
  if (spec.type === 'boolean') return typeof value === 'boolean'
  if (spec.type === 'choice') return typeof value === 'string' && spec.values.includes(value)
  if (typeof value !== 'number' || Number.isNaN(value)) return false
  if (spec.integer && !Number.isInteger(value)) return false
  return !((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)
    || (spec.above !== undefined && value <= spec.above) || (spec.below !== undefined && value >= spec.below))
}

/**
 * Throws a RangeError naming the owner and the option unless `value` is allowed.
 * @example checkOption('Adam', 'lr', ADAM_OPTIONS.lr, -1) // throws 'Adam: lr must be >= 0, got -1'
 */
export function checkOption(owner: string, name: string, spec: OptionSpec, value: unknown): void {
  if (!fits(spec, value)) throw new RangeError(`${owner}: ${name} must be ${allowed(spec)}, got ${String(value)}`)
}

/**
 * Every option of `table`: the given value (checked) or the default. Names the table does not
 * have are refused, as are missing options without a default.
 * @example const { lr, eps } = resolveOptions('RMSprop', RMSPROP_OPTIONS, { lr: 0.01 })
 */
export function resolveOptions<T extends OptionTable>(owner: string, table: T, given: object | undefined): Resolved<T> {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw new TypeError(`${owner}: options must be an object, got ${Array.isArray(given) ? 'an array' : String(given)}`)
  }
  const values = (given ?? {}) as Record<string, unknown>
  for (const name of Object.keys(values)) {
    if (!(name in table)) {
      throw new RangeError(`${owner}: unknown option '${name}' (expected ${Object.keys(table).join(', ')})`)
    }
  }
  const out: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(table)) {
    const value = values[name] ?? spec.default
    if (value === undefined) throw new RangeError(`${owner}: option '${name}' is required (${spec.help})`)
    checkOption(owner, name, spec, value)
    out[name] = value
  }
  return out as Resolved<T>
}

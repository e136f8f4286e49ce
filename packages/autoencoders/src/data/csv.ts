/**
 * A CSV reader for numeric tables: numbers separated by a delimiter (RFC 4180 quotes allowed),
 * an optional header row, an optional label column (by name or index; class numbers or class
 * names), and scaling. It reads line by line (`CsvReader.push` takes any chunks of text), so a
 * large file never has to be split into one array of cells. Every problem is reported with its
 * line and column; nothing is returned unless the whole file is valid.
 */
import { checkKeys, tensor, type Tensor } from '@latent/tensor'

export interface CsvOptions {
  /** Whether the first line holds column names ('auto': if any of its feature cells is not a number). */
  header?: boolean | 'auto'
  /** The label column, by name (needs a header) or by index (negative counts from the end). */
  label?: string | number
  /** Feature scaling: none, divide by a constant, or each column to [0, 1] by its own min and max. */
  scale?: 'none' | 'minmax' | number
  /** The cell separator (default ','; one character). */
  delimiter?: string
}

export interface CsvTable {
  x: Tensor
  labels: Int32Array | undefined
  /**
   * When the label column holds names (any cell that is not a number): the names, sorted, and
   * label i means classes[i].
   */
  classes?: string[]
  columns: string[]
}

/**
 * The most classes a label column may number: more is a column of values, not of classes.
 * @example if (classes.length > MAX_CLASSES) throw new Error('too many classes')
 */
export const MAX_CLASSES = 10_000

/** The cells of one line, RFC 4180 style: "a,b" is one cell, "" inside quotes is a quote. */
function splitCells(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter).map((c) => c.trim())
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') cell += line[i++]
      else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"' && cell.trim() === '') quoted = true
    else if (ch === delimiter) {
      cells.push(cell.trim())
      cell = ''
    } else cell += ch
  }
  cells.push(cell.trim())
  return cells
}

const isNumber = (c: string): boolean => c !== '' && Number.isFinite(Number(c))

/**
 * Reads CSV text in chunks of any size (`push`), then gives the table (`finish`).
 * @example
 *   const reader = new CsvReader({ label: 'class' }, 'data.csv')
 *   for (const chunk of chunks) reader.push(chunk)
 *   const { x, labels } = reader.finish()
 */
export class CsvReader {
  private partial = ''
  private line = 0
  private width = -1
  private header = false
  private columns: string[] = []
  private labelIndex: number | undefined
  private values = new Float32Array(1024)
  private count = 0
  private readonly labelCells: string[] = []
  private readonly delimiter: string

  constructor(private readonly options: CsvOptions = {}, private readonly name = 'CSV file') {
    checkKeys(name, options, ['header', 'label', 'scale', 'delimiter'])
    this.delimiter = options.delimiter ?? ','
    if (this.delimiter.length !== 1 || this.delimiter === '"') {
      throw new Error(`${name}: the delimiter must be one character other than '"', got '${this.delimiter}'`)
    }
  }

  /**
   * The next piece of the text (lines may span pieces).
   * @example new CsvReader().push('a,b\n1,').push('2\n').finish().x.shape // [1, 2]
   */
  push(chunk: string): this {
    const lines = (this.partial + chunk).split(/\r?\n/)
    this.partial = lines.pop()!
    for (const l of lines) this.addLine(l)
    return this
  }

  private addLine(text: string): void {
    this.line++
    if (text.trim() === '') {
      this.blankAt ??= this.line
      return
    }
    if (this.blankAt !== undefined) throw new Error(`${this.name}: line ${this.blankAt} is empty`)
    const cells = splitCells(text, this.delimiter)
    if (this.width < 0) {
      this.start(cells)
      if (this.header) return
    }
    if (cells.length !== this.width) {
      throw new Error(`${this.name}: line ${this.line} has ${cells.length} cells, expected ${this.width}`)
    }
    const features = this.width - (this.labelIndex === undefined ? 0 : 1)
    if ((this.count + 1) * features > this.values.length) {
      const grown = new Float32Array(Math.max(2 * this.values.length, (this.count + 1) * features))
      grown.set(this.values)
      this.values = grown
    }
    let f = this.count * features
    cells.forEach((cell, c) => {
      const where = `${this.name}: line ${this.line}, column ${c + 1} ('${this.columns[c]}')`
      if (c === this.labelIndex) {
        if (cell === '') throw new Error(`${where}: the label is empty`)
        this.labelCells.push(cell)
        return
      }
      if (!isNumber(cell)) throw new Error(`${where}: '${cell}' is not a number`)
      const v = Number(cell)
      if (!Number.isFinite(Math.fround(v))) {
        throw new Error(`${where}: ${cell} is too large for float32 (about ±3.4e38)`)
      }
      this.values[f++] = v
    })
    this.count++
  }

  private blankAt: number | undefined

  /** The first line: the width, whether it is a header, and the label column. */
  private start(cells: string[]): void {
    const { name, options } = this
    this.width = cells.length
    const labelAt = typeof options.label === 'number'
      ? (options.label < 0 ? this.width + options.label : options.label)
      : -1
    // A label given by index may hold names, so 'auto' looks at the other cells of the first line.
    this.header = options.header === 'auto' || options.header === undefined
      ? !cells.every((c, i) => i === labelAt || isNumber(c))
      : options.header
    this.columns = this.header ? cells : Array.from({ length: this.width }, (_, i) => `column${i}`)
    if (options.label === undefined) return
    if (typeof options.label === 'number') {
      if (!(Number.isInteger(labelAt) && labelAt >= 0 && labelAt < this.width)) {
        throw new Error(`${name}: label column ${options.label} is out of range for ${this.width} columns`)
      }
      this.labelIndex = labelAt
    } else {
      if (!this.header) {
        throw new Error(`${name}: label column '${options.label}' given by name, but the file has no header`)
      }
      this.labelIndex = this.columns.indexOf(options.label)
      if (this.labelIndex < 0) {
        throw new Error(`${name}: no column named '${options.label}' (columns: ${this.columns.join(', ')})`)
      }
    }
  }

  /**
   * The table, once every piece has been pushed.
   * @example const table = new CsvReader({ label: 'y' }).push('x,y\n0.5,1\n').finish()
   */
  finish(): CsvTable {
    if (this.partial !== '') {
      const last = this.partial
      this.partial = ''
      this.addLine(last)
    }
    const { name } = this
    if (this.width < 0) throw new Error(`${name}: the file is empty`)
    if (this.count === 0) throw new Error(`${name}: no data rows`)
    const features = this.width - (this.labelIndex === undefined ? 0 : 1)
    const values = this.values.subarray(0, this.count * features)
    scaleColumns(values, features, this.options.scale ?? 'none', name)
    const { labels, classes } = this.labelIndex === undefined
      ? { labels: undefined, classes: undefined }
      : this.classLabels()
    return {
      x: tensor(values, { shape: [this.count, features] }),
      labels,
      ...(classes ? { classes } : {}),
      columns: this.columns.filter((_, i) => i !== this.labelIndex),
    }
  }

  /**
   * Class numbers when every label is a number (each must then be an integer from 0 to
   * MAX_CLASSES - 1), else class names: the distinct cells, sorted.
   */
  private classLabels(): { labels: Int32Array; classes?: string[] } {
    const cells = this.labelCells
    const where = (r: number): string =>
      `${this.name}: line ${r + 1 + (this.header ? 1 : 0)}, column ${this.labelIndex! + 1}`
    if (cells.every(isNumber)) {
      const labels = new Int32Array(cells.length)
      cells.forEach((c, r) => {
        const v = Number(c)
        if (!(Number.isInteger(v) && v >= 0 && v < MAX_CLASSES)) {
          throw new Error(`${where(r)}: the label ${c} is not a class number `
            + `(an integer from 0 to ${MAX_CLASSES - 1}); class names must not be numbers`)
        }
        labels[r] = v
      })
      return { labels }
    }
    const classes = [...new Set(cells)].sort()
    if (classes.length > MAX_CLASSES) {
      throw new Error(`${this.name}: the label column holds ${classes.length} names, more than ${MAX_CLASSES} classes`)
    }
    const classOf = new Map(classes.map((c, i) => [c, i]))
    return { labels: Int32Array.from(cells, (c) => classOf.get(c)!), classes }
  }
}

/** Scales the columns of a [n, features] matrix in place. */
function scaleColumns(values: Float32Array, features: number, scale: 'none' | 'minmax' | number, name: string): void {
  const rows = values.length / features
  if (typeof scale === 'number') {
    if (!(scale > 0)) throw new Error(`${name}: the scale divisor must be > 0, got ${scale}`)
    for (let i = 0; i < values.length; i++) values[i] /= scale
  } else if (scale === 'minmax') {
    for (let j = 0; j < features; j++) {
      let lo = Infinity
      let hi = -Infinity
      for (let i = 0; i < rows; i++) {
        lo = Math.min(lo, values[i * features + j])
        hi = Math.max(hi, values[i * features + j])
      }
      const range = hi - lo || 1
      for (let i = 0; i < rows; i++) values[i * features + j] = (values[i * features + j] - lo) / range
    }
  } else if (scale !== 'none') throw new Error(`${name}: unknown scaling '${String(scale)}' (none, minmax or a number)`)
}

/**
 * Parses CSV text into a float32 feature matrix (and integer labels: the column's class numbers,
 * or indices into `classes` when it holds names such as 'setosa').
 * @example const { x, labels, classes } = parseCsv(text, { header: true, label: 'species', scale: 'minmax' })
 */
export function parseCsv(text: string, options: CsvOptions = {}, name = 'CSV file'): CsvTable {
  return new CsvReader(options, name).push(text).finish()
}

/**
 * A CSV reader for numeric tables: comma-separated numbers, an optional header row, an optional
 * label column (by name or index; class numbers or class names), and scaling. Every problem is
 * reported with its line and column; nothing is returned unless the whole file is valid.
 */
import { tensor, type Tensor } from '@latent/tensor'

export interface CsvOptions {
  /** Whether the first line holds column names ('auto': if any of its feature cells is not a number). */
  header?: boolean | 'auto'
  /** The label column, by name (needs a header) or by index (negative counts from the end). */
  label?: string | number
  /** Feature scaling: none, divide by a constant, or each column to [0, 1] by its own min and max. */
  scale?: 'none' | 'minmax' | number
  delimiter?: string
}

export interface CsvTable {
  x: Tensor
  labels: Int32Array | undefined
  /**
   * When the label column holds names (any cell that is not a non-negative integer): the names,
   * sorted, and label i means classes[i].
   */
  classes?: string[]
  columns: string[]
}

/**
 * Parses CSV text into a float32 feature matrix (and integer labels: the column's class numbers,
 * or indices into `classes` when it holds names such as 'setosa').
 * @example const { x, labels, classes } = parseCsv(text, { header: true, label: 'species', scale: 'minmax' })
 */
export function parseCsv(text: string, options: CsvOptions = {}, name = 'CSV file'): CsvTable {
  const delimiter = options.delimiter ?? ','
  const lines = text.split(/\r?\n/)
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop()
  if (lines.length === 0) throw new Error(`${name}: the file is empty`)
  const cells = lines.map((l) => l.split(delimiter).map((c) => c.trim()))
  const isNumber = (c: string): boolean => c !== '' && Number.isFinite(Number(c))
  const width = cells[0].length
  // A label given by index may hold names, so 'auto' looks at the other cells of the first line.
  const labelAt = typeof options.label === 'number' ? (options.label < 0 ? width + options.label : options.label) : -1
  const header = options.header === 'auto' || options.header === undefined
    ? !cells[0].every((c, i) => i === labelAt || isNumber(c))
    : options.header
  const columns = header ? cells[0] : Array.from({ length: width }, (_, i) => `column${i}`)
  const body = header ? cells.slice(1) : cells
  if (body.length === 0) throw new Error(`${name}: no data rows`)
  let labelIndex: number | undefined
  if (options.label !== undefined) {
    if (typeof options.label === 'number') {
      labelIndex = labelAt
      if (!(Number.isInteger(labelIndex) && labelIndex >= 0 && labelIndex < width)) {
        throw new Error(`${name}: label column ${options.label} is out of range for ${width} columns`)
      }
    } else {
      if (!header) throw new Error(`${name}: label column '${options.label}' given by name, but the file has no header`)
      labelIndex = columns.indexOf(options.label)
      if (labelIndex < 0) {
        throw new Error(`${name}: no column named '${options.label}' (columns: ${columns.join(', ')})`)
      }
    }
  }
  const features = width - (labelIndex === undefined ? 0 : 1)
  const values = new Float32Array(body.length * features)
  const labels = labelIndex === undefined ? undefined : new Int32Array(body.length)
  // Class numbers, or names: any label that is not a non-negative integer makes them all names.
  const labelCells = labelIndex === undefined ? [] : body.map((row) => row[labelIndex!] ?? '')
  const named = labelCells.some((c) => !/^\d+$/.test(c))
  const classes = named ? [...new Set(labelCells)].sort() : undefined
  const classOf = new Map(classes?.map((c, i) => [c, i]))
  body.forEach((row, r) => {
    const line = r + 1 + (header ? 1 : 0)
    if (row.length !== width) throw new Error(`${name}: line ${line} has ${row.length} cells, expected ${width}`)
    let f = 0
    row.forEach((cell, c) => {
      if (c === labelIndex) {
        if (cell === '') throw new Error(`${name}: line ${line}, column ${c + 1} ('${columns[c]}'): the label is empty`)
        labels![r] = named ? classOf.get(cell)! : Number(cell)
        return
      }
      if (!isNumber(cell)) {
        throw new Error(`${name}: line ${line}, column ${c + 1} ('${columns[c]}'): '${cell}' is not a number`)
      }
      values[r * features + f++] = Number(cell)
    })
  })
  const scale = options.scale ?? 'none'
  if (typeof scale === 'number') {
    if (!(scale > 0)) throw new Error(`${name}: the scale divisor must be > 0, got ${scale}`)
    for (let i = 0; i < values.length; i++) values[i] /= scale
  } else if (scale === 'minmax') {
    for (let j = 0; j < features; j++) {
      let lo = Infinity
      let hi = -Infinity
      for (let i = 0; i < body.length; i++) {
        lo = Math.min(lo, values[i * features + j])
        hi = Math.max(hi, values[i * features + j])
      }
      const range = hi - lo || 1
      for (let i = 0; i < body.length; i++) values[i * features + j] = (values[i * features + j] - lo) / range
    }
  } else if (scale !== 'none') throw new Error(`${name}: unknown scaling '${String(scale)}' (none, minmax or a number)`)
  return {
    x: tensor(values, { shape: [body.length, features] }),
    labels,
    ...(classes ? { classes } : {}),
    columns: columns.filter((_, i) => i !== labelIndex),
  }
}

/**
 * Standalone SVG pictures, written as strings with no dependency: line charts (loss curves, ROC),
 * image grids (originals above reconstructions, samples, interpolations), a labelled scatter (the
 * latent space), a histogram with a threshold, and grouped bars. Every function returns a whole
 * SVG document; text is escaped, numbers are rounded to keep files small.
 */

/**
 * Ten distinguishable colours (Tableau 10), one per class or series.
 * @example lineChart([{ name: 'train', points, color: PALETTE[0] }], options)
 */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
]

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const r2 = (v: number): string => String(Math.round(v * 100) / 100)

/** One element: tag, attributes (numbers rounded), children already serialised. */
function el(tag: string, attrs: Record<string, string | number | undefined>, ...children: string[]): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? r2(v) : escape(v!)}"`)
    .join('')
  return children.length ? `<${tag}${a}>${children.join('')}</${tag}>` : `<${tag}${a}/>`
}

const text = (x: number, y: number, s: string, attrs: Record<string, string | number> = {}): string =>
  el('text', { x, y, ...attrs }, escape(s))

function document(width: number, height: number, title: string, body: string[]): string {
  const svg = {
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'font-family': 'sans-serif',
    'font-size': 12,
  }
  const background = el('rect', { width, height, fill: 'white' })
  const heading = text(width / 2, 18, title, { 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 'bold' })
  return `<?xml version="1.0" encoding="UTF-8"?>\n` +
    el('svg', svg, el('title', {}, escape(title)), background, heading, ...body) + '\n'
}

/** About five round tick values covering [lo, hi]. @example ticks(0, 0.93) // [0, 0.2, 0.4, 0.6, 0.8] */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo]
  const raw = (hi - lo) / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!
  const out: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Number((Math.round(v / step) * step).toPrecision(12)))
  }
  return out
}

/**
 * Ticks for a log axis over [lo, hi]: the powers of ten inside, and where fewer than two fall
 * inside (a loss within one decade), 1, 2 and 5 times them, or else round values on the plain
 * scale, so that the axis always has numbers.
 * @example logTicks(0.012, 0.03) // [0.02, 0.03]
 */
export function logTicks(lo: number, hi: number): number[] {
  const inside = (v: number): boolean => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)
  const decades = ticks(Math.log10(lo), Math.log10(hi)).filter((t) => Number.isInteger(t)).map((t) => 10 ** t)
  if (decades.length >= 2) return decades
  const steps: number[] = []
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) if (inside(m * 10 ** e)) steps.push(Number((m * 10 ** e).toPrecision(12)))
  }
  return steps.length >= 2 ? steps : ticks(lo, hi, 3).filter((t) => t > 0)
}

const fmt = (v: number): string =>
  (v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3))))

interface Frame { x: (v: number) => number; y: (v: number) => number; body: string[] }

/** Axes with ticks and labels for the data ranges; returns the scales and the drawn elements. */
function axes(
  box: { left: number; top: number; width: number; height: number },
  xr: [number, number],
  yr: [number, number],
  labels: { x: string; y: string },
  logY = false,
  xTicks = true,
): Frame {
  const ty = (v: number): number => (logY ? Math.log10(v) : v)
  const [y0, y1] = [ty(yr[0]), ty(yr[1])]
  const x = (v: number): number => box.left + ((v - xr[0]) / (xr[1] - xr[0] || 1)) * box.width
  const y = (v: number): number => box.top + box.height - ((ty(v) - y0) / (y1 - y0 || 1)) * box.height
  const body = [
    el('rect', { x: box.left, y: box.top, width: box.width, height: box.height, fill: 'none', stroke: '#888' }),
  ]
  const bottom = box.top + box.height
  for (const t of xTicks ? ticks(xr[0], xr[1]) : []) {
    body.push(
      el('line', { x1: x(t), x2: x(t), y1: bottom, y2: bottom + 4, stroke: '#888' }),
      text(x(t), bottom + 16, fmt(t), { 'text-anchor': 'middle' }),
    )
  }
  const yTicks = logY ? logTicks(yr[0], yr[1]) : ticks(yr[0], yr[1])
  for (const t of yTicks) {
    body.push(
      el('line', { x1: box.left, x2: box.left + box.width, y1: y(t), y2: y(t), stroke: '#eee' }),
      text(box.left - 6, y(t) + 4, fmt(t), { 'text-anchor': 'end' }),
    )
  }
  body.push(text(box.left + box.width / 2, box.top + box.height + 34, labels.x, { 'text-anchor': 'middle' }))
  const middle = box.top + box.height / 2
  body.push(text(14, middle, labels.y, { 'text-anchor': 'middle', transform: `rotate(-90 14 ${r2(middle)})` }))
  return { x, y, body }
}

function legend(
  items: { name: string; color: string; dash?: string; marker?: boolean }[],
  x: number,
  y: number,
): string[] {
  return items.flatMap((it, i) => [
    it.marker
      ? el('circle', { cx: x + 9, cy: y + i * 18 - 4, r: 4, fill: it.color })
      : el('line', {
        x1: x,
        x2: x + 18,
        y1: y + i * 18 - 4,
        y2: y + i * 18 - 4,
        stroke: it.color,
        'stroke-width': 2,
        'stroke-dasharray': it.dash,
      }),
    text(x + 24, y + i * 18, it.name),
  ])
}

export interface Series { name: string; points: [number, number][]; color?: string; dashed?: boolean }

/**
 * A line chart: one polyline per series, with a legend. `logY` for losses spanning decades.
 * @example
 *   lineChart([{ name: 'train', points: [[1, 0.5], [2, 0.3]] }], { title: 'Loss', xLabel: 'epoch', yLabel: 'loss' })
 */
export function lineChart(
  series: Series[],
  options: {
    title: string
    xLabel: string
    yLabel: string
    logY?: boolean
    xRange?: [number, number]
    yRange?: [number, number]
    diagonal?: boolean
  },
): string {
  const all = series.flatMap((s) => s.points).filter(([, v]) => Number.isFinite(v) && (!options.logY || v > 0))
  if (all.length === 0) throw new RangeError(`lineChart '${options.title}': no finite points to draw`)
  const span = (k: 0 | 1): [number, number] => [Math.min(...all.map((p) => p[k])), Math.max(...all.map((p) => p[k]))]
  const box = { left: 70, top: 34, width: 420, height: 250 }
  const labels = { x: options.xLabel, y: options.yLabel }
  const f = axes(box, options.xRange ?? span(0), options.yRange ?? span(1), labels, options.logY)
  const body = [...f.body]
  if (options.diagonal) {
    body.push(el('line', { x1: f.x(0), y1: f.y(0), x2: f.x(1), y2: f.y(1), stroke: '#aaa', 'stroke-dasharray': '4 4' }))
  }
  const items = series.map((s, i) => ({
    name: s.name,
    color: s.color ?? PALETTE[i % 10],
    dash: s.dashed ? '6 4' : undefined,
  }))
  series.forEach((s, i) => {
    const pts = s.points
      .filter(([, v]) => Number.isFinite(v) && (!options.logY || v > 0))
      .map(([a, b]) => `${r2(f.x(a))},${r2(f.y(b))}`)
      .join(' ')
    const stroke = { stroke: items[i].color, 'stroke-width': 2, 'stroke-dasharray': items[i].dash }
    body.push(el('polyline', { points: pts, fill: 'none', ...stroke }))
  })
  body.push(...legend(items, 505, 50))
  return document(720, 330, options.title, body)
}

/**
 * Rows of grayscale images (values in [0, 1], one image per row of each matrix), each row of the
 * grid with a label on its left: originals above reconstructions, samples, interpolations.
 * @example
 *   imageGrid([{ label: 'original', images: x }, { label: 'reconstruction', images: xhat }], [8, 8], {
 *     title: 'Reconstructions',
 *   })
 */
export function imageGrid(
  rows: { label: string; images: { data: ArrayLike<number>; shape: readonly number[] } }[],
  image: [number, number],
  options: { title: string; scale?: number },
): string {
  const [h, w] = image
  const scale = options.scale ?? Math.max(1, Math.round(56 / Math.max(h, w)))
  const cell = Math.max(h, w) * scale + 4
  const columns = Math.max(...rows.map((r) => r.images.shape[0]))
  const left = 110
  const body: string[] = []
  rows.forEach((row, ri) => {
    const [n, d] = row.images.shape
    if (d !== h * w) {
      throw new RangeError(`imageGrid: row '${row.label}' has ${d} features, images are ${h}x${w}`)
    }
    const top = 30 + ri * cell
    body.push(text(left - 8, top + cell / 2 + 4, row.label, { 'text-anchor': 'end' }))
    for (let i = 0; i < n; i++) {
      const x0 = left + i * cell
      const pixels = [el('rect', { x: x0, y: top, width: w * scale, height: h * scale, fill: '#000' })]
      for (let p = 0; p < d; p++) {
        const v = Math.min(1, Math.max(0, row.images.data[i * d + p]))
        if (v < 0.02) continue // the black background already shows it
        const g = Math.round(v * 255)
        const [x, y] = [x0 + (p % w) * scale, top + Math.floor(p / w) * scale]
        pixels.push(el('rect', { x, y, width: scale, height: scale, fill: `rgb(${g},${g},${g})` }))
      }
      body.push(el('g', { class: 'image' }, ...pixels))
    }
  })
  return document(left + columns * cell + 10, 30 + rows.length * cell + 10, options.title, body)
}

/**
 * A scatter of 2-D points coloured by integer label, with a legend of class names.
 * @example scatter(points, labels, { title: 'Latent space', classes: ['0', '1'] })
 */
export function scatter(
  points: { data: ArrayLike<number>; shape: readonly number[] },
  labels: ArrayLike<number>,
  options: { title: string; classes: string[]; xLabel?: string; yLabel?: string },
): string {
  const n = points.shape[0]
  if (points.shape[1] !== 2 || labels.length !== n) {
    throw new RangeError(
      `scatter: expected [n, 2] points and n labels, got [${points.shape.join(', ')}] and ${labels.length}`,
    )
  }
  const xs = Array.from({ length: n }, (_, i) => points.data[2 * i])
  const ys = Array.from({ length: n }, (_, i) => points.data[2 * i + 1])
  const pad = (lo: number, hi: number): [number, number] => [lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05 || lo + 1]
  const box = { left: 70, top: 34, width: 420, height: 380 }
  const axisLabels = { x: options.xLabel ?? 'latent 1', y: options.yLabel ?? 'latent 2' }
  const f = axes(box, pad(Math.min(...xs), Math.max(...xs)), pad(Math.min(...ys), Math.max(...ys)), axisLabels)
  const body = [...f.body]
  for (let i = 0; i < n; i++) {
    const fill = { fill: PALETTE[labels[i] % 10], 'fill-opacity': 0.7 }
    body.push(el('circle', { cx: f.x(xs[i]), cy: f.y(ys[i]), r: 2.5, ...fill }))
  }
  body.push(...legend(options.classes.map((name, i) => ({ name, color: PALETTE[i % 10], marker: true })), 505, 50))
  return document(680, 460, options.title, body)
}

/**
 * A histogram of scores, split by label (0 normal, 1 anomaly) when labels are given, with a
 * vertical line at the threshold.
 * @example histogram(scores, { title: 'Anomaly scores', threshold: 0.02, labels })
 */
export function histogram(
  values: ArrayLike<number>,
  options: { title: string; threshold?: number; labels?: ArrayLike<number>; bins?: number; xLabel?: string },
): string {
  const v = Array.from(values)
  const bins = options.bins ?? 40
  const lo = Math.min(...v, options.threshold ?? Infinity)
  const hi = Math.max(...v, options.threshold ?? -Infinity)
  const width = (hi - lo) / bins || 1
  const groups = options.labels ? [0, 1] : [0]
  const counts = groups.map(() => new Array<number>(bins).fill(0))
  v.forEach((s, i) => {
    counts[options.labels ? (options.labels[i] ? 1 : 0) : 0][Math.min(bins - 1, Math.floor((s - lo) / width))]++
  })
  const top = Math.max(...counts.flat())
  const box = { left: 70, top: 34, width: 420, height: 250 }
  const f = axes(box, [lo, hi], [0, top], { x: options.xLabel ?? 'score', y: 'count' })
  const body = [...f.body]
  const names = options.labels ? ['normal', 'anomaly'] : ['all']
  counts.forEach((c, g) => c.forEach((count, b) => {
    if (count > 0) {
      const bar = { x: f.x(lo + b * width), y: f.y(count), width: Math.max(1, f.x(lo + width) - f.x(lo)) }
      const fill = { fill: PALETTE[g === 0 ? 0 : 2], 'fill-opacity': 0.6 }
      body.push(el('rect', { ...bar, height: f.y(0) - f.y(count), ...fill }))
    }
  }))
  const items = names.map((name, g) => ({ name, color: PALETTE[g === 0 ? 0 : 2], marker: true }))
  if (options.threshold !== undefined) {
    const x = f.x(options.threshold)
    const dash = { stroke: '#000', 'stroke-width': 2, 'stroke-dasharray': '5 3', class: 'threshold' }
    body.push(el('line', { x1: x, x2: x, y1: 34, y2: 284, ...dash }))
    items.push({ name: `threshold ${fmt(options.threshold)}`, color: '#000', marker: false } as (typeof items)[number])
  }
  body.push(...legend(items, 505, 50))
  return document(680, 330, options.title, body)
}

/**
 * Grouped vertical bars: one group per category, one bar per series (e.g. AE against PCA).
 * @example
 *   const series = [{ name: 'AE', values: [0.01, 0.02] }, { name: 'PCA', values: [0.02, 0.02] }]
 *   barChart(['vanilla', 'sparse'], series, { title: 'Test MSE', yLabel: 'MSE' })
 */
export function barChart(
  categories: string[],
  series: { name: string; values: number[] }[],
  options: { title: string; yLabel: string },
): string {
  const top = Math.max(...series.flatMap((s) => s.values.filter(Number.isFinite)))
  const box = { left: 70, top: 34, width: Math.max(300, categories.length * 90), height: 250 }
  // categories label the x axis
  const f = axes(box, [0, categories.length], [0, top * 1.1 || 1], { x: '', y: options.yLabel }, false, false)
  const body = [...f.body]
  const group = box.width / categories.length
  const bar = (group * 0.8) / series.length
  categories.forEach((c, i) => {
    body.push(text(box.left + (i + 0.5) * group, box.top + box.height + 16, c, { 'text-anchor': 'middle' }))
    series.forEach((s, j) => {
      const v = s.values[i]
      if (!Number.isFinite(v)) return
      const x = box.left + i * group + group * 0.1 + j * bar
      body.push(
        el('rect', { x, y: f.y(v), width: bar - 2, height: f.y(0) - f.y(v), fill: PALETTE[j % 10], class: 'bar' }),
        text(x + bar / 2 - 1, f.y(v) - 3, fmt(v), { 'text-anchor': 'middle', 'font-size': 9 }),
      )
    })
  })
  const items = series.map((s, j) => ({ name: s.name, color: PALETTE[j % 10], marker: true }))
  body.push(...legend(items, box.left + box.width + 15, 50))
  return document(box.left + box.width + 150, 330, options.title, body)
}

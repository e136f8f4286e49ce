/**
 * The measuring harness shared by every benchmark: Benchmark.js runs the function until its
 * timing is stable, and we report the median of its samples with the spread (min and max), so
 * one noisy sample on a shared machine does not move the figure.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname } from 'node:path'
import Benchmark from 'benchmark'

export interface Measurement {
  /** Seconds per call: median, fastest and slowest sample. */
  median: number
  min: number
  max: number
  samples: number
  /** measureRounds only: each round's median, in round order (for same-round ratios). */
  rounds?: number[]
}

export interface MeasureOptions {
  /** Fewest samples to take (Benchmark.js keeps sampling until maxTime). */
  minSamples?: number
  /** Seconds to spend sampling. */
  maxTime?: number
}

/** Times `fn` (after Benchmark.js's own warm-up cycles) and summarises the samples. */
export function measure(fn: () => void, options: MeasureOptions = {}): Measurement {
  fn() // first call outside the timer: instantiation, JIT warm-up
  const bench = new Benchmark(fn, {
    minSamples: options.minSamples ?? 10, maxTime: options.maxTime ?? 1.5, initCount: 1,
  })
  bench.run()
  if (bench.error) throw bench.error
  const sample = [...bench.stats.sample].sort((a, b) => a - b)
  return { median: medianOf(sample), min: sample[0], max: sample[sample.length - 1], samples: sample.length }
}

/**
 * Interleaved rounds: every round measures every case once, briefly. Noise on a shared machine
 * comes in bursts; interleaving spreads a burst over all cases instead of landing on one. The
 * figure per case is the median of its per-round medians, with the spread over rounds.
 */
export function measureRounds<K extends string>(
  cases: Record<K, () => void>, rounds: number, perRound: MeasureOptions,
): Record<K, Measurement> {
  const names = Object.keys(cases) as K[]
  const medians = new Map<K, number[]>(names.map((n) => [n, []]))
  for (let r = 0; r < rounds; r++) for (const n of names) medians.get(n)!.push(measure(cases[n], perRound).median)
  const out = {} as Record<K, Measurement>
  for (const n of names) {
    const rounds = medians.get(n)!
    const v = [...rounds].sort((a, b) => a - b)
    out[n] = { median: medianOf(v), min: v[0], max: v[v.length - 1], samples: v.length, rounds }
  }
  return out
}

/** The median of any numbers (they are not reordered). */
export function median(values: number[]): number {
  return values.length ? medianOf([...values].sort((a, b) => a - b)) : NaN
}

/** The median of numbers sorted ascending. */
function medianOf(sorted: number[]): number {
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * How much faster `x` ran than `base`, round by round (base time / x time), as the median over
 * rounds: a burst of load slows both sides of one round alike, so this ratio is steadier than
 * the ratio of the two medians.
 */
export function speedup(x: Measurement, base: Measurement): number {
  return medianOf(x.rounds!.map((t, r) => base.rounds![r] / t).sort((a, b) => a - b))
}

export function machine(): Record<string, string | number> {
  return { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length }
}

/** Appends records as JSON lines (one object per line) to `file`. */
export function writeJsonLines(file: string, records: object[]): void {
  mkdirSync(dirname(file), { recursive: true })
  appendFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
}

/** Prints rows as an aligned plain-text table (also valid Markdown). */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))]
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => r[c].length)))
  const line = (r: string[]): string =>
    `| ${r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join(' | ')} |`
  console.log(line(headers))
  console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`)
  for (const r of cells.slice(1)) console.log(line(r))
}

/** Reads `--name value` and `--flag` style arguments. */
export function args(argv = process.argv.slice(2)): Map<string, string> {
  const out = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue
    const next = argv[i + 1]
    if (next !== undefined && !next.startsWith('--')) out.set(argv[i].slice(2), argv[++i])
    else out.set(argv[i].slice(2), 'true')
  }
  return out
}

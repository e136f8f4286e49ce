/**
 * Training progress for people and for machines. On a terminal: one bar per epoch, redrawn in
 * place at most ten times a second, with the rate, the time left and the loss parts. Not on a
 * terminal (a log file, CI): a plain line every few seconds and one per epoch. `quiet`: nothing.
 * `json`: one JSON object per epoch on stdout, for scripts.
 */
import type { BatchInfo, EpochRecord } from '../train.js'

export type ProgressMode = 'bar' | 'lines' | 'quiet' | 'json'

export interface Output {
  write(s: string): void
  isTTY?: boolean
  columns?: number
}

const parts = (p: Record<string, number>): string =>
  Object.entries(p).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join('  ')

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  const s = Math.round(seconds)
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`
}

export class Progress {
  private epochStart = 0
  private lastDraw = 0
  private samples = 0
  private readonly now: () => number

  /** Shown as 'epoch e/total'; set by whoever knows it (a resumed run learns it from its checkpoint). */
  totalEpochs = 0

  private readonly epochEvery: number

  /**
   * `epochEvery`: print the summary line of every k-th epoch only (and of the last).
   * @example const progress = new Progress('lines', process.stdout, { epochEvery: 5 })
   */
  constructor(
    readonly mode: ProgressMode,
    private readonly out: Output,
    options: { now?: () => number; epochEvery?: number } = {},
  ) {
    this.now = options.now ?? (() => performance.now())
    this.epochEvery = options.epochEvery ?? 1
    this.lastDraw = this.now()
  }

  /** Call before each epoch's first batch. */
  startEpoch(): void {
    this.epochStart = this.now()
    this.samples = 0
    if (this.mode === 'bar') this.lastDraw = 0 // draw the new bar at once
  }

  batch(info: BatchInfo): void {
    this.samples += info.samples
    if (this.mode === 'quiet' || this.mode === 'json') return
    const t = this.now()
    const interval = this.mode === 'bar' ? 100 : 5000
    if (t - this.lastDraw < interval && info.batch < info.batches) return
    this.lastDraw = t
    const seconds = (t - this.epochStart) / 1000
    const rate = this.samples / Math.max(seconds, 1e-9)
    const eta = (seconds / info.batch) * (info.batches - info.batch)
    const head = `epoch ${info.epoch}/${this.totalEpochs}`
    const tail = `${rate.toFixed(0)} samples/s  ETA ${duration(eta)}  ${parts(info.parts)}`
    if (this.mode === 'lines') {
      if (info.batch < info.batches) this.out.write(`${head}  batch ${info.batch}/${info.batches}  ${tail}\n`)
      return
    }
    const width = 24
    const done = Math.round((info.batch / info.batches) * width)
    const percent = String(Math.round((100 * info.batch) / info.batches)).padStart(3)
    const line = `${head} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${percent}%  ${tail}`
    this.out.write(`\r${line.slice(0, (this.out.columns ?? 120) - 1)}\x1b[K`)
  }

  epoch(record: EpochRecord): void {
    if (this.mode === 'quiet') return
    if (record.epoch % this.epochEvery !== 0 && record.epoch !== this.totalEpochs) {
      if (this.mode === 'bar') this.out.write('\r\x1b[K')
      return
    }
    if (this.mode === 'json') {
      this.out.write(JSON.stringify({ event: 'epoch', ...record }) + '\n')
      return
    }
    const validation = record.validation ? `  | validation ${parts(record.validation)}` : ''
    const clear = this.mode === 'bar' ? '\r\x1b[K' : ''
    const seconds = record.seconds.toFixed(1)
    const train = parts(record.train)
    this.out.write(`${clear}epoch ${record.epoch}/${this.totalEpochs}  ${train}${validation}  (${seconds} s)\n`)
  }

  /** A human message (not in json or quiet mode). */
  say(message: string): void {
    if (this.mode === 'bar' || this.mode === 'lines') this.out.write(message + '\n')
  }
}

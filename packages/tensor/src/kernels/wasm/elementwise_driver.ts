/**
 * The WASM elementwise backend: runs the SIMD kernels of elementwise_kernel.ts over arrays that
 * live in the WASM memory (kernels/select.ts sends only those here), whole quads in WASM and the
 * last n % 4 elements with the op's JavaScript kernel. Long passes are split between the pool's
 * threads: chunks of whole cache lines, claimed like GEMM tasks.
 *
 * If the pool breaks during a split pass, the pass is redone here on one thread, unless the
 * kernel writes over its own inputs (Adam, or an op with out = an operand): such a pass may be
 * half done, so the call throws rather than return wrong numbers.
 */
import type { FloatArray } from '../../dtype.js'
import type { ElementwiseBackend, MapKernel, RunKernel } from '../types.js'
import { rangeSignature, type RangeSignature } from './elementwise_kernel.js'
import type { WasmMemory } from './memory.js'
import type { ThreadPool } from './pool.js'
import { CONTROL, EW_MAX_CHUNKS, runElementwise } from './tasks.js'

type Fn = (...args: number[]) => number

const roundUp = (v: number, m: number): number => Math.ceil(v / m) * m

export class ElementwiseDriver implements ElementwiseBackend {
  readonly name = 'wasm-simd128'
  /**
   * Kernels over at least this many quads (4 floats) are split between the threads
   * (LATENT_SPLIT_QUADS overrides it). Below about 32k floats a split costs about what it saves:
   * `pnpm bench elementwise`, bench/README.md.
   */
  parallelQuads = 8192
  /** The kernels by name; a plain object, so that tests can watch the calls. */
  readonly kernels: Record<string, Fn>
  private readonly indices = new Map<string, number>()

  constructor(
    private readonly mem: WasmMemory,
    /** The module's exports in export order, as jobs name them (tasks.ts). */
    private readonly functions: Fn[],
    names: string[],
    private readonly pool: () => ThreadPool | undefined,
    private readonly threadError: () => Error | undefined,
  ) {
    this.kernels = Object.fromEntries(names.map((name, i) => [name, functions[i]]))
    names.forEach((name, i) => this.indices.set(name, i))
  }

  map(op: string, arrays: readonly FloatArray[], scalars: readonly number[], js: MapKernel): void {
    const n = arrays[0].length
    const quads = n >> 2
    if (!(op in this.kernels) || quads === 0) return js(0, n)
    this.call(op, [...arrays.map((a) => this.mem.address(a as Float32Array)), quads, ...scalars])
    if (4 * quads < n) js(4 * quads, n)
  }

  runs(op: string, js: RunKernel): RunKernel {
    if (!(`${op}_11` in this.kernels)) return js
    return (a, ai, as, b, bi, bs, o, oi, n) => {
      const quads = n >> 2
      if (quads === 0 || as + bs === 0) return js(a, ai, as, b, bi, bs, o, oi, n)
      const at = (x: FloatArray, i: number): number => this.mem.address(x as Float32Array, i)
      this.call(`${op}_${as}${bs}`, [at(a, ai), at(b, bi), at(o, oi), quads])
      const done = 4 * quads
      if (done < n) js(a, ai + as * done, as, b, bi + bs * done, bs, o, oi + done, n - done)
    }
  }

  copyRows(src: FloatArray, srcAt: number, srcStride: number, rows: number, n: number,
    dst: FloatArray, dstAt: number): void {
    const quads = n >> 2
    const [s, d] = [src as Float32Array, dst as Float32Array]
    // Split by rows: each unit advances the source by its stride (0 repeats a row) and the output by a row.
    this.call('copy_rows', [this.mem.address(s, srcAt), 4 * srcStride, this.mem.address(d, dstAt), 4 * n, rows, quads],
      [4 * srcStride, 0, 4 * n, 0, 0, 0], 4 * n)
    for (let r = 0; r < rows; r++) {
      for (let k = 4 * quads; k < n; k++) dst[dstAt + r * n + k] = src[srcAt + r * srcStride + k]
    }
  }

  sumRun(x: FloatArray, at: number, n: number): number {
    const quads = n >> 2
    let s = this.kernels.sum(this.mem.address(x as Float32Array, at), quads)
    for (let i = at + 4 * quads; i < at + n; i++) s += x[i]
    return s
  }

  sumRows(x: FloatArray, at: number, rows: number, n: number, out: FloatArray, outAt: number): void {
    // The column accumulators, float64, in scratch: two per float of a row.
    const quads = n >> 2
    const acc = this.mem.scratch(8 * n, 'sum')
    const acc64 = new Float64Array(this.mem.memory.buffer, acc, n)
    acc64.fill(0)
    // Split by column quads (16 bytes of a row, 32 of float64 accumulators each); a unit's work is its rows.
    this.call('sum_rows', [this.mem.address(x as Float32Array, at), 4 * n, acc, rows, quads], [16, 0, 32, 0, 0],
      16 * rows)
    for (let r = 0; r < rows; r++) for (let k = 4 * quads; k < n; k++) acc64[k] += x[at + r * n + k]
    for (let k = 0; k < n; k++) out[outAt + k] = acc64[k]
  }

  sumSquaredDifference(a: FloatArray, b: FloatArray): number {
    const quads = a.length >> 2
    let s = this.kernels.sum_squared_difference(this.mem.address(a as Float32Array),
      this.mem.address(b as Float32Array), quads)
    for (let i = 4 * quads; i < a.length; i++) {
      const d = Math.fround(a[i] - b[i])
      s += Math.fround(d * d)
    }
    return s
  }

  window(op: 'im2col' | 'col2im', src: FloatArray, dst: FloatArray, geometry: readonly number[], pad: number,
    js: () => void): void {
    if (!(op in this.kernels)) return js()
    const [images, c, , , kh, kw, , , , , oh, ow] = geometry
    // The unit of the range: one row for im2col, one channel's kh·kw rows for col2im (see the kernel).
    const unitRows = op === 'im2col' ? 1 : kh * kw
    const at = (x: FloatArray): number => this.mem.address(x as Float32Array)
    const strides = [0, 0, 0, unitRows, 0, ...geometry.map(() => 0), 0]
    strides[op === 'im2col' ? 1 : 0] = 4 * unitRows * images * oh * ow
    const args = [at(src), at(dst), (c * kh * kw) / unitRows, 0, unitRows, images, ...geometry.slice(1)]
    this.call(op, op === 'im2col' ? [...args, pad] : args, strides)
  }

  /**
   * Runs kernel `name`, split between the pool's threads when its range is long enough. `strides`:
   * the bytes each argument advances per unit of the range (16 per quad for every pointer the
   * kernel reads or writes, unless given); `unitBytes`: the bytes a unit touches (the largest
   * stride, unless given), which decides whether a split pays.
   */
  private call(name: string, args: number[], strides?: number[], unitBytes?: number): void {
    const fn = this.kernels[name]
    const sig = rangeSignature(name)
    const pool = this.pool()
    const units = sig ? args[sig.quads] : 0
    const step = sig && (strides ?? args.map((_, i) => ([...sig.reads, ...sig.writes].includes(i) ? 16 : 0)))
    // The split pays from about parallelQuads quads of work (the largest stride measures a unit's).
    const work = units * (unitBytes ?? Math.max(...(step ?? [0])))
    if (!sig || !step || !pool || work < 16 * this.parallelQuads || units < 2 || !pool.prepare()) {
      fn(...args)
      return
    }
    if (this.split(name, args, sig, step, pool)) return
    const span = (i: number, bytes: number): [number, number] => [args[i], args[i] + bytes]
    const read = [...sig.reads.map((i) => span(i, step[i] * units)), ...sig.broadcast.map((i) => span(i, 4))]
    const inPlace = sig.writes.some((w) => read.some(([r0, r1]) => args[w] < r1 && r0 < args[w] + step[w] * units))
    if (inPlace) {
      throw new Error(`@latent/tensor: the worker pool failed during ${name}, which writes over its inputs; `
        + `it may be partly done (${this.threadError()?.message})`)
    }
    fn(...args)
  }

  /** Publishes the call as a job of chunks (of whole 64-byte lines for quads); false if the pool broke meanwhile. */
  private split(name: string, args: number[], sig: RangeSignature, strides: number[], pool: ThreadPool): boolean {
    const index = this.indices.get(name)!
    const { ctl, ctlFloats } = this.mem
    const L = CONTROL
    const units = args[sig.quads]
    if (args.length > 24) throw new Error(`${name}: at most 24 arguments fit the control block`)
    const per = roundUp(Math.ceil(units / Math.min(EW_MAX_CHUNKS, 4 * pool.size)), strides.includes(16) ? 4 : 1)
    ctl[L.kind] = 1
    ctl[L.ewFunction] = index; ctl[L.ewArgCount] = args.length; ctl[L.ewQuadsArg] = sig.quads
    ctl[L.ewFloats] = sig.floats.reduce((bits, i) => bits | (1 << i), 0)
    ctl[L.ewQuads] = units; ctl[L.ewChunkQuads] = per
    args.forEach((v, i) => {
      if (sig.floats.includes(i)) ctlFloats[L.ewArgs + i] = v
      else ctl[L.ewArgs + i] = v
      ctl[L.ewStrides + i] = strides[i]
    })
    ctl[L.chunks] = Math.ceil(units / per)
    ctl[L.nextChunk] = ctl[L.doneChunk] = 0
    pool.start()
    return pool.finish(() => runElementwise(ctl, this.functions, L))
  }
}

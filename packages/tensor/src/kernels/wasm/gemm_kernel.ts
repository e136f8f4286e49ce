/**
 * The WASM SIMD GEMM kernel, written with the emitter and unrolled by TypeScript loops.
 *
 * C (MR x 8 tile) = Ã · B̃ over one k block, where Ã is a panel of MR rows of op(A) packed
 * k-major (for each k, MR consecutive floats) and B̃ a panel of NR = 8 columns of op(B) packed the
 * same way. Per k the kernel loads two vectors of B̃, broadcasts each of the MR values of Ã to
 * four lanes (`v128.load32_splat`, or a shuffle of one loaded vector, below), and updates 2·MR
 * accumulators held in locals:
 *
 *   acc[r][0..3] += a[r] * b[0..3],   acc[r][4..7] += a[r] * b[4..7]
 *
 * Two builds (named XNNPACK's way: tile, ISA), chosen by measurement (packages/tensor/README.md):
 *   f32_gemm_5x8_wasmrelaxedsimd_fma  f32x4.relaxed_madd, rows 0-3 broadcast by shuffles
 *   f32_gemm_5x8_wasmsimd             f32x4.mul then f32x4.add
 *
 * Registers decide the tile. x64 V8 has 15 usable xmm registers, and TurboFan schedules every
 * load of a loop iteration before the arithmetic that uses it, so all MR broadcasts are live at
 * once: a 6x8 tile needs 12 accumulators + 2 B + 6 A = 20 and spills (measured ~25 GFLOP/s).
 * To bound that, a row can be *pinned*: after its arithmetic, the loop branches out if a control
 * word that is never set is non-zero, and the exit path reads the accumulators, so that
 * arithmetic must be done before the next row's loads.
 *
 *   FMA 5x8 by shuffles: one v128.load brings rows 0-3 of Ã and i8x16.shuffle (vpshufd) spreads
 *     each row in turn; a shuffle is a pure operation, so V8 schedules it next to its two
 *     multiply-adds and only one broadcast is live: 10 + 2 + 1 (rows 0-3) + 1 (row 4, a splat
 *     load) + 1 = 15 registers, no spill, no pin (read from `node --print-wasm-code`). Measured
 *     on the EPYC machine (2026-12-03, `pnpm bench tiles --rounds 5`): 1.14, 1.21 and 1.02 times
 *     the 4x8 splat tile on the three products of a 784-256 layer, 0.855 against 0.831 of the
 *     FMA peak in the kernel alone (15 interleaved rounds); `fit` unchanged within noise (same-run
 *     ratio medians 0.99 on one thread, 5 rounds, and 1.04 on two, 3 rounds).
 *   FMA 4x8 by splats (the FMA build before): 8 + 2 + 4 = 14 registers, no pin. A 5x8 splat
 *     tile pinned after row 2 (15 registers) ran as fast in the kernel alone but 2-11% slower in
 *     whole products (a compare with memory per k).
 *   Plain SIMD 5x8: each multiply needs a temporary, so pins after rows 1 and 3 keep it to
 *     10 + 2 + 2 + 1 = 15. Here the larger tile wins: an unpinned 4x8 ran 11-12% slower in the
 *     kernel alone and about 6% slower in whole products (mul and add are two instructions, so
 *     the loop is longer than the arithmetic units need and a larger tile amortizes it).
 *   A 6x8 FMA tile pinned after every row fits too (12 + 2 + 1), but its five compares and
 *     branches per k make the loop longer still, and it ran 9-13% slower than 4x8. By shuffles it
 *     needs two A vectors, 17 registers, and spills two accumulators.
 * `pnpm bench tiles` measures these side by side.
 *
 * K is not unrolled: an unrolled body would only make more loads live at once.
 */
import { addTo, countDown, get, i32, ModuleBuilder, set, tee } from './emitter.js'
import type { FunctionSpec, Instr, MemoryImport, ValType } from './emitter.js'

export interface KernelConfig {
  /** Rows of the register tile. */
  mr: number
  /** Columns of the register tile: two vectors of 4. */
  nr: 8
  /** Fused multiply-add from relaxed SIMD, or separate mul and add. */
  fma: boolean
  /** Rows after which the k loop pins the arithmetic done so far (see above). */
  pinAfter: readonly number[]
  /**
   * How a row of A reaches all four lanes: 'splat' loads each row with v128.load32_splat;
   * 'shuffle' loads rows 0-3 with one v128.load and spreads each with i8x16.shuffle (vpshufd), a
   * pure operation that V8 schedules next to its multiply-adds, so only one is live at a time
   * (rows from 4 on are still splat loads). Default 'splat'.
   */
  broadcast?: 'splat' | 'shuffle'
}

export const FMA_5X8: KernelConfig = { mr: 5, nr: 8, fma: true, pinAfter: [], broadcast: 'shuffle' }
export const SIMD_5X8: KernelConfig = { mr: 5, nr: 8, fma: false, pinAfter: [1, 3] }

/** Byte address of the control word that is never set; the pins test it (tasks.ts reserves it). */
export const NEVER_SET_ADDRESS = 60

/** The kernel's name in XNNPACK's style: tile and instruction set. */
export function kernelName(c: KernelConfig): string {
  return `f32_gemm_${c.mr}x${c.nr}_${c.fma ? 'wasmrelaxedsimd_fma' : 'wasmsimd'}`
}

/** The byte lanes of i8x16.shuffle that copy 32-bit lane r into all four. */
const lanesOf = (r: number): number[] => Array.from({ length: 16 }, (_, i) => 4 * r + (i % 4))

const acc = (r: number, half: number): string => `acc${r}x${half === 0 ? '0123' : '4567'}`

/**
 * tile_R(a, b, c, ldc_bytes, kc, accumulate): R rows (R <= MR; fewer only for the ragged last
 * panel) of a tile of C (row stride ldc_bytes) from an A panel and a B panel over kc >= 1 steps
 * of k, overwriting C or, when `accumulate` is non-zero (later k blocks), adding to it. Pointers
 * are byte offsets.
 *
 * The tile is its own function so that only a handful of integers are live in the k loop and
 * V8 keeps the counter and pointers in registers.
 */
function tileFunction(c: KernelConfig, height: number): FunctionSpec {
  const { mr, nr, fma } = c
  const rows = [...Array(height).keys()]
  const accs = rows.flatMap((r) => [acc(r, 0), acc(r, 1)])
  const madd = (r: number, h: number): Instr[] => {
    const b = h === 0 ? 'b0123' : 'b4567'
    return fma
      ? [get('va'), get(b), get(acc(r, h)), ['f32x4.relaxed_madd'], set(acc(r, h))]
      : [get('va'), get(b), ['f32x4.mul'], get(acc(r, h)), ['f32x4.add'], set(acc(r, h))]
  }
  const storeTile: Instr[] = rows.flatMap((r): Instr[] => [
    get('c'), get(acc(r, 0)), ['v128.store', {}],
    get('c'), get(acc(r, 1)), ['v128.store', { offset: 16 }],
    ...addTo('c', 'ldc_bytes'),
  ])
  const pins = c.pinAfter.filter((r) => r < height - 1)
  // Four rows in one load: only for tiles of at least four rows (a ragged panel may be narrower).
  const shuffled = c.broadcast === 'shuffle' && height >= 4
  const kLoop: Instr[] = [
    ['loop', 'k_loop'],
    get('b'), ['v128.load', {}], set('b0123'),
    get('b'), ['v128.load', { offset: 16 }], set('b4567'),
    ...(shuffled ? [get('a'), ['v128.load', { align: 4 }], set('a0123')] as Instr[] : []),
    ...rows.flatMap((r): Instr[] => [
      ...(shuffled && r < 4
        ? [get('a0123'), get('a0123'), ['i8x16.shuffle', lanesOf(r)], set('va')] as Instr[]
        : [get('a'), ['v128.load32_splat', { offset: 4 * r }], set('va')] as Instr[]),
      ...madd(r, 0),
      ...madd(r, 1),
      ...(pins.includes(r)
        ? [i32(0), ['i32.load', { offset: NEVER_SET_ADDRESS }], ['br_if', 'pinned']] as Instr[] : []),
    ]),
    ...addTo('a', 4 * mr),
    ...addTo('b', 4 * nr),
    ...countDown('kc', 'k_loop'),
    ['end'],
  ]
  const body: Instr[] = [
    // acc = accumulate ? C tile : 0
    get('accumulate'),
    ['if', 'load_c'],
    get('c'), set('c_row'),
    ...rows.flatMap((r): Instr[] => [
      get('c_row'), ['v128.load', {}], set(acc(r, 0)),
      get('c_row'), ['v128.load', { offset: 16 }], set(acc(r, 1)),
      ...addTo('c_row', 'ldc_bytes'),
    ]),
    ['else'],
    ...accs.flatMap((a): Instr[] => [['f32.const', 0], ['f32x4.splat'], set(a)]),
    ['end'],
    ...(pins.length === 0 ? [...kLoop, ...storeTile] : [
      ['block', 'pinned'],
      ...kLoop,
      ...storeTile,
      ['return'],
      ['end'],
      // Reached only if the never-set word is set: the pins' exit, which must read every accumulator.
      ...storeTile,
    ] as Instr[]),
  ]
  return {
    name: `tile_${height}`,
    export: false,
    params: [['a', 'i32'], ['b', 'i32'], ['c', 'i32'], ['ldc_bytes', 'i32'], ['kc', 'i32'], ['accumulate', 'i32']],
    locals: [['c_row', 'i32'], ...accs.map((a): [string, ValType] => [a, 'v128']),
      ['b0123', 'v128'], ['b4567', 'v128'], ['va', 'v128'], ...(shuffled ? [['a0123', 'v128']] as const : [])],
    body,
  }
}

/**
 * gemm(ap, bp, c, ldc, panelsM, panelsN, kc, accumulate): every pair of an A panel and a B
 * panel gives one tile of C (row stride ldc floats). All counts must be at least 1.
 * gemm_R (R < MR) computes only the first R rows of one A panel: the ragged last panel, so that
 * no work is spent on padding.
 */
function gemmFunction(c: KernelConfig, height: number): FunctionSpec {
  const { mr, nr } = c
  const body: Instr[] = [
    get('ldc'), i32(4), ['i32.mul'], set('ldc_bytes'),
    get('kc'), i32(4 * mr), ['i32.mul'], set('a_stride'),
    get('kc'), i32(4 * nr), ['i32.mul'], set('b_stride'),
    // for each row panel (outer) and column panel (inner)
    ['loop', 'm_loop'],
    get('bp'), set('b_panel'),
    get('c'), set('c_tile'),
    get('panels_n'), set('j'),
    ['loop', 'n_loop'],
    get('ap'), get('b_panel'), get('c_tile'), get('ldc_bytes'), get('kc'), get('accumulate'),
    ['call', `tile_${height}`],
    ...addTo('b_panel', 'b_stride'),
    ...addTo('c_tile', 4 * nr),
    ...countDown('j', 'n_loop'),
    ['end'],
    ...addTo('ap', 'a_stride'),
    get('c'), get('ldc_bytes'), i32(mr), ['i32.mul'], ['i32.add'], set('c'),
    ...countDown('panels_m', 'm_loop'),
    ['end'],
  ]
  const i32s = (...names: string[]): [string, ValType][] => names.map((n) => [n, 'i32'])
  return {
    name: height === mr ? 'gemm' : `gemm_${height}`,
    params: i32s('ap', 'bp', 'c', 'ldc', 'panels_m', 'panels_n', 'kc', 'accumulate'),
    locals: i32s('ldc_bytes', 'a_stride', 'b_stride', 'b_panel', 'c_tile', 'j'),
    body,
  }
}

/** Lane offsets of the 4-wide blocks that cover a panel of `width` lanes (the last may overlap). */
function laneBlocks(width: number): number[] {
  const starts: number[] = []
  for (let s = 0; s + 4 <= width; s += 4) starts.push(s)
  if (width % 4 !== 0) starts.push(width - 4)
  return starts
}

/** k rows that pack_contiguous copies per visit of a panel. */
const ROWS_PER_VISIT = 8

/**
 * pack_contiguous_W(src, ld, kc, panels, dst, panel_bytes): full panels whose W lanes are
 * contiguous in the source: dst[p][kk*W + l] = src[kk*ld + p*W + l], with one v128 load and
 * store per block of 4 lanes. Rows first: the source is read row by row, left to right, for all
 * the panels (twice as fast as panel by panel, which reads a column strip per panel). Each visit
 * of a panel copies 8 rows, so that it writes 32·W contiguous bytes, whole cache lines, at once.
 * Visiting every panel once per row wrote a part of a line per visit, and when panel_bytes is a
 * multiple of 4096 (kc = 256) all those lines fall into one cache set and were evicted before the
 * next rows filled them: 3 to 4 times slower (1.60 against 0.43 ns/float for W = 4, 0.80 against
 * 0.26 for W = 8, 784 columns). Leftover rows go one at a time.
 */
function packContiguous(width: number): FunctionSpec {
  const K = ROWS_PER_VISIT
  const rowPointer = (q: number): Instr[] => (q === 0 ? [get('s')] : [get('s'), get(`ld_x${q}`), ['i32.add']])
  /** Copies `rows` rows of the current group into every panel. */
  const visitPanels = (rows: number, label: string): Instr[] => [
    get('src'), set('s'),
    get('dst'), set('d'),
    get('panels'), set('p'),
    ['loop', label],
    ...[...Array(rows).keys()].flatMap((q) => laneBlocks(width).flatMap((l): Instr[] => [
      get('d'), ...rowPointer(q), ['v128.load', { offset: 4 * l, align: 4 }],
      ['v128.store', { offset: 4 * (q * width + l), align: 4 }],
    ])),
    ...addTo('s', 4 * width),
    ...addTo('d', 'panel_bytes'),
    ...countDown('p', label),
    ['end'],
  ]
  return {
    name: `pack_contiguous_${width}`,
    params: [['src', 'i32'], ['ld', 'i32'], ['kc', 'i32'], ['panels', 'i32'], ['dst', 'i32'], ['panel_bytes', 'i32']],
    locals: [['ld_bytes', 'i32'], ...[...Array(K).keys()].slice(1).map((q): [string, ValType] => [`ld_x${q}`, 'i32']),
      ['s', 'i32'], ['d', 'i32'], ['p', 'i32']],
    body: [
      get('ld'), i32(4), ['i32.mul'], set('ld_bytes'),
      ...[...Array(K).keys()].slice(1).flatMap((q): Instr[] => [get('ld_bytes'), i32(q), ['i32.mul'], set(`ld_x${q}`)]),
      // groups of K rows
      ['block', 'groups_done'],
      get('kc'), i32(K), ['i32.lt_u'], ['br_if', 'groups_done'],
      ['loop', 'group_loop'],
      ...visitPanels(K, 'panel_loop'),
      get('src'), get('ld_bytes'), i32(K), ['i32.mul'], ['i32.add'], set('src'),
      ...addTo('dst', 4 * width * K),
      get('kc'), i32(K), ['i32.sub'], tee('kc'), i32(K), ['i32.ge_u'], ['br_if', 'group_loop'],
      ['end'],
      ['end'],
      // the rows left over, one at a time
      ['block', 'rows_done'],
      get('kc'), ['i32.eqz'], ['br_if', 'rows_done'],
      ['loop', 'row_loop'],
      ...visitPanels(1, 'row_panel_loop'),
      ...addTo('src', 'ld_bytes'),
      ...addTo('dst', 4 * width),
      ...countDown('kc', 'row_loop'),
      ['end'],
      ['end'],
    ],
  }
}

/** i8x16.shuffle lane pattern selecting f32 lanes (0-3 from the first operand, 4-7 from the second). */
const f32Lanes = (...lanes: number[]): number[] => lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])

/**
 * pack_strided_W(src, ld, kc4, dst): a full panel whose lanes are strided in the source
 * (dst[kk*W + l] = src[l*ld + kk]), four k at a time: load 4 consecutive k of each lane's row,
 * then transpose each block of 4 lanes with 8 shuffles (interleave pairs of rows, then pairs of
 * pairs); a lane left over (W = 5) is stored one element at a time with v128.store32_lane.
 * kc4 counts groups of 4 k; the JS side packs a remainder of k with pack_lanes.
 */
function packStrided(width: number): FunctionSpec {
  const lanes = [...Array(width).keys()]
  const body: Instr[] = [
    get('ld'), i32(4), ['i32.mul'], set('ld_bytes'),
    ['loop', 'k_loop'],
    // row pointers: src + l*ld_bytes
    get('src'), set('p'),
    ...lanes.flatMap((l): Instr[] =>
      [get('p'), ['v128.load', { align: 4 }], set(`row${l}`), ...addTo('p', 'ld_bytes')]),
  ]
  for (let s = 0; s + 4 <= width; s += 4) {
    const [r0, r1, r2, r3] = [s, s + 1, s + 2, s + 3].map((l) => `row${l}`)
    body.push(
      get(r0), get(r1), ['i8x16.shuffle', f32Lanes(0, 4, 1, 5)], set('t0'),
      get(r0), get(r1), ['i8x16.shuffle', f32Lanes(2, 6, 3, 7)], set('t1'),
      get(r2), get(r3), ['i8x16.shuffle', f32Lanes(0, 4, 1, 5)], set('t2'),
      get(r2), get(r3), ['i8x16.shuffle', f32Lanes(2, 6, 3, 7)], set('t3'),
      // output row kk+q holds lanes s..s+3 at k = kk+q
      get('dst'), get('t0'), get('t2'), ['i8x16.shuffle', f32Lanes(0, 1, 4, 5)],
      ['v128.store', { offset: 4 * s, align: 4 }],
      get('dst'), get('t0'), get('t2'), ['i8x16.shuffle', f32Lanes(2, 3, 6, 7)],
      ['v128.store', { offset: 4 * (width + s), align: 4 }],
      get('dst'), get('t1'), get('t3'), ['i8x16.shuffle', f32Lanes(0, 1, 4, 5)],
      ['v128.store', { offset: 4 * (2 * width + s), align: 4 }],
      get('dst'), get('t1'), get('t3'), ['i8x16.shuffle', f32Lanes(2, 3, 6, 7)],
      ['v128.store', { offset: 4 * (3 * width + s), align: 4 }],
    )
  }
  for (let l = width - (width % 4); l < width; l++) {
    for (let q = 0; q < 4; q++) {
      body.push(get('dst'), get(`row${l}`), ['v128.store32_lane', { offset: 4 * (q * width + l) }, q])
    }
  }
  body.push(...addTo('src', 16), ...addTo('dst', 16 * width), ...countDown('kc4', 'k_loop'), ['end'])
  return {
    name: `pack_strided_${width}`,
    params: [['src', 'i32'], ['ld', 'i32'], ['kc4', 'i32'], ['dst', 'i32']],
    locals: [['ld_bytes', 'i32'], ['p', 'i32'], ...lanes.map((l): [string, ValType] => [`row${l}`, 'v128']),
      ['t0', 'v128'], ['t1', 'v128'], ['t2', 'v128'], ['t3', 'v128']],
    body,
  }
}

/**
 * pack_lanes(src, lane_stride, k_stride, kc, valid, width, dst): the general scalar packer for
 * edge panels and leftover k: dst[kk*width + l] = l < valid ? src[l*lane_stride + kk*k_stride] : 0.
 * Strides are in floats.
 */
function packLanes(): FunctionSpec {
  return {
    name: 'pack_lanes',
    params: [['src', 'i32'], ['lane_stride', 'i32'], ['k_stride', 'i32'], ['kc', 'i32'],
      ['valid', 'i32'], ['width', 'i32'], ['dst', 'i32']],
    locals: [['l', 'i32'], ['p', 'i32']],
    body: [
      get('lane_stride'), i32(4), ['i32.mul'], set('lane_stride'),
      get('k_stride'), i32(4), ['i32.mul'], set('k_stride'),
      ['loop', 'k_loop'],
      i32(0), set('l'),
      get('src'), set('p'),
      ['loop', 'lane_loop'],
      get('l'), get('valid'), ['i32.lt_u'],
      ['if', 'in_range'],
      get('dst'), get('p'), ['f32.load', {}], ['f32.store', {}],
      ['else'],
      get('dst'), ['f32.const', 0], ['f32.store', {}],
      ['end'],
      ...addTo('p', 'lane_stride'),
      ...addTo('dst', 4),
      get('l'), i32(1), ['i32.add'], tee('l'), get('width'), ['i32.lt_u'], ['br_if', 'lane_loop'],
      ['end'],
      ...addTo('src', 'k_stride'),
      ...countDown('kc', 'k_loop'),
      ['end'],
    ],
  }
}

/** The whole module for one kernel build: gemm plus the packing functions it needs. */
export function buildGemmModule(c: KernelConfig, memory: MemoryImport): ModuleBuilder {
  const m = new ModuleBuilder().importMemory(memory)
  for (let h = c.mr; h >= 1; h--) m.addFunction(tileFunction(c, h)).addFunction(gemmFunction(c, h))
  for (const w of [...new Set([c.mr, c.nr])]) m.addFunction(packContiguous(w)).addFunction(packStrided(w))
  return m.addFunction(packLanes())
}

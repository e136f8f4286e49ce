/**
 * The jobs the pool runs, split into tasks that any thread can claim.
 * - A GEMM block (`runTasks`): first the B panels are packed, then chunks of row panels are
 *   packed from A and multiplied.
 * - An elementwise kernel over a long range (`runElementwise`): chunks of the range.
 * The main thread and the pool's workers all run the job; tasks are claimed with Atomics.add on
 * counters in a control block at the start of the shared WASM memory, so a late or absent worker
 * only means the others claim more. Each output element is computed by exactly one thread with
 * the same instructions, so results do not depend on the number of threads.
 *
 * NOTE: both functions are sent to workers as source text (Function.prototype.toString), so
 * they must be self-contained: no imports and no module-level names; everything arrives as
 * arguments.
 */

/** Int32 slots of the control block (byte offset 0 of the WASM memory). */
export const CONTROL = {
  generation: 0, // bumped to start a job; workers wait on it
  inside: 1, // workers currently inside a job
  nextPack: 2, donePack: 3, nextChunk: 4, doneChunk: 5, // claim and completion counters
  error: 6, // set by a worker whose task threw
  aStaged: 10, // set once A is in WASM memory: B can be packed before that
  open: 11, // the generation whose job may be joined; 0 while the caller rewrites the job
  crashTest: 7, // tests set it to make workers throw outside a job
  epoch: 8, // the current pool's number; workers of an older pool exit when they see a new one
  ready: 9, // epoch * 256 + the number of that epoch's workers that have instantiated the kernel
  neverSet: 15, // always 0: the kernel's pins test it (gemm_kernel.ts, NEVER_SET_ADDRESS)
  // job parameters (byte offsets and sizes)
  rawA: 16, lda: 17, transA: 18, ap: 19,
  rawB: 20, ldb: 21, transB: 22, bp: 23, packB: 24,
  c: 25, ldc: 26, mc: 27, nc: 28, kc: 29,
  panelsM: 30, panelsN: 31, chunkPanels: 32, chunks: 33, accumulate: 34, mr: 35,
  groupB: 36, groupA: 37, // panels per packing task
  kind: 38, // the job: 0 a GEMM block, 1 an elementwise kernel
  // elementwise jobs: the function (its index among the module's exports), its arguments
  // (ewArgs.., float32 where bit i of ewFloats is set), the bytes each pointer argument advances
  // per unit of the range (ewStrides.., 0 for the others), which one is the count of units (quads,
  // or images for the window kernels), and the chunking
  ewFunction: 39, ewArgCount: 40, ewQuadsArg: 41, ewFloats: 43, ewQuads: 44, ewChunkQuads: 45,
  ewArgs: 48, // 24 slots
  ewStrides: 72, // 24 slots
} as const
export type ControlLayout = typeof CONTROL

/** Bytes reserved for the control block. */
export const CONTROL_BYTES = 512
/** The most chunks an elementwise job is cut into. */
export const EW_MAX_CHUNKS = 64

/** The kernel module's exports, as the tasks call them. Pointers are byte offsets. */
export interface KernelExports {
  gemm(ap: number, bp: number, c: number, ldc: number, panelsM: number, panelsN: number, kc: number,
    accumulate: number): void
  pack_lanes(src: number, laneStride: number, kStride: number, kc: number, valid: number, width: number,
    dst: number): void
  [packer: string]: (...args: number[]) => void
}

export function runTasks(ctl: Int32Array, ex: KernelExports, L: ControlLayout): void {
  const NR = 8
  const mr = ctl[L.mr]
  const kc = ctl[L.kc]
  const kc4 = kc >> 2
  const kRest = kc & 3
  // Packs panels first..first+count-1 of `width` lanes of an operand with `rows` valid lanes,
  // staged at `src` with row length `ld`. The lanes are contiguous in the source (consecutive
  // columns; k steps by ld) or strided (consecutive rows; k contiguous). Full panels take the
  // SIMD packers; a ragged last panel and leftover k take pack_lanes.
  const pack = (src: number, ld: number, contiguous: boolean, rows: number, width: number, first: number,
    count: number, dst: number): void => {
    const panelBytes = 4 * kc * width
    const full = Math.max(0, Math.min(count, Math.floor(rows / width) - first))
    if (contiguous && full > 0) {
      ex[`pack_contiguous_${width}`](src + 4 * first * width, ld, kc, full, dst + first * panelBytes, panelBytes)
    }
    const strided = ex[`pack_strided_${width}`] // looked up once, not once per panel
    for (let p = first; p < first + count; p++) {
      const at = src + 4 * p * width * (contiguous ? 1 : ld)
      const out = dst + p * panelBytes
      const valid = Math.min(width, rows - p * width)
      if (valid < width) ex.pack_lanes(at, contiguous ? 1 : ld, contiguous ? ld : 1, kc, valid, width, out)
      else if (!contiguous) {
        if (kc4 > 0) strided(at, ld, kc4, out)
        if (kRest > 0) ex.pack_lanes(at + 16 * kc4, ld, 1, kRest, width, width, out + 16 * kc4 * width)
      }
    }
  }
  const panelsM = ctl[L.panelsM]
  const panelsN = ctl[L.panelsN]
  // Packing tasks: groups of B panels (unless this B block is packed already), then of A panels.
  const groupB = ctl[L.groupB]
  const groupA = ctl[L.groupA]
  const groupsB = ctl[L.packB] ? Math.ceil(panelsN / groupB) : 0
  const groups = groupsB + Math.ceil(panelsM / groupA)
  for (let t = Atomics.add(ctl, L.nextPack, 1); t < groups; t = Atomics.add(ctl, L.nextPack, 1)) {
    if (t < groupsB) {
      // B panel p: columns 8p..8p+7 of op(B), contiguous unless B is transposed.
      const first = t * groupB
      pack(ctl[L.rawB], ctl[L.ldb], ctl[L.transB] === 0, ctl[L.nc], NR,
        first, Math.min(groupB, panelsN - first), ctl[L.bp])
    } else {
      while (Atomics.load(ctl, L.aStaged) === 0) {
        // A is still being copied in
      }
      // A panel q: rows q*mr.. of op(A), contiguous only if A is transposed.
      const first = (t - groupsB) * groupA
      pack(ctl[L.rawA], ctl[L.lda], ctl[L.transA] !== 0, ctl[L.mc], mr,
        first, Math.min(groupA, panelsM - first), ctl[L.ap])
    }
    Atomics.add(ctl, L.donePack, 1)
  }
  // Every panel must be packed before any tile is computed.
  while (Atomics.load(ctl, L.donePack) < groups) {
    // spin: the wait is a few microseconds
  }
  const per = ctl[L.chunkPanels]
  const chunks = ctl[L.chunks]
  // The last A panel may hold fewer than mr rows; it gets the kernel for exactly that many.
  const lastRows = ctl[L.mc] - (panelsM - 1) * mr
  const ldc = ctl[L.ldc]
  for (let ch = Atomics.add(ctl, L.nextChunk, 1); ch < chunks; ch = Atomics.add(ctl, L.nextChunk, 1)) {
    const q0 = ch * per
    const q1 = Math.min(panelsM, q0 + per)
    const full = q1 === panelsM && lastRows < mr ? q1 - q0 - 1 : q1 - q0
    const c = ctl[L.c] + 4 * q0 * mr * ldc
    if (full > 0) ex.gemm(ctl[L.ap] + 4 * q0 * kc * mr, ctl[L.bp], c, ldc, full, panelsN, kc, ctl[L.accumulate])
    if (full < q1 - q0) {
      ex[`gemm_${lastRows}`](ctl[L.ap] + 4 * (q1 - 1) * kc * mr, ctl[L.bp], c + 4 * full * mr * ldc,
        ldc, 1, panelsN, kc, ctl[L.accumulate])
    }
    Atomics.add(ctl, L.doneChunk, 1)
  }
}

/**
 * Runs the chunks of the published elementwise job that no other thread has claimed. Chunk c
 * covers quads [c·per, (c+1)·per) of the range: the advancing pointers move 16 bytes per quad,
 * and the count argument becomes the chunk's length. `functions` are the elementwise module's
 * exports in export order (the same on every thread).
 */
export function runElementwise(ctl: Int32Array, functions: ((...args: number[]) => void)[], L: ControlLayout): void {
  const floats = new Float32Array(ctl.buffer, ctl.byteOffset, ctl.length)
  const fn = functions[ctl[L.ewFunction]]
  const count = ctl[L.ewArgCount]
  const quadsArg = ctl[L.ewQuadsArg]
  const isFloat = ctl[L.ewFloats]
  const base: number[] = []
  for (let i = 0; i < count; i++) base.push((isFloat >> i) & 1 ? floats[L.ewArgs + i] : ctl[L.ewArgs + i])
  const args = base.slice()
  const total = ctl[L.ewQuads]
  const per = ctl[L.ewChunkQuads]
  const chunks = ctl[L.chunks]
  for (let ch = Atomics.add(ctl, L.nextChunk, 1); ch < chunks; ch = Atomics.add(ctl, L.nextChunk, 1)) {
    const first = ch * per
    for (let i = 0; i < count; i++) args[i] = base[i] + ctl[L.ewStrides + i] * first
    args[quadsArg] = Math.min(per, total - first)
    fn(...args)
    Atomics.add(ctl, L.doneChunk, 1)
  }
}

/**
 * The choice of register tile, measured: the WASM kernel built with other tiles
 * (createGemmBackend's `tile` option) against the two builds the library uses, on the three
 * products of a 784-256 layer at batch 256 (A·B, Aᵀ·dY, dY·Bᵀ), one thread, operands in an arena
 * (no copies). See packages/tensor/src/kernels/wasm/gemm_kernel.ts for why tiles are pinned.
 *
 *   pnpm bench tiles [--quick] [--rounds N] [--out results/tiles.jsonl]
 *
 * Cases are interleaved in rounds; "vs build" is the median over rounds of the same-round
 * speed ratio to the library's build of the same instruction set (FMA or plain SIMD).
 */
import { createGemmBackend, Rng, type StandaloneGemm, type TileOption } from '@latent/tensor'
import { args, machine, measureRounds, printTable, speedup, writeJsonLines } from './harness.js'

interface Tile { label: string; fma: boolean; tile: TileOption; build?: true }

const TILES: Tile[] = [
  { label: 'FMA 5x8, rows 0-3 by shuffles, no pin (the FMA build)', fma: true, tile: { mr: 5, broadcast: 'shuffle' },
    build: true },
  { label: 'FMA 4x8, no pin', fma: true, tile: { mr: 4 } },
  { label: 'FMA 5x8, pinned after row 2', fma: true, tile: { mr: 5, pinAfter: [2] } },
  { label: 'FMA 5x8, no pin', fma: true, tile: { mr: 5 } },
  { label: 'FMA 6x8, pinned after every row', fma: true, tile: { mr: 6, pinAfter: [0, 1, 2, 3, 4] } },
  { label: 'SIMD 5x8, pinned after rows 1 and 3 (the plain build)', fma: false, tile: { mr: 5, pinAfter: [1, 3] },
    build: true },
  { label: 'SIMD 5x8, pinned after row 2', fma: false, tile: { mr: 5, pinAfter: [2] } },
  { label: 'SIMD 4x8, no pin', fma: false, tile: { mr: 4 } },
  { label: 'SIMD 5x8, rows 0-3 by shuffles, no pin', fma: false, tile: { mr: 5, broadcast: 'shuffle' } },
]

const SHAPES = [
  { name: 'A·B', label: '256x784 @ 784x256', dims: { m: 256, n: 256, k: 784, transA: false, transB: false } },
  { name: 'Aᵀ·B', label: '(256x784)ᵀ @ 256x256', dims: { m: 784, n: 256, k: 256, transA: true, transB: false } },
  { name: 'A·Bᵀ', label: '256x256 @ (784x256)ᵀ', dims: { m: 256, n: 784, k: 256, transA: false, transB: true } },
]

const opts = args()
const quick = opts.has('quick')
const rounds = Number(opts.get('rounds') ?? (quick ? 3 : 9))
const perRound = { maxTime: quick ? 0.1 : 0.25, minSamples: 3 }
const out = opts.get('out') ?? 'results/tiles.jsonl'
const info = machine()
const records: object[] = []

const backends: StandaloneGemm[] = TILES.map((t) => createGemmBackend('wasm', { fma: t.fma, threads: 1, tile: t.tile }))
const rng = new Rng(1)
const gflops: string[][] = TILES.map(() => [])
const ratios: string[][] = TILES.map(() => [])
for (const s of SHAPES) {
  const { m: rows, n: cols, k: depth } = s.dims
  const a = rng.uniform([rows * depth], -1, 1).data as Float32Array
  const b = rng.uniform([depth * cols], -1, 1).data as Float32Array
  const cases: Record<string, () => void> = {}
  const arenas = backends.map((backend, i) => {
    const arena = backend.createArena(4 * (a.length + b.length + rows * cols) + 256)
    const [ra, rb, rc] = [arena.allocate(a.length)!, arena.allocate(b.length)!, arena.allocate(rows * cols)!]
    ra.set(a)
    rb.set(b)
    cases[TILES[i].label] = () => backend.gemm({ ...s.dims, a: ra, aOffset: 0, b: rb, bOffset: 0, c: rc, cOffset: 0 })
    return arena
  })
  const m = measureRounds(cases, rounds, perRound)
  TILES.forEach((t, i) => {
    const build = TILES.find((u) => u.build && u.fma === t.fma)!
    const rate = 2 * rows * cols * depth / m[t.label].median / 1e9
    const ratio = speedup(m[t.label], m[build.label])
    gflops[i].push(rate.toFixed(1))
    ratios[i].push(ratio.toFixed(3))
    records.push({
      bench: 'tiles', tile: t.label, fma: t.fma, mr: t.tile.mr, pinAfter: t.tile.pinAfter ?? [], shape: s.label,
      ...s.dims, gflops: rate, vsBuild: ratio, rounds, ...info,
    })
  })
  arenas.forEach((arena) => arena.dispose())
  console.error(`measured ${s.label}`)
}
backends.forEach((b) => b.close())
printTable(['tile', ...SHAPES.map((s) => s.name), ...SHAPES.map((s) => `vs build, ${s.name}`)],
  TILES.map((t, i) => [t.label, ...gflops[i], ...ratios[i]]))
console.log(`${SHAPES.map((s) => `${s.name} = ${s.label}`).join(', ')}: GFLOP/s, one thread, operands in an arena;`)
console.log(`median over ${rounds} interleaved rounds (${info.cpu}, Node ${info.node}).`)
console.log('vs build: same-round speed ratio to the library build of the same instruction set, ' +
  'median over rounds (> 1 is faster).')
writeJsonLines(out, records)
console.log(`JSON lines appended to bench/${out}`)

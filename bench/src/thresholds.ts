/**
 * Where the dispatch thresholds come from: the time of one product of square matrices of side
 * s, for the JS kernel, the WASM FMA kernel on one thread, and on two threads with the parallel
 * threshold removed. 'auto' uses JS below the first crossover (SMALL_PRODUCT in
 * packages/tensor/src/kernels/select.ts) and two threads above the second (parallelThreshold in
 * packages/tensor/src/kernels/wasm/backend.ts).
 *
 *   pnpm bench thresholds [--quick]
 */
import { createGemmBackend, Rng } from '@latent/tensor'
import { args, machine, measureRounds, printTable, writeJsonLines } from './harness.js'

const quick = args().has('quick')
const js = createGemmBackend('js')
const one = createGemmBackend('wasm', { fma: true, threads: 1 })
const two = createGemmBackend('wasm', { fma: true, threads: 2, parallelThreshold: 0 })
for (let t = 0; t < 500 && two.readyWorkers < 1; t++) await new Promise((r) => setTimeout(r, 20))
const rng = new Rng(1)
const rows: string[][] = []
const records: object[] = []
for (const s of [4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256]) {
  const a = rng.uniform([s * s]).data as Float32Array
  const b = rng.uniform([s * s]).data as Float32Array
  const c = new Float32Array(s * s)
  const p = { m: s, n: s, k: s, a, aOffset: 0, transA: false, b, bOffset: 0, transB: false, c, cOffset: 0 }
  const m = measureRounds({ js: () => js.gemm(p), one: () => one.gemm(p), two: () => two.gemm(p) }, quick ? 2 : 5,
    { maxTime: quick ? 0.05 : 0.15, minSamples: 5 })
  const us = (k: 'js' | 'one' | 'two'): string => (m[k].median * 1e6).toFixed(1)
  rows.push([`${s}³`, us('js'), us('one'), us('two'), m.one.median < m.js.median ? 'WASM' : 'JS',
    m.two.median < m.one.median ? '2' : '1'])
  records.push({
    bench: 'thresholds', side: s, jsUs: m.js.median * 1e6, wasmUs: m.one.median * 1e6, wasm2Us: m.two.median * 1e6,
    ...machine(),
  })
}
one.close()
two.close()
printTable(['size', 'JS (µs)', 'WASM FMA (µs)', 'WASM FMA x2 (µs)', 'faster', 'threads'], rows)
writeJsonLines('results/thresholds.jsonl', records)

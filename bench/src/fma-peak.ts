/**
 * The WASM ceiling of one core: CHAINS independent chains of f32x4.relaxed_madd (or mul then add),
 * emitted with the project's emitter, enough to cover the FMA latency on both FMA pipes, with no
 * memory traffic. `pnpm bench peak` shows it beside the kernel; `pnpm bench autoencoder` measures
 * it right after each training run, to state training as a fraction of it.
 */
import { ModuleBuilder, type Instr } from '../../packages/tensor/src/kernels/wasm/emitter.js'

export const CHAINS = 12
export const ITERATIONS = 20_000_000 // about 0.05 to 0.1 s per measurement

/**
 * peak(n): n iterations of CHAINS independent multiply-adds of 4 lanes; returns a lane of their sum
 * (keeps them live).
 */
export function peakModule(fma: boolean): (n: number) => number {
  const acc = Array.from({ length: CHAINS }, (_, i) => `acc${i}`)
  const get = (n: string): Instr => ['local.get', n]
  const step = (a: string): Instr[] => fma
    ? [get(a), get('x'), get('y'), ['f32x4.relaxed_madd'], ['local.set', a]]
    : [get(a), get('x'), ['f32x4.mul'], get('y'), ['f32x4.add'], ['local.set', a]]
  const bytes = new ModuleBuilder().addFunction({
    name: 'peak',
    params: [['n', 'i32']],
    results: ['f64'],
    locals: [...acc, 'x', 'y'].map((v) => [v, 'v128'] as const),
    body: [
      ['f32.const', 0.999], ['f32x4.splat'], ['local.set', 'x'],
      ['f32.const', 0.0001], ['f32x4.splat'], ['local.set', 'y'],
      ...acc.flatMap((a, i): Instr[] => [['f32.const', i], ['f32x4.splat'], ['local.set', a]]),
      ['loop', 'k'],
      ...acc.flatMap(step),
      get('n'), ['i32.const', 1], ['i32.sub'], ['local.tee', 'n'], ['br_if', 'k'],
      ['end'],
      get('acc0'), ...acc.slice(1).flatMap((a): Instr[] => [get(a), ['f32x4.add']]),
      ['f64x2.promote_low_f32x4'], ['f64x2.extract_lane', 0],
    ],
  }).toBytes()
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes))
  return instance.exports.peak as (n: number) => number
}

/** GFLOP/s of one call of a peak function (8 flops per multiply-add of 4 lanes). */
export function peakGflops(peak: (n: number) => number): number {
  const start = performance.now()
  peak(ITERATIONS)
  return (ITERATIONS * CHAINS * 8) / ((performance.now() - start) * 1e6)
}


/** Floating-point operations of one training sample of 784-256-64-256-784: 3 x 2·Σ in·out. */
export const FLOPS_PER_SAMPLE = 3 * 2 * (784 * 256 + 256 * 64 + 64 * 256 + 256 * 784)

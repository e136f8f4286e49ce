/**
 * The SIMD elementwise kernels (elementwise_kernel.ts) run for tensors in arenas; the JavaScript
 * kernels are the reference. Float32 add, sub, mul, div, comparisons, negation, squaring and relu
 * are exactly rounded in both, so results must be identical, bit for bit, including the tails
 * (n % 4) done in JavaScript and every broadcast form. Outputs start as NaN to catch skipped lanes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as T from '../src/index.js'
import { Arena } from '../src/index.js'
import { selectedBackend } from '../src/kernels/select.js'

describe('SIMD elementwise kernels on arena tensors', () => {
  beforeAll(() => T.setBackend('wasm'))
  afterAll(() => T.setBackend('auto'))

  const rng = new T.Rng(3)
  const poisoned = (arena: Arena, shape: readonly number[]): T.Tensor => {
    const t = arena.zeros(shape)
    t.data.fill(NaN)
    return t
  }
  const same = (got: T.Tensor, want: T.Tensor): void => {
    expect(got.shape).toEqual(want.shape)
    expect(Array.from(got.data)).toEqual(Array.from(want.data))
  }

  it('binary ops, same shape and broadcast, match the JavaScript kernels exactly', () => {
    const arena = new Arena(1 << 22)
    // Values with zeros, negatives, and NaN (greater must give 0 for NaN).
    const make = (shape: number[]): T.Tensor => {
      const t = rng.normal(shape)
      t.data[0] = 0
      if (t.size > 5) t.data[5] = NaN
      return t
    }
    for (const [sa, sb] of [[[7, 13], [7, 13]], [[5, 16], [16]], [[6, 9], [9]], [[4, 11], []], [[], [3, 10]], [[1], [257]], [[3], [3]]] as number[][][]) {
      const a = make(sa)
      const b = make(sb)
      for (const op of ['add', 'sub', 'mul', 'div', 'greater', 'reluGrad'] as const) {
        const want = T[op](a, b)
        const got = T[op](arena.copy(a), arena.copy(b), poisoned(arena, want.shape))
        same(got, want)
      }
    }
    expect(arena.resident).toBe(true)
  })

  it('sigmoidGrad in SIMD (three float32 roundings) is within 3 ulp of the JavaScript kernel (one rounding)', () => {
    const arena = new Arena(1 << 22)
    const g = rng.normal([37, 29])
    const y = T.sigmoid(rng.normal([37, 29], 0, 4))
    const want = T.sigmoidGrad(g, y)
    for (const [a, b] of [[g, y], [g, T.slice(y, 0, 0, 1)], [T.slice(g, 0, 0, 1), y]]) {
      const expected = T.sigmoidGrad(a, b)
      const got = T.sigmoidGrad(arena.copy(a), arena.copy(b), poisoned(arena, expected.shape))
      for (let i = 0; i < got.size; i++) expect(Math.abs(got.data[i] - expected.data[i])).toBeLessThanOrEqual(3 * 2 ** -24 * Math.abs(expected.data[i]) + 2 ** -149)
    }
    expect(want.size).toBe(37 * 29)
  })

  it('sigmoid (a polynomial exponential) is within 2 ulp of the JavaScript kernel, from -100 to 100, NaN included', () => {
    const arena = new Arena(1 << 22)
    // 40003 floats: 10000 quads (the kernel's pairs) and 3 in JavaScript; 29: 7 quads, so the
    // kernel's single-quad tail runs too. Outputs start as NaN.
    for (const n of [40003, 29]) {
      const x = T.linspace(-100, 100, n)
      x.data[17] = NaN
      x.data[18] = Infinity
      x.data[19] = -Infinity
      const want = T.sigmoid(x)
      const got = T.withArena(arena, () => T.sigmoid(arena.copy(x), poisoned(arena, [n])))
      expect(selectedBackend().wasm!.holds(got.data)).toBe(true)
      let worst = 0
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(want.data[i])) {
          expect(got.data[i]).toBeNaN()
          continue
        }
        const ulp = Math.max(Math.abs(want.data[i]) * 2 ** -23, 2 ** -149)
        worst = Math.max(worst, Math.abs(got.data[i] - want.data[i]) / ulp)
      }
      expect(worst).toBeLessThanOrEqual(2)
      expect(got.data[18]).toBe(1)
      expect(got.data[19]).toBeLessThanOrEqual(2 ** -149)
    }
  })

  it('sums over leading axes (bias gradients) agree with the float64-accumulated JavaScript sum', () => {
    const arena = new Arena(1 << 22)
    for (const shape of [[256, 64], [7, 19], [3, 5, 18]]) {
      const x = rng.normal(shape)
      const want = T.sum(x, { axis: 0 })
      const got = T.withArena(arena, () => T.sum(arena.copy(x), { axis: 0 }))
      expect(selectedBackend().wasm!.holds(got.data)).toBe(true)
      // float32 accumulation of shape[0] terms: |error| <= n·2⁻²⁴·Σ|x|
      const bound = T.sum(T.abs(x), { axis: 0 })
      for (let i = 0; i < want.size; i++) expect(Math.abs(got.data[i] - want.data[i])).toBeLessThanOrEqual(shape[0] * 2 ** -24 * bound.data[i] + 1e-7)
    }
    // Recycled arena memory is cleared for sums (they accumulate), even after a reset.
    arena.reset()
    arena.zeros([1000]).data.fill(7)
    arena.reset()
    expect(Array.from(T.withArena(arena, () => T.sum(arena.copy(T.ones([4, 16])), { axis: 0 })).data)).toEqual(new Array(16).fill(4))
  })

  it('sums along the last axis (a loss, a mean) run in SIMD, in float64 like the JavaScript sum', () => {
    const arena = new Arena(1 << 22)
    const wasm = selectedBackend().wasm!
    const original = wasm.elementwise.sum
    let calls = 0
    ;(wasm.elementwise as unknown as Record<string, unknown>).sum = (a: number, quads: number) => { calls++; return original(a, quads) }
    try {
      for (const [shape, axis] of [[[1001], undefined], [[7, 37], -1], [[3, 16], 1], [[2, 3, 40], [1, 2]]] as [number[], number | number[] | undefined][]) {
        const x = rng.normal(shape, 0, 3)
        const want = T.sum(x, { axis })
        const got = T.withArena(arena, () => T.sum(arena.copy(x), { axis }))
        const n = x.size / want.size
        const bound = T.sum(T.abs(x), { axis })
        // float64 sums in another order, each rounded to float32 once
        for (let i = 0; i < want.size; i++) expect(Math.abs(got.data[i] - want.data[i])).toBeLessThanOrEqual(2 ** -23 * Math.abs(want.data[i]) + n * 2 ** -52 * bound.data[i])
      }
      expect(calls).toBeGreaterThan(0)
      const withNaN = rng.normal([64])
      withNaN.data[40] = NaN
      expect(T.withArena(arena, () => T.sum(arena.copy(withNaN))).data[0]).toBeNaN()
    } finally {
      ;(wasm.elementwise as unknown as Record<string, unknown>).sum = original
    }
  })

  it("the MSE loss's fused passes (squaredDistance and its gradient) give the composition's numbers exactly, in an arena and not", () => {
    const arena = new Arena(1 << 22)
    const wasm = selectedBackend().wasm!
    const calls: string[] = []
    const watched = ['sum_squared_difference', 'squared_difference_grad'] as const
    const originals = watched.map((name) => wasm.elementwise[name])
    watched.forEach((name, i) => {
      ;(wasm.elementwise as unknown as Record<string, unknown>)[name] = (...args: number[]) => { calls.push(name); return (originals[i] as (...a: number[]) => number)(...args) }
    })
    try {
      // 7 and 13: under 16 floats; 1001 and 4099: quads and a JavaScript tail.
      for (const shape of [[7], [13], [7, 143], [4099]]) {
        const x = rng.normal(shape, 0, 3)
        const y = rng.normal(shape, 0, 3)
        const g = T.scalar(rng.normal([1]).data[0])
        const composed = (a: T.Tensor, b: T.Tensor): [T.Tensor, T.Tensor] => {
          const d = T.sub(a, b)
          const t = T.mul(T.broadcastTo(g, shape), d)
          return [T.sum(T.mul(d, d)), T.add(t, t)]
        }
        const [sumPlain, gradPlain] = composed(x, y)
        same(T.squaredDistance(x, y), sumPlain)
        same(T.squaredDistanceGrad(g, x, y, T.full(shape, NaN)), gradPlain)
        const [xa, ya] = [arena.copy(x), arena.copy(y)]
        const [sumResident, gradResident] = T.withArena(arena, () => composed(xa, ya))
        T.withArena(arena, () => {
          same(T.squaredDistance(xa, ya), sumResident)
          same(T.squaredDistanceGrad(arena.copy(g), xa, ya, poisoned(arena, shape)), gradResident)
        })
        // b's gradient is a's with the operands swapped: its exact negative.
        same(T.squaredDistanceGrad(g, y, x), T.neg(gradPlain))
      }
      expect(calls).toContain('sum_squared_difference')
      expect(calls).toContain('squared_difference_grad')
    } finally {
      watched.forEach((name, i) => { (wasm.elementwise as unknown as Record<string, unknown>)[name] = originals[i] })
    }
    expect(() => T.squaredDistance(T.ones([3]), T.ones([4]))).toThrow(/squaredDistance: shapes \[3\] and \[4\] differ/)
    expect(() => T.squaredDistanceGrad(T.ones([2]), T.ones([3]), T.ones([3]))).toThrow(/g must hold one value, got shape \[2\]/)
    expect(T.squaredDistance(T.tensor([1, 2]), T.tensor([0, 4])).data[0]).toBe(5)
  })

  it('broadcast copies (a bias over a batch) match, tails included', () => {
    const arena = new Arena(1 << 20)
    for (const n of [16, 19, 64, 101]) {
      const bias = rng.normal([n])
      const got = T.withArena(arena, () => T.broadcastTo(arena.copy(bias), [7, n]))
      expect(selectedBackend().wasm!.holds(got.data)).toBe(true)
      same(got, T.broadcastTo(bias, [7, n]))
    }
    // Rows of the last two axes are one call each: a rank-3 broadcast (rows repeated within
    // each outer index) and a column slice (rows of a wider matrix), tails included.
    const cube = rng.normal([5, 1, 19])
    same(T.withArena(arena, () => T.broadcastTo(arena.copy(cube), [5, 3, 19])), T.broadcastTo(cube, [5, 3, 19]))
    const wide = rng.normal([6, 41])
    for (const [start, end] of [[4, 37], [0, 41], [3, 22]]) {
      const got = T.withArena(arena, () => T.slice(arena.copy(wide), 1, start, end))
      expect(selectedBackend().wasm!.holds(got.data)).toBe(true)
      same(got, T.slice(wide, 1, start, end))
    }
    // A column repeated along rows (stride 0 inside a row) is a fill, in an arena or not.
    const column = T.tensor([[1.5], [-2], [NaN]])
    const want = Array.from({ length: 3 * 20 }, (_, i) => [1.5, -2, NaN][Math.floor(i / 20)])
    expect(Array.from(T.broadcastTo(column, [3, 20]).data)).toEqual(want)
    expect(Array.from(T.withArena(arena, () => T.broadcastTo(arena.copy(column), [3, 20])).data)).toEqual(want)
  })

  it('unary ops match, and ops on ordinary tensors never touch the SIMD kernels', () => {
    const arena = new Arena(1 << 20)
    for (const n of [1, 4, 7, 64, 1001]) {
      const x = rng.normal([n])
      x.data[0] = NaN
      for (const op of ['neg', 'square', 'relu'] as const) same(T[op](arena.copy(x), poisoned(arena, [n])), T[op](x))
    }
    // In place (out is the operand) works too.
    const x = arena.copy(rng.normal([33]))
    const want = T.relu(x)
    same(T.relu(x, x), want)
    const wasm = selectedBackend().wasm!
    const calls: string[] = []
    const original = wasm.elementwise.add_11
    ;(wasm.elementwise as unknown as Record<string, unknown>).add_11 = (...args: number[]) => { calls.push('add'); original(args[0], args[1], args[2], args[3]) }
    try {
      T.add(rng.normal([8]), rng.normal([8]))
      expect(calls).toEqual([])
      T.add(arena.copy(rng.normal([8])), arena.copy(rng.normal([8]))) // the output is not in the arena
      expect(calls).toEqual([])
      const sum = T.withArena(arena, () => T.add(arena.copy(rng.normal([8])), arena.copy(rng.normal([8]))))
      expect(calls).toEqual(['add'])
      expect(selectedBackend().wasm!.holds(sum.data)).toBe(true)
    } finally {
      ;(wasm.elementwise as unknown as Record<string, unknown>).add_11 = original
    }
  })
})

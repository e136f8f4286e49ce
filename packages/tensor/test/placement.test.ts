/**
 * Where a tensor lives never changes a number. Elementwise work over tensors in an arena runs the
 * SIMD kernels of elementwise_kernel.ts; over ordinary tensors, the JavaScript kernels. Every op
 * with a SIMD kernel must give the JavaScript kernel's result bit for bit, tails (n % 4) and every
 * broadcast form included; arena outputs start as NaN to catch skipped lanes, and each check
 * also asserts that the SIMD kernel really ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as T from '../src/index.js'
import { Arena, type Tensor } from '../src/index.js'
import { selectedBackend } from '../src/kernels/select.js'

/**
 * The bits of a float32 array (a float64 array as it is), so that -0 differs from 0. Every NaN
 * counts as one value: WebAssembly leaves a NaN's sign and payload to the engine (which operand's
 * NaN a multiplication of two NaNs returns depends on the registers V8 picks).
 */
const bits = (t: Tensor): number[] => Array.from(
  t.dtype === 'float32' ? new Uint32Array(new Float32Array(t.data).buffer) : t.data,
  (b, i) => (Number.isNaN(t.data[i]) ? NaN : b),
)

/** Asserts equal bits, naming the first element that differs. */
function same(got: Tensor, want: Tensor, what = ''): void {
  const [g, w] = [bits(got), bits(want)]
  const at = g.findIndex((v, i) => !Object.is(v, w[i]))
  expect(at === -1 ? 'equal' : `${what}: element ${at} is ${got.data[at]}, expected ${want.data[at]}`).toBe('equal')
  expect(got.shape).toEqual(want.shape)
}

/** Runs fn while counting calls of the named SIMD kernels. */
function watching<R>(names: readonly string[], fn: () => R): { result: R; calls: Record<string, number> } {
  const kernels = selectedBackend().runtime!.elementwise.kernels
  const calls: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]))
  const originals = names.map((n) => kernels[n])
  names.forEach((n, i) => { kernels[n] = (...args: number[]) => { calls[n]++; return originals[i](...args) } })
  try {
    return { result: fn(), calls }
  } finally {
    names.forEach((n, i) => { kernels[n] = originals[i] })
  }
}

describe('the same numbers in an arena (SIMD) and in ordinary memory (JavaScript)', () => {
  beforeAll(() => T.setBackend('wasm'))
  afterAll(() => T.setBackend('auto'))

  const rng = new T.Rng(3)
  let arena: Arena
  beforeAll(() => { arena = new Arena(1 << 22, { grow: true }) })
  afterAll(() => arena.dispose())
  const inArena = <R>(fn: () => R): R => T.withArena(arena, fn)
  const poisoned = (shape: readonly number[]): Tensor => inArena(() => T.full(shape, NaN))
  const resident = (t: Tensor): boolean => selectedBackend().runtime!.memory.holds(t.data)
  /** Values with zeros, negatives, NaN and infinities. */
  const awkward = (shape: number[], std = 3): Tensor => {
    const t = rng.normal(shape, 0, std)
    const specials = [0, -0, NaN, Infinity, -Infinity, 1e-40]
    specials.forEach((v, i) => { if (7 * i < t.size) t.data[7 * i] = v })
    return t
  }

  it('binary ops, same shape and every broadcast form, ragged lengths', () => {
    const shapes = [
      [[7, 13], [7, 13]], [[5, 16], [16]], [[6, 9], [9]], [[4, 11], []], [[], [3, 10]], [[1], [257]], [[3], [3]],
      [[2, 1001], [2, 1001]],
    ]
    const ops = ['add', 'sub', 'mul', 'div', 'greater', 'maximum', 'equal', 'less', 'reluGrad', 'sigmoidGrad'] as const
    const { calls } = watching(ops.map((op) => `${op}_11`), () => {
      for (const [sa, sb] of shapes) {
        const a = awkward(sa)
        for (const op of ops) {
          const bv = op === 'sigmoidGrad' ? T.sigmoid(awkward(sb)) : awkward(sb)
          const want = T[op](a, bv)
          const got = T[op](inArena(() => T.clone(a)), inArena(() => T.clone(bv)), poisoned(want.shape))
          expect(resident(got)).toBe(true)
          same(got, want, `${op} ${JSON.stringify([sa, sb])}`)
        }
      }
    })
    for (const op of ops) expect(calls[`${op}_11`], op).toBeGreaterThan(0)
  })

  it('unary ops, sigmoid and log included, over -100..100 with NaN and infinities, in place too', () => {
    const ops = ['neg', 'square', 'relu', 'sigmoid', 'log'] as const
    const { calls } = watching(ops, () => {
      for (const n of [1, 4, 7, 29, 1001, 40003]) {
        const x = T.linspace(-100, 100, n)
        x.data.set([NaN, Infinity, -Infinity, -0, 1e-40].slice(0, n))
        for (const op of ops) {
          const want = T[op](x)
          same(T[op](inArena(() => T.clone(x)), poisoned([n])), want, `${op} n=${n}`)
          const inPlace = inArena(() => T.clone(x))
          same(T[op](inPlace, inPlace), want)
        }
      }
    })
    for (const op of ops) expect(calls[op], op).toBeGreaterThan(0)
  })

  it('sums along runs and across rows, by the sum rule', () => {
    const { calls } = watching(['sum', 'sum_rows'], () => {
      for (const [shape, axis] of [
        [[1001], undefined], [[7, 37], -1], [[3, 16], 1], [[2, 3, 40], [1, 2]], [[256, 67], 0], [[3, 5, 18], 0],
        [[9, 6, 7], 1],
      ] as [number[], number | number[] | undefined][]) {
        const x = awkward(shape)
        x.data[3] = 0 // keep the NaN of awkward() out of some sums
        const clean = rng.normal(shape, 0, 3)
        for (const t of [x, clean]) {
          const want = T.sum(t, { axis })
          const got = inArena(() => T.sum(T.clone(t), { axis }))
          expect(resident(got)).toBe(true)
          same(got, want, JSON.stringify(shape))
        }
      }
    })
    expect(calls.sum).toBeGreaterThan(0)
    expect(calls.sum_rows).toBeGreaterThan(0)
  })

  it("the MSE loss's fused passes equal the composition's numbers, in an arena and not", () => {
    const { calls } = watching(['sum_squared_difference', 'squared_difference_grad'], () => {
      for (const shape of [[7], [13], [7, 143], [4099]]) {
        const x = rng.normal(shape, 0, 3)
        const y = rng.normal(shape, 0, 3)
        const g = T.scalar(rng.normal([1]).data[0])
        const composed = (a: Tensor, b: Tensor): [Tensor, Tensor] => {
          const d = T.sub(a, b)
          const t = T.mul(T.broadcastTo(g, shape), d)
          return [T.sum(T.mul(d, d)), T.add(t, t)]
        }
        const [sumPlain, gradPlain] = composed(x, y)
        same(T.squaredDistance(x, y), sumPlain)
        same(T.squaredDistanceGrad(g, x, y, T.full(shape, NaN)), gradPlain)
        const [xa, ya] = inArena(() => [T.clone(x), T.clone(y)])
        inArena(() => {
          same(T.squaredDistance(xa, ya), sumPlain)
          same(T.squaredDistanceGrad(T.clone(g), xa, ya, poisoned(shape)), gradPlain)
        })
        // b's gradient is a's with the operands swapped: its exact negative.
        same(T.squaredDistanceGrad(g, y, x), T.neg(gradPlain))
      }
    })
    expect(calls.sum_squared_difference).toBeGreaterThan(0)
    expect(calls.squared_difference_grad).toBeGreaterThan(0)
    expect(() => T.squaredDistance(T.ones([3]), T.ones([4]))).toThrow(/squaredDistance: shapes \[3\] and \[4\] differ/)
    expect(() => T.squaredDistanceGrad(T.ones([2]), T.ones([3]), T.ones([3])))
      .toThrow(/g must hold one value, got shape \[2\]/)
    expect(T.squaredDistance(T.tensor([1, 2]), T.tensor([0, 4])).data[0]).toBe(5)
  })

  it('row copies: a bias over a batch, a rank-3 broadcast, column slices; a repeated value is a fill', () => {
    const { calls } = watching(['copy_rows'], () => {
      for (const n of [3, 16, 19, 64, 101]) {
        const bias = rng.normal([n])
        const got = inArena(() => T.broadcastTo(T.clone(bias), [7, n]))
        expect(resident(got)).toBe(true)
        same(got, T.broadcastTo(bias, [7, n]))
      }
      const cube = rng.normal([5, 1, 19])
      same(inArena(() => T.broadcastTo(T.clone(cube), [5, 3, 19])), T.broadcastTo(cube, [5, 3, 19]))
      const wide = rng.normal([6, 41])
      for (const [start, end] of [[4, 37], [0, 41], [3, 22]]) {
        same(inArena(() => T.slice(T.clone(wide), 1, start, end)), T.slice(wide, 1, start, end))
      }
    })
    expect(calls.copy_rows).toBeGreaterThan(0)
    const column = T.tensor([[1.5], [-2], [NaN]])
    same(inArena(() => T.broadcastTo(T.clone(column), [3, 20])), T.broadcastTo(column, [3, 20]))
  })

  it('convolution windows: im2col (zero and -∞ padding) and col2im, strides, odd sizes, one image and more', () => {
    const windows: [number[], T.Window2d][] = [
      [[3, 2, 7, 5], { kernel: [3, 3], stride: [2, 2], padding: [1, 1] }],
      [[1, 3, 6, 7], { kernel: [2, 3], stride: [1, 2], padding: [0, 1] }],
      [[4, 1, 28, 28], { kernel: [3, 3], stride: [2, 2], padding: [1, 1], padValue: -Infinity }],
    ]
    const { calls } = watching(['im2col', 'col2im'], () => {
      for (const [shape, w] of windows) {
        const x = rng.normal(shape)
        const rows = T.im2col(x, w)
        same(inArena(() => T.im2col(T.clone(x), w)), rows, `im2col ${shape}`)
        const g = rng.normal(rows.shape as number[])
        same(inArena(() => T.col2im(T.clone(g), shape, w)), T.col2im(g, shape, w), `col2im ${shape}`)
      }
    })
    expect(calls.im2col).toBe(3)
    expect(calls.col2im).toBe(3)
  })

  it('Adam updates, with L2 and with decoupled decay, over several steps', () => {
    for (const decoupled of [false, true]) {
      const n = 1003
      const init = [rng.normal([n]), rng.normal([n], 0, 0.1)]
      const ordinary = [T.clone(init[0]), T.zeros([n]), T.zeros([n])]
      const [p, m, v] = inArena(() => [T.clone(init[0]), T.zeros([n]), T.zeros([n])])
      const { calls } = watching(['adam'], () => {
        for (let step = 1; step <= 5; step++) {
          const g = awkward([n], 0.1)
          g.data[0] = 1e-3 // keep the run finite
          g.data[14] = 0.5
          const h = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled, step }
          T.adamUpdate(ordinary[0], g, ordinary[1], ordinary[2], undefined, h)
          T.adamUpdate(p, inArena(() => T.clone(g)), m, v, undefined, h)
        }
      })
      expect(calls.adam).toBe(5)
      same(p, ordinary[0])
      same(m, ordinary[1])
      same(v, ordinary[2])
    }
    expect(() => T.adamUpdate(T.zeros([3]), T.zeros([4]), T.zeros([3]), T.zeros([3]), undefined,
      { lr: 1, beta1: 0.9, beta2: 0.9, eps: 1, weightDecay: 0, decoupled: false, step: 1 }))
      .toThrow('adamUpdate: a state or gradient tensor is float32 [4], the parameter float32 [3]')
  })
})

describe('float32 log', () => {
  it('is within 2 ulp of the exact value from the smallest subnormal to the largest float, ' +
    'and Math.log at the edges', () => {
    const sweep = Array.from({ length: 40000 }, (_, i) => 2 ** (-149 + (277 * i) / 40000))
    const x = T.tensor([...sweep, 1, 0.5, 2, 0.7071, 0.7072])
    const got = T.log(x)
    let worst = 0
    for (let i = 0; i < x.size; i++) {
      const exact = Math.log(x.data[i])
      const ulp = Math.max(Math.abs(exact) * 2 ** -23, 2 ** -149)
      worst = Math.max(worst, Math.abs(got.data[i] - exact) / ulp)
    }
    expect(worst).toBeLessThanOrEqual(2)
    expect(Array.from(T.log(T.tensor([0, -0, -1, Infinity, NaN, -Infinity])).data))
      .toEqual([-Infinity, -Infinity, NaN, Infinity, NaN, NaN])
  })
})

describe('float32 sigmoid', () => {
  it('is within 2 ulp of the exact value from -100 to 100, and 1 or below the smallest float at ±infinity', () => {
    const x = T.linspace(-100, 100, 40001)
    const got = T.sigmoid(x)
    let worst = 0
    for (let i = 0; i < x.size; i++) {
      const v = x.data[i]
      const exact = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))
      const ulp = Math.max(Math.abs(exact) * 2 ** -23, 2 ** -149)
      worst = Math.max(worst, Math.abs(got.data[i] - exact) / ulp)
    }
    expect(worst).toBeLessThanOrEqual(2)
    expect(worst).toBeGreaterThan(0) // a polynomial, not Math.exp
    expect(Array.from(T.sigmoid(T.tensor([Infinity, 0, NaN])).data)).toEqual([1, 0.5, NaN])
    expect(T.sigmoid(T.tensor([-Infinity])).data[0]).toBeLessThanOrEqual(2 ** -149)
  })
})

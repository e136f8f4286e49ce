/**
 * Gradient checks driven by the op table: every primitive has cases here (a primitive without
 * one fails the suite), each checked in float64 against central differences, first order on
 * every input element with a random cotangent, and second order (double backward). Inputs are
 * random shapes from a seeded generator, moved away from kinks and ties.
 */
import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng, type Tensor } from '@latent/tensor'
import * as A from '../src/index.js'
import { PRIMITIVES, type PrimitiveName } from '../src/ops.js'
import type { Value } from '../src/value.js'

interface Case {
  label: string
  inputs: (rng: Rng) => Tensor[]
  f: (...xs: Value[]) => Value
  /** Skip the second-order check (a function whose VJP is exactly constant in x is still checked). */
  firstOrderOnly?: boolean
}

const dims = (rng: Rng, rank: number, max = 4): number[] => Array.from({ length: rank }, () => 1 + rng.int(max))
const normal = (rng: Rng, shape: number[], scale = 1): Tensor => rng.normal(shape, 0, scale, 'float64')
const uniform = (rng: Rng, shape: number[], low: number, high: number): Tensor =>
  rng.uniform(shape, low, high, 'float64')
/** Values at least `gap` away from 0, either sign: away from the kinks of relu, abs and maximum. */
const awayFromZero = (rng: Rng, shape: number[], gap = 0.2): Tensor => {
  const t = uniform(rng, shape, gap, 2)
  for (let i = 0; i < t.size; i++) if (rng.float() < 0.5) t.data[i] = -t.data[i]
  return t
}
/** Distinct values, so max has a unique argmax. */
const distinct = (rng: Rng, shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1)
  const perm = rng.permutation(n)
  return new T.Tensor(Float64Array.from(perm, (p) => p * 0.37 - n * 0.1), shape)
}

/** Convolution windows over odd-sized image batches: padding, strides, a non-square kernel. */
const WINDOWS: [number[], T.Window2d][] = [
  [[2, 2, 5, 6], { kernel: [3, 3], stride: [1, 1], padding: [1, 1] }],
  [[1, 3, 6, 7], { kernel: [2, 3], stride: [2, 2], padding: [0, 0] }],
  [[2, 1, 7, 5], { kernel: [3, 3], stride: [2, 2], padding: [1, 1] }],
]

const unaryCase = (name: string, f: (x: Value) => Value, inputs: (rng: Rng, shape: number[]) => Tensor): Case => ({
  label: name,
  inputs: (rng) => [inputs(rng, dims(rng, 1 + rng.int(3)))],
  f,
})

const CASES: Record<PrimitiveName, Case[]> = {
  neg: [unaryCase('neg', A.neg, normal)],
  exp: [unaryCase('exp', A.exp, normal)],
  log: [unaryCase('log', A.log, (r, s) => uniform(r, s, 0.5, 3))],
  log1p: [unaryCase('log1p', A.log1p, (r, s) => uniform(r, s, -0.5, 3))],
  sqrt: [unaryCase('sqrt', A.sqrt, (r, s) => uniform(r, s, 0.3, 3))],
  sin: [unaryCase('sin', A.sin, (r, s) => normal(r, s, 2))],
  cos: [unaryCase('cos', A.cos, (r, s) => normal(r, s, 2))],
  tanh: [unaryCase('tanh', A.tanh, normal)],
  sigmoid: [unaryCase('sigmoid', A.sigmoid, (r, s) => normal(r, s, 3))],
  softplus: [unaryCase('softplus', A.softplus, (r, s) => normal(r, s, 3))],
  relu: [unaryCase('relu', A.relu, awayFromZero)],
  erf: [unaryCase('erf', A.erf, (r, s) => normal(r, s, 2))],
  add: [
    { label: 'add, same shape',
      inputs: (r) => { const s = dims(r, 2); return [normal(r, s), normal(r, s)] }, f: A.add },
    { label: 'add, bias broadcast over rows',
      inputs: (r) => { const [m, n] = dims(r, 2); return [normal(r, [m, n]), normal(r, [n])] }, f: A.add },
  ],
  sub: [{ label: 'sub, broadcast both ways',
    inputs: (r) => { const [m, n] = dims(r, 2); return [normal(r, [m, 1]), normal(r, [1, n])] }, f: A.sub }],
  mul: [
    { label: 'mul', inputs: (r) => { const s = dims(r, 3); return [normal(r, s), normal(r, s)] }, f: A.mul },
    { label: 'mul by itself (one input used twice)', inputs: (r) => [normal(r, dims(r, 2))], f: (x) => A.mul(x, x) },
  ],
  div: [{ label: 'div',
    inputs: (r) => { const s = dims(r, 2); return [normal(r, s), awayFromZero(r, s, 0.5)] }, f: A.div }],
  pow: [
    { label: 'pow, both differentiable',
      inputs: (r) => { const s = dims(r, 2); return [uniform(r, s, 0.5, 2), normal(r, s)] }, f: A.pow },
    { label: 'pow, constant exponent', inputs: (r) => [uniform(r, dims(r, 2), 0.5, 2)], f: (x) => A.pow(x, 3) },
  ],
  maximum: [{
    label: 'maximum',
    inputs: (r) => {
      const s = dims(r, 2)
      const a = normal(r, s)
      const b = T.add(a, awayFromZero(r, s, 0.1))
      return [a, b]
    },
    f: A.maximum,
  }],
  where: [{
    label: 'where',
    inputs: (r) => { const s = dims(r, 2); return [normal(r, s), normal(r, s)] },
    f: (a, b) => A.where(T.greater(a.data, 0), a, b),
  }],
  sum: [
    { label: 'sum, all', inputs: (r) => [normal(r, dims(r, 3))], f: (x) => A.sum(x) },
    { label: 'sum, axes [0, 2] keepdims',
      inputs: (r) => [normal(r, dims(r, 3))], f: (x) => A.sum(x, { axis: [0, 2], keepdims: true }) },
    { label: 'sum, last axis', inputs: (r) => [normal(r, dims(r, 2))], f: (x) => A.sum(x, { axis: -1 }) },
  ],
  squaredDistance: [{ label: 'squaredDistance',
    inputs: (r) => { const s = dims(r, 2); return [normal(r, s), normal(r, s)] }, f: A.squaredDistance }],
  max: [
    { label: 'max over an axis', inputs: (r) => [distinct(r, dims(r, 2))], f: (x) => A.max(x, { axis: 1 }) },
    { label: 'max of all', inputs: (r) => [distinct(r, dims(r, 3))], f: (x) => A.max(x) },
  ],
  reshape: [{ label: 'reshape', inputs: (r) => [normal(r, [2, 3, 4])], f: (x) => A.reshape(x, [4, -1]) }],
  permute: [{ label: 'permute', inputs: (r) => [normal(r, dims(r, 3))], f: (x) => A.permute(x, [2, 0, 1]) }],
  expand: [{ label: 'expand', inputs: (r) => [normal(r, [3, 1])], f: (x) => A.expand(x, [2, 3, 4]) }],
  slice: [{ label: 'slice', inputs: (r) => [normal(r, [3, 7])], f: (x) => A.slice(x, 1, 2, 5) }],
  pad: [{ label: 'pad', inputs: (r) => [normal(r, [3, 2])], f: (x) => A.pad(x, { axis: 0, before: 1, after: 2 }) }],
  concat: [{ label: 'concat of three',
    inputs: (r) => [normal(r, [2, 1]), normal(r, [2, 3]), normal(r, [2, 2])], f: (a, b, c) => A.concat([a, b, c], 1) }],
  gather: [{ label: 'gather with repeats', inputs: (r) => [normal(r, [4, 3])], f: (x) => A.gather(x, [3, 0, 3, 1]) }],
  scatterAdd: [{ label: 'scatterAdd',
    inputs: (r) => [normal(r, [4, 3])], f: (x) => A.scatterAdd(x, { indices: [2, 0, 2, 1], axis: 0, size: 5 }) }],
  im2col: WINDOWS.map(([shape, w]): Case => ({
    label: `im2col ${w.kernel.join('x')} stride ${w.stride[0]} padding ${w.padding[0]} of ${T.formatShape(shape)}`,
    inputs: (r) => [normal(r, shape)],
    f: (x) => A.apply(PRIMITIVES.im2col, [x], { ...w, shape }),
  })),
  col2im: WINDOWS.map(([shape, w]): Case => ({
    label: `col2im ${w.kernel.join('x')} stride ${w.stride[0]} padding ${w.padding[0]} into ${T.formatShape(shape)}`,
    inputs: (r) => [normal(r, T.im2col(T.zeros(shape), w).shape as number[])],
    f: (x) => A.apply(PRIMITIVES.col2im, [x], { ...w, shape }),
  })),
  matmul: [
    ...[false, true].flatMap((ta) => [false, true].map((tb): Case => ({
      label: `matmul transposeA=${ta} transposeB=${tb}`,
      inputs: (r) => {
        const [m, n, k] = dims(r, 3, 5)
        return [normal(r, ta ? [k, m] : [m, k]), normal(r, tb ? [n, k] : [k, n])]
      },
      f: (a, b) => A.matmul(a, b, { transposeA: ta, transposeB: tb }),
    }))),
    { label: 'matmul batched 3-D',
      inputs: (r) => [normal(r, [2, 3, 4]), normal(r, [2, 4, 2])], f: (a, b) => A.matmul(a, b) },
    { label: 'matmul 3-D by shared 2-D',
      inputs: (r) => [normal(r, [2, 3, 4]), normal(r, [5, 4])], f: (a, b) => A.matmul(a, b, { transposeB: true }) },
    { label: 'matmul shared 2-D by 3-D',
      inputs: (r) => [normal(r, [3, 4]), normal(r, [2, 4, 2])], f: (a, b) => A.matmul(a, b) },
  ],
}

describe('the op table', () => {
  it('every primitive has gradient checks, and every check names a primitive', () => {
    expect(Object.keys(PRIMITIVES).filter((n) => !(n in CASES))).toEqual([])
    expect(Object.keys(CASES).filter((n) => !(n in PRIMITIVES))).toEqual([])
  })

  for (const [name, cases] of Object.entries(CASES)) {
    for (const c of cases) {
      it(`${name}: ${c.label}: first and second order against finite differences`, () => {
        for (let seed = 1; seed <= 3; seed++) {
          const inputs = c.inputs(new Rng(seed))
          try {
            A.gradcheck(c.f, inputs, { seed })
            if (!c.firstOrderOnly) A.gradgradcheck(c.f, inputs, { seed })
          } catch (e) {
            const shapes = inputs.map((t) => T.formatShape(t.shape)).join(' ')
            throw new Error(`[seed ${seed}, shapes ${shapes}] ${(e as Error).message}`)
          }
        }
      })
    }
  }
})

describe('the checks themselves can fail', () => {
  const wrong = {
    name: 'wrongSquare',
    forward: ([x]: readonly Tensor[]) => T.square(x),
    vjp: [(g: Value, [x]: readonly Value[]) => A.mul(g, x)], // should be 2x
  }
  const wrongSecond = {
    name: 'wrongSecondOrder',
    forward: ([x]: readonly Tensor[]) => T.square(x),
    // right value, but detached: no second derivative
    vjp: [(g: Value, [x]: readonly Value[]) => A.mul(g, A.mul(x.detach(), 2))],
  }
  const x = new Rng(1).normal([3], 0, 1, 'float64')

  it('gradcheck and dotProductTest catch a wrong VJP', () => {
    expect(() => A.gradcheck((v) => A.apply(wrong, [v], undefined), [x]))
      .toThrow(/gradcheck: input 0, element 0: analytic/)
    expect(() => A.dotProductTest((v) => A.apply(wrong, [v], undefined), [x])).toThrow(/dotProductTest: trial 0/)
  })

  it('gradgradcheck catches a VJP that is right to first order only', () => {
    expect(() => A.gradcheck((v) => A.apply(wrongSecond, [v], undefined), [x])).not.toThrow()
    expect(() => A.gradgradcheck((v) => A.apply(wrongSecond, [v], undefined), [x])).toThrow(/gradcheck: input 0/)
  })

  it('refuses float32 inputs', () => {
    expect(() => A.gradcheck(A.exp, [T.ones([2])])).toThrow(/input 0 is float32; finite differences need float64/)
  })
})

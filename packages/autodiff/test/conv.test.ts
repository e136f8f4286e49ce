/**
 * Convolutions, transposed convolutions, pooling and upsampling against PyTorch 1.13
 * (fixtures/conv.json, written by fixtures/generate_conv.py, which defines the same cases): the
 * output, and for the scalar Σ tanh(output)² the gradient of every input and a Hessian-vector
 * product (double backward through im2col and col2im). Inputs cover strides 1 and 2, padding 0
 * and 1, output padding, odd sizes, a non-square kernel, and batches of 1 and more.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import * as A from '../src/index.js'
import type { Value } from '../src/index.js'

interface Encoded { shape: number[]; data: number[] }
interface Case {
  name: string; inputs: Encoded[]; output: Encoded; grads: Encoded[]; directions: Encoded[]; hvp: Encoded[]
}
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/conv.json', import.meta.url), 'utf8')) as { cases: Case[] }
const t64 = (e: Encoded): T.Tensor => T.tensor(e.data, { shape: e.shape, dtype: 'float64' })

const conv = (stride: number, padding: number) => (x: Value, w: Value, b: Value): Value =>
  A.conv2d(x, w, b, { stride, padding })
const convT = (stride: number, padding: number, outputPadding: number) => (x: Value, w: Value, b: Value): Value =>
  A.convTranspose2d(x, w, b, { stride, padding, outputPadding })

const CASES: Record<string, (...xs: Value[]) => Value> = {
  conv_s1_p0: conv(1, 0),
  conv_s2_p1: conv(2, 1),
  conv_s2_p1_batch1_k2x3: conv(2, 1),
  conv_s1_p1_odd: conv(1, 1),
  conv_t_s2_p1_op1: convT(2, 1, 1),
  conv_t_s1_p0: convT(1, 0, 0),
  conv_t_s2_p0_batch1: convT(2, 0, 0),
  conv_t_s2_p1_op1_odd: convT(2, 1, 1),
  max_pool_k2: (x) => A.maxPool2d(x, 2),
  max_pool_k3_s2_p1_odd: (x) => A.maxPool2d(x, 3, { stride: 2, padding: 1 }),
  avg_pool_k2: (x) => A.avgPool2d(x, 2),
  avg_pool_k3_s1_p1: (x) => A.avgPool2d(x, 3, { stride: 1, padding: 1 }),
  upsample_nearest_2: (x) => A.upsampleNearest2d(x, 2),
}

const close = (got: ArrayLike<number>, want: number[], tol: number, what: string): void => {
  expect(got.length, what).toBe(want.length)
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) {
      throw new Error(`${what}[${i}] = ${got[i]}, PyTorch ${want[i]}`)
    }
  }
}

describe('convolution ops against PyTorch', () => {
  it('covers every fixture', () => {
    expect(fixtures.cases.map((c) => c.name).sort()).toEqual(Object.keys(CASES).sort())
  })

  for (const c of fixtures.cases) {
    it(`${c.name}: output, gradients and Hessian-vector product to 1e-10`, () => {
      const xs = c.inputs.map((e) => new A.Value(t64(e), { requiresGrad: true }))
      const out = CASES[c.name](...xs)
      expect(out.shape).toEqual(c.output.shape)
      close(out.data.data, c.output.data, 1e-12, 'output')
      const scalar = A.sum(A.square(A.tanh(out)))
      const grads = A.gradients([scalar], xs, { createGraph: true })
      grads.forEach((g, i) => close(g.data.data, c.grads[i].data, 1e-10, `grad ${i}`))
      const dirs = c.directions.map(t64)
      const inner = grads.map((g, i) => A.sum(A.mul(g, dirs[i]))).reduce((a, b) => A.add(a, b))
      A.gradients([inner], xs).forEach((h, i) => close(h.data.data, c.hvp[i].data, 1e-9, `hvp ${i}`))
    })
  }

  it('refuses what does not fit, naming the op, the shapes and the parameter', () => {
    const x = T.zeros([1, 2, 5, 5])
    expect(() => A.conv2d(x, T.zeros([4, 3, 3, 3])))
      .toThrow(/conv2d: weight \[4, 3, 3, 3\] does not fit images \[1, 2, 5, 5\]/)
    expect(() => A.conv2d(x, T.zeros([4, 2, 9, 3])))
      .toThrow('conv2d: the kernel (9) is larger than the padded input (5 + 2·0)')
    expect(() => A.conv2d(x, T.zeros([4, 2, 3, 3]), undefined, { stride: 0 })).toThrow(/stride/)
    expect(() => A.conv2d(x, T.zeros([4, 2, 3, 3]), T.zeros([3])))
      .toThrow('conv2d: bias [3] does not match 4 output channels')
    expect(() => A.convTranspose2d(x, T.zeros([2, 3, 3, 3]), undefined, { stride: 2, outputPadding: 2 }))
      .toThrow('convTranspose2d: outputPadding (2, 2) must be smaller than the stride (2, 2)')
    expect(() => A.maxPool2d(x, 2, { padding: 2 }))
      .toThrow('maxPool2d: padding (2, 2) must be at most half the kernel (2, 2)')
    expect(() => A.maxPool2d(T.zeros([2, 5, 5]), 2)).toThrow('maxPool2d: expected images [N, C, H, W], got [2, 5, 5]')
  })

  it('max pooling sends the gradient to the first largest value of a window, as PyTorch does', () => {
    const data = T.tensor([0, 0, 0, 0, 1, 3, 3, 2], { shape: [1, 2, 2, 2], dtype: 'float64' })
    const x = new A.Value(data, { requiresGrad: true })
    A.sum(A.maxPool2d(x, 2)).backward()
    expect(Array.from(x.grad!.data.data)).toEqual([1, 0, 0, 0, 0, 1, 0, 0])
  })
})

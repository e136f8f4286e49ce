/**
 * Values, gradients and Hessian-vector products of composite functions against PyTorch 1.13
 * (fixtures/composites.json, written by fixtures/generate.py, which defines the same functions).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import * as A from '../src/index.js'
import type { Value } from '../src/index.js'

interface Encoded { shape: number[]; data: number[] }
interface Case {
  name: string; inputs: Encoded[]; output: number; grads: Encoded[]; directions: Encoded[]; hvp: Encoded[]
}
const fixtureText = readFileSync(new URL('./fixtures/composites.json', import.meta.url), 'utf8')
const fixtures = JSON.parse(fixtureText) as { target: Encoded; cases: Case[] }
const t64 = (e: Encoded): T.Tensor => T.tensor(e.data, { shape: e.shape, dtype: 'float64' })
const target = t64(fixtures.target)

const FUNCTIONS: Record<string, (...xs: Value[]) => Value> = {
  tanh_layer: (x, w, b) => A.sum(A.square(A.tanh(A.add(A.matmul(x, w, { transposeB: true }), b)))),
  log_softmax_xent: (x) => A.neg(A.sum(A.mul(A.logSoftmax(x, 1), target))),
  sigmoid_gauss_lse: (x, y) =>
    A.add(A.mean(A.mul(A.sigmoid(x), A.exp(A.neg(A.square(y))))), A.sum(A.logSumExp(A.mul(x, y), { axis: 0 }))),
  softplus_sqrt: (a, b) => A.sum(A.mul(A.softplus(A.sub(a, b)), A.sqrt(A.add(A.square(b), 1)))),
  variance_max: (x) =>
    A.add(A.sum(A.variance(x, { axis: 0 })), A.sum(A.mul(A.max(x, { axis: 1 }), A.mean(x, { axis: 1 })))),
  mlp_bce: (x, w1, w2) => {
    const p = A.sigmoid(A.matmul(A.relu(A.add(A.matmul(x, w1, { transposeB: true }), 0.1)), w2, { transposeB: true }))
    // BCE with target 0.3, PyTorch's mean reduction: -(t log p + (1 - t) log(1 - p))
    return A.mean(A.neg(A.add(A.mul(A.log(p), 0.3), A.mul(A.log(A.sub(1, p)), 0.7))))
  },
  div_pow_log1p: (x, y) =>
    A.sum(A.add(A.div(A.log1p(A.square(x)), A.add(A.square(y), 1)), A.pow(A.add(A.square(x), 1), y))),
  matmul_batched: (a, b) => A.sum(A.pow(A.tanh(A.matmul(a, b)), 2)),
}

describe('composite functions against PyTorch', () => {
  it('covers every fixture', () => {
    expect(fixtures.cases.map((c) => c.name).sort()).toEqual(Object.keys(FUNCTIONS).sort())
  })

  for (const c of fixtures.cases) {
    it(`${c.name}: value, gradients and Hessian-vector product to 1e-10`, () => {
      const f = FUNCTIONS[c.name]
      const xs = c.inputs.map((e) => new A.Value(t64(e), { requiresGrad: true }))
      const out = f(...xs)
      expect(out.item()).toBeCloseTo(c.output, 10)
      const grads = A.gradients([out], xs, { createGraph: true })
      grads.forEach((g, i) => g.data.data.forEach((v, j) =>
        expect(Math.abs(v - c.grads[i].data[j])).toBeLessThan(1e-10 * (1 + Math.abs(v)))))
      const dirs = c.directions.map(t64)
      const inner = grads.map((g, i) => A.sum(A.mul(g, dirs[i]))).reduce((a, b) => A.add(a, b))
      const hv = A.gradients([inner], xs)
      hv.forEach((h, i) => h.data.data.forEach((v, j) =>
        expect(Math.abs(v - c.hvp[i].data[j])).toBeLessThan(1e-9 * (1 + Math.abs(v)))))
    })
  }
})

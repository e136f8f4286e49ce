/**
 * Forward values against PyTorch 1.13 (float64), from fixtures/tensor_ops.json; the generator
 * script is fixtures/generate.py.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as T from '../src/index.js'
import { tensor, type Tensor } from '../src/index.js'

interface Encoded { shape: number[]; data: number[] }
interface Case { op: string; inputs: Encoded[]; params: Record<string, unknown>; out: Encoded }

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/tensor_ops.json', import.meta.url), 'utf8')) as {
  cases: Case[]
}

type Axis = number | number[] | undefined
const run: Record<string, (xs: Tensor[], p: Record<string, unknown>) => Tensor> = {
  sigmoid: ([x]) => T.sigmoid(x),
  softplus: ([x]) => T.softplus(x),
  tanh: ([x]) => T.tanh(x),
  exp: ([x]) => T.exp(x),
  log1p: ([x]) => T.log1p(x),
  erf: ([x]) => T.erf(x),
  leakyRelu: ([x], p) => T.leakyRelu(x, p.slope as number),
  clamp: ([x], p) => T.clamp(x, p.min as number, p.max as number),
  add: ([a, b]) => T.add(a, b),
  mul: ([a, b]) => T.mul(a, b),
  div: ([a, b]) => T.div(a, b),
  pow: ([a, b]) => T.pow(a, b),
  maximum: ([a, b]) => T.maximum(a, b),
  sum: ([x], p) => T.sum(x, { axis: (p.axis ?? undefined) as Axis, keepdims: p.keepdims as boolean }),
  mean: ([x], p) => T.mean(x, { axis: (p.axis ?? undefined) as Axis, keepdims: p.keepdims as boolean }),
  max: ([x], p) => T.max(x, { axis: (p.axis ?? undefined) as Axis, keepdims: p.keepdims as boolean }),
  logSumExp: ([x], p) => T.logSumExp(x, { axis: (p.axis ?? undefined) as Axis, keepdims: p.keepdims as boolean }),
  variance: ([x], p) => T.variance(x, {
    axis: (p.axis ?? undefined) as Axis, keepdims: p.keepdims as boolean, correction: p.correction as number,
  }),
  argmax: ([x], p) => T.argmax(x, { axis: p.axis as number }),
  matmul: ([a, b], p) => T.matmul(a, b, { transposeA: p.transposeA as boolean, transposeB: p.transposeB as boolean }),
  permute: ([x], p) => T.permute(x, p.axes as number[]),
  concat: (xs, p) => T.concat(xs, p.axis as number),
  gather: ([x], p) => T.gather(x, p.indices as number[], p.axis as number),
}

describe('forward values against PyTorch fixtures', () => {
  it('covers every op in the fixture file', () => {
    for (const c of fixtures.cases) expect(run[c.op], `no runner for ${c.op}`).toBeDefined()
    expect(fixtures.cases.length).toBeGreaterThan(100)
  })

  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: every case matches (float64 to 1e-12 relative, float32 to 1e-6)`, () => {
      const tol = dtype === 'float64' ? 1e-12 : 1e-6
      for (const [i, c] of fixtures.cases.entries()) {
        const inputs = c.inputs.map((e) => tensor(e.data, { shape: e.shape, dtype }))
        const got = run[c.op](inputs, c.params)
        expect(got.shape, `case ${i} (${c.op})`).toEqual(c.out.shape)
        c.out.data.forEach((v, j) => {
          const err = Math.abs(got.data[j] - v)
          if (!(err <= tol * Math.max(1, Math.abs(v)))) {
            throw new Error(`case ${i} (${c.op} ${JSON.stringify(c.params)}) element ${j}: ` +
              `${got.data[j]} vs PyTorch ${v}`)
          }
        })
      }
    })
  }
})

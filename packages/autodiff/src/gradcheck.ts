/**
 * Checking gradients against finite differences, in float64, for the primitives here and for
 * users' own functions.
 *
 *  - gradcheck: every input element. The scalar s(x) = ⟨u, f(x)⟩ with a random cotangent u (never
 *    all ones, which hides transposition bugs) is differentiated by central differences,
 *    (s(x + ε eⱼ) - s(x - ε eⱼ)) / 2ε, and compared with VJP(u) element by element.
 *  - dotProductTest: one number per trial, for whole models: ⟨VJP(u), v⟩ against
 *    ⟨u, (f(x + εv) - f(x - εv)) / 2ε⟩ for random directions v.
 *  - gradgradcheck: second order. The function x ↦ ⟨VJP_f(x)(u), w⟩ is built with a recorded
 *    backward pass and checked by gradcheck, so double backward is checked against finite
 *    differences of first-order gradients.
 */
import { Rng, Tensor } from '@latent/tensor'
import { gradients } from './backward.js'
import { add, mul, sum } from './functions.js'
import { enableGrad, noGrad, Value } from './value.js'

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number
  /** Tolerance: |analytic - numeric| <= atol + rtol·|numeric| (defaults 1e-7 and 1e-5). */
  atol?: number
  rtol?: number
  /** Seed of the random cotangents and directions. */
  seed?: number
  /** dotProductTest: number of random directions (default 3). */
  trials?: number
}

type Fn = (...xs: Value[]) => Value

function checkInputs(name: string, inputs: readonly Tensor[]): void {
  for (const [i, x] of inputs.entries()) {
    if (x.dtype !== 'float64') throw new TypeError(`${name}: input ${i} is ${x.dtype}; ` +
      'finite differences need float64 inputs (convert with astype)')
  }
}

const dot = (a: Tensor, b: Tensor): number => {
  let s = 0
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i]
  return s
}

/** ⟨u, f(xs)⟩ evaluated without recording. */
function project(f: Fn, xs: readonly Tensor[], u: Tensor): number {
  return noGrad(() => dot(f(...xs.map((x) => new Value(x))).data, u))
}

/**
 * Checks the gradients of f with respect to every element of every input against central
 * differences; throws an error naming the input, the element and both values on failure.
 * @example
 *   gradcheck((x, w) => tanh(matmul(x, w)), [rng.normal([3, 4], 0, 1, 'float64'), rng.normal([4, 2], 0, 1, 'float64')])
 */
export function gradcheck(f: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): void {
  checkInputs('gradcheck', inputs)
  const { eps = 1e-6, atol = 1e-7, rtol = 1e-5 } = options
  const rng = new Rng(options.seed ?? 0)
  // The analytic gradients are computed first; the inputs are then perturbed in place (and restored).
  const leaves = inputs.map((x) => new Value(x, { requiresGrad: true }))
  const out = f(...leaves)
  const u = rng.normal(out.shape, 0, 1, 'float64')
  const analytic = gradients([out], leaves, { seeds: [u] })
  for (const [i, x] of inputs.entries()) {
    const d = x.data
    for (let j = 0; j < d.length; j++) {
      const keep = d[j]
      d[j] = keep + eps
      const plus = project(f, inputs, u)
      d[j] = keep - eps
      const minus = project(f, inputs, u)
      d[j] = keep
      const numeric = (plus - minus) / (2 * eps)
      const a = analytic[i].data.data[j]
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
        throw new Error(`gradcheck: input ${i}, element ${j}: analytic ${a}, numeric ${numeric} ` +
          `(difference ${Math.abs(a - numeric)})`)
      }
    }
  }
}

/**
 * The dot-product test: ⟨VJP(u), v⟩ = ⟨u, J v⟩, with J v from central differences, for a few
 * random u and v. One number per trial, so it suits whole models with many parameters.
 * @example
 *   dotProductTest((x) => model(x), [x64])
 */
export function dotProductTest(f: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): void {
  checkInputs('dotProductTest', inputs)
  const { eps = 1e-6, atol = 1e-7, rtol = 1e-6, trials = 3 } = options
  const rng = new Rng(options.seed ?? 0)
  for (let t = 0; t < trials; t++) {
    const leaves = inputs.map((x) => new Value(x, { requiresGrad: true }))
    const out = f(...leaves)
    const u = rng.normal(out.shape, 0, 1, 'float64')
    const vs = inputs.map((x) => rng.normal(x.shape, 0, 1, 'float64'))
    const grads = gradients([out], leaves, { seeds: [u] })
    const analytic = grads.reduce((s, g, i) => s + dot(g.data, vs[i]), 0)
    const shifted = (sign: number): Tensor[] => inputs.map((x, i) => {
      const y = x.data.slice()
      for (let j = 0; j < y.length; j++) y[j] += sign * eps * vs[i].data[j]
      return new Tensor(y, x.shape)
    })
    const numeric = (project(f, shifted(1), u) - project(f, shifted(-1), u)) / (2 * eps)
    if (!(Math.abs(analytic - numeric) <= atol + rtol * Math.abs(numeric))) {
      throw new Error(`dotProductTest: trial ${t}: ⟨VJP(u), v⟩ = ${analytic}, ⟨u, Jv⟩ = ${numeric} ` +
        `(difference ${Math.abs(analytic - numeric)})`)
    }
  }
}

/**
 * Second-order check: gradcheck of x ↦ ⟨VJP_f(x)(u), w⟩, whose gradient needs a recorded
 * (double) backward pass.
 * @example
 *   gradgradcheck((x) => sigmoid(x), [x64])
 */
export function gradgradcheck(f: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): void {
  checkInputs('gradgradcheck', inputs)
  const rng = new Rng((options.seed ?? 0) + 1)
  const probe = noGrad(() => f(...inputs.map((x) => new Value(x))))
  const u = rng.normal(probe.shape, 0, 1, 'float64')
  const ws = inputs.map((x) => rng.normal(x.shape, 0, 1, 'float64'))
  // Recording stays on inside, also when gradcheck evaluates it for finite differences.
  const firstOrder: Fn = (...xs) => enableGrad(() => {
    const leaves = xs.map((x) => (x.requiresGrad ? x : new Value(x.data, { requiresGrad: true })))
    const gs = gradients([f(...leaves)], leaves, { seeds: [u], createGraph: true })
    return gs.map((g, i) => sum(mul(g, ws[i]))).reduce((a, b) => add(a, b))
  })
  gradcheck(firstOrder, inputs, { ...options, rtol: options.rtol ?? 1e-4, atol: options.atol ?? 1e-6 })
}

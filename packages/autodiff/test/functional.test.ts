import { describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng, tensor } from '@latent/tensor'
import * as A from '../src/index.js'
import { Value } from '../src/index.js'

const f64 = (x: number | number[] | number[][]): T.Tensor => tensor(x, { dtype: 'float64' })

describe('functional API', () => {
  it('grad returns what goes in: a Tensor for a Tensor', () => {
    const g = A.grad((x) => A.sum(A.pow(x, 3)))(f64([1, 2]))
    expect(g).toBeInstanceOf(T.Tensor)
    expect(g.toArray()).toEqual([3, 12])
  })

  it('grad nests: third derivative of x⁴ is 24x', () => {
    const f = (x: Value): Value => A.pow(x, 4)
    expect(A.grad(A.grad(A.grad(f)))(f64(2)).item()).toBeCloseTo(48, 10)
  })

  it('nested transformations do not confuse their variables', () => {
    // d/dx [x · (d/dy (x·y))] = d/dx [x · x] = 2x: the inner derivative must stay a function of x.
    const inner = (x: Value): Value => A.grad((y) => A.mul(x, y))(f64(3))
    expect(A.grad((x) => A.mul(x, inner(x)))(f64(5)).item()).toBe(10)
  })

  it('valueAndGrad and argnums', () => {
    const [v, g] = A.valueAndGrad((x, y) => A.sum(A.mul(x, y)), { argnums: [0, 1] })(f64([1, 2]), f64([3, 4]))
    expect(v.item()).toBe(11)
    expect(g[0].toArray()).toEqual([3, 4])
    expect(g[1].toArray()).toEqual([1, 2])
    expect(() => A.grad((x) => A.mul(x, 2))(f64([1, 2]))).toThrow(/grad needs a scalar/)
    expect(() => A.grad((() => 3) as never)(f64([1, 2]))).toThrow('grad: the function must return a Value ' +
      '(computed from its arguments with autodiff functions), got number')
    expect(() => A.vjp(((x: A.Value) => x.data) as never, f64([1]))).toThrow('vjp: the function must return a Value ' +
      '(computed from its arguments with autodiff functions), got a Tensor')
    expect(() => A.hessianVectorProduct((() => undefined) as never, f64([1]), f64([1])))
      .toThrow(/hessianVectorProduct: .* got undefined/)
  })

  it('vjp gives a pullback that can be called many times', () => {
    const [y, pull] = A.vjp((x) => A.tanh(x), f64([0, 1]))
    expect(y.data[0]).toBe(0)
    expect(pull(f64([1, 1])).data[1]).toBeCloseTo(1 - Math.tanh(1) ** 2, 14)
    expect(pull(f64([2, 0])).toArray()).toEqual([2, 0])
  })

  it('jacobian has shape [...out, ...in]', () => {
    const rng = new Rng(1)
    const w = rng.normal([2, 3], 0, 1, 'float64')
    const x = rng.normal([3], 0, 1, 'float64')
    const j = A.jacobian((v) => A.reshape(A.matmul(w, A.reshape(v, [3, 1])), [2]), x)
    expect(j.shape).toEqual([2, 3])
    expect(j.toArray()).toEqual(w.toArray())
    expect(A.jacobian((v) => A.mul(v, v), f64([1, 2])).toArray()).toEqual([[2, 0], [0, 4]])
  })

  it('Hessian-vector products match finite differences of the gradient', () => {
    const rng = new Rng(2)
    const w = rng.normal([4, 4], 0, 1, 'float64')
    const f = (x: Value): Value => A.sum(A.tanh(A.matmul(A.reshape(x, [1, 4]), w)))
    const x = rng.normal([4], 0, 1, 'float64')
    const v = rng.normal([4], 0, 1, 'float64')
    const hv = A.hessianVectorProduct(f, x, v)
    const eps = 1e-5
    const g = (t: T.Tensor): T.Tensor => A.grad(f)(t)
    const fd = T.div(T.sub(g(T.add(x, T.mul(v, eps))), g(T.sub(x, T.mul(v, eps)))), 2 * eps)
    for (let i = 0; i < 4; i++) expect(hv.data[i]).toBeCloseTo(fd.data[i], 7)
  })

  it('gradients with respect to an intermediate value, and zeros for an unused input', () => {
    const x = new Value(f64([1, 2]), { requiresGrad: true })
    const u = new Value(f64([5]), { requiresGrad: true })
    const z = A.mul(x, 3)
    const y = A.sum(A.square(z))
    const [dz, dx, du] = A.gradients([y], [z, x, u])
    expect(dz.data.toArray()).toEqual([6, 12])
    expect(dx.data.toArray()).toEqual([18, 36])
    expect(du.data.toArray()).toEqual([0])
  })
})

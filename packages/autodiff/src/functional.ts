/**
 * Function transformations in the style of JAX and HIPS autograd: grad(f) is a function that
 * returns the gradient of f. They nest (grad(grad(f)) is the second derivative) because each
 * transformation records its backward pass whenever the result may be differentiated again:
 * when an input already belongs to a recorded graph, or the function uses values from one.
 *
 * What goes in comes out: Tensor (or number) inputs give Tensor results, Value inputs give
 * Values; except that a result which depends on values an enclosing transformation is
 * differentiating is always a Value, so that the enclosing one can go through it.
 */
import { Tensor, type Shape, reshape as reshapeTensor, stack as stackTensors, zeros } from '@latent/tensor'
import { gradients } from './backward.js'
import { mul, sum } from './functions.js'
import { isGradEnabled, lift, Value, type Input } from './value.js'

type Fn = (...args: Value[]) => Value

/** Fresh leaves for the differentiated arguments; Values already in a recorded graph are used as they are. */
function prepare(args: readonly Input[], argnums: readonly number[]): { values: Value[]; fresh: Set<Value> } {
  const fresh = new Set<Value>()
  const values = args.map((a, i) => {
    const v = lift(a)
    if (!argnums.includes(i) || (v.requiresGrad && isGradEnabled())) return v
    const leaf = new Value(v.data, { requiresGrad: true })
    fresh.add(leaf)
    return leaf
  })
  return { values, fresh }
}

/**
 * Whether the results may be differentiated again: some differentiated input was not made
 * here, or the output depends on a leaf that was not.
 */
function needsGraph(output: Value, inputs: readonly Value[], fresh: ReadonlySet<Value>): boolean {
  if (!isGradEnabled()) return false
  if (inputs.some((v) => !fresh.has(v))) return true
  const seen = new Set<Value>()
  const stack = [output]
  while (stack.length > 0) {
    const v = stack.pop()!
    if (seen.has(v) || !v.requiresGrad) continue
    seen.add(v)
    if (v.isLeaf && !fresh.has(v)) return true
    stack.push(...v.parents)
  }
  return false
}

/** f's output, which must be a Value computed from its arguments. */
function call(op: string, f: Fn, args: Value[]): Value {
  const out: unknown = f(...args)
  if (!(out instanceof Value)) throw new TypeError(`${op}: the function must return a Value ` +
    `(computed from its arguments with autodiff functions), got ${out instanceof Tensor ? 'a Tensor' : typeof out}`)
  return out
}

const asResult = (g: Value, like: Input, recorded: boolean): Value | Tensor =>
  (like instanceof Value || recorded ? g : g.data)

/**
 * The gradient of a scalar function with respect to its argument(s).
 * @example
 *   const df = grad((x) => sum(pow(x, 3)))
 *   df(tensor([1, 2])) // [3, 12]
 *   grad(grad((x) => pow(x, 3)))(2) // 12
 */
export function grad(f: Fn, options: { argnums?: number | readonly number[] } = {}): (...args: Input[]) => any {
  return (...args) => valueAndGrad(f, options)(...args)[1]
}

/**
 * The value of a scalar function and its gradient, from one forward and one backward pass.
 * @example
 *   const [loss, dw] = valueAndGrad((w) => objective(w, batch))(w0)
 */
export function valueAndGrad(f: Fn, options: { argnums?: number | readonly number[] } = {}):
  (...args: Input[]) => [any, any] {
  const argnums = typeof options.argnums === 'number' ? [options.argnums] : options.argnums ?? [0]
  return (...args) => {
    const { values, fresh } = prepare(args, argnums)
    const out = call('grad', f, values)
    if (out.size !== 1) throw new Error(`grad: the function returned shape [${out.shape.join(', ')}]; ` +
      'grad needs a scalar (use vjp for other outputs)')
    const inputs = argnums.map((i) => values[i])
    const recorded = needsGraph(out, inputs, fresh)
    const gs = gradients([out], inputs, { createGraph: recorded })
    const results = gs.map((g, k) => asResult(g, args[argnums[k]], recorded))
    const value = args.some((a) => a instanceof Value) || recorded ? out : out.data
    return [value, typeof options.argnums === 'object' ? results : results[0]]
  }
}

/**
 * Evaluates f at x and returns its output with a function that maps an output cotangent to the
 * input cotangent (the vector-Jacobian product); it can be called many times.
 * @example
 *   const [y, pullback] = vjp((x) => tanh(x), x)
 *   const dx = pullback(ones(y.shape))
 */
export function vjp(f: Fn, x: Input): [any, (cotangent: Input) => any] {
  const { values, fresh } = prepare([x], [0])
  const out = call('vjp', f, values)
  const createGraph = needsGraph(out, values, fresh)
  const pullback = (ct: Input): Value | Tensor => {
    const [g] = gradients([out], values, { seeds: [ct], createGraph, retainGraph: true })
    return asResult(g, x, createGraph)
  }
  return [x instanceof Value || createGraph ? out : out.data, pullback]
}

/**
 * The Jacobian of f at x, of shape [...output shape, ...input shape], one VJP per output
 * element.
 * @example
 *   jacobian((x) => mul(x, x), tensor([1, 2])) // [[2, 0], [0, 4]]
 */
export function jacobian(f: Fn, x: Input): any {
  const [y, pullback] = vjp(f, x)
  const out = y instanceof Value ? y : lift(y)
  const rows: Tensor[] = []
  for (let i = 0; i < out.size; i++) {
    const e = zeros(out.shape, { dtype: out.dtype })
    e.data[i] = 1
    const row = pullback(e)
    rows.push(row instanceof Value ? row.data : row)
  }
  const xs: Shape = lift(x).shape
  const stacked = rows.length > 0 ? stackTensors(rows) : zeros([0, ...xs], { dtype: out.dtype })
  const j = reshapeTensor(stacked, [...out.shape, ...xs])
  return x instanceof Value ? new Value(j) : j
}

/**
 * The Hessian of a scalar function at x applied to v, by differentiating the gradient:
 * H v = ∇ₓ ⟨∇f(x), v⟩ (double backward, no Hessian is formed).
 * @example
 *   hessianVectorProduct((x) => sum(pow(x, 3)), tensor([1, 2]), tensor([1, 0])) // [6, 0]
 */
export function hessianVectorProduct(f: Fn, x: Input, v: Input): any {
  const { values } = prepare([x], [0])
  const out = call('hessianVectorProduct', f, values)
  if (out.size !== 1) {
    throw new Error(`hessianVectorProduct: the function returned shape [${out.shape.join(', ')}]; it must be a scalar`)
  }
  const [g] = gradients([out], values, { createGraph: true })
  const recorded = x instanceof Value && isGradEnabled()
  const [hv] = gradients([sum(mul(g, v))], values, { createGraph: recorded })
  return asResult(hv, x, recorded)
}

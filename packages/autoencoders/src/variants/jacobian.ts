/**
 * The exact Jacobian penalty ‖∂h/∂x‖²_F of an encoder made of dense layers, two ways faster than
 * the general double backward of @latent/autodiff's `jacobianPenalty` (Rifai et al. 2011):
 *
 *  - denseStackPenalty: a stack of dense layers with elementwise activations. Per sample
 *    J = D_L W_L ··· D_1 W_1 with D_l = diag(f_l'(z_l)), and ‖J‖²_F = trace(J Jᵀ) is built inward:
 *    S_1 = D_1 (W_1 W_1ᵀ) D_1, S_l = D_l W_l S_{l-1} W_lᵀ D_l, penalty = trace(S_L). W_1 W_1ᵀ does not
 *    depend on the sample, so the input dimension appears once per batch, and for two layers
 *    only the diagonal of W_2 S_1 W_2ᵀ is formed. The derivatives f_l'(z_l) come from autodiff (a
 *    recorded VJP with seed 1), so any elementwise activation works.
 *  - denseContractive: the closed form for one dense layer, Σ_j f'(z_j)² Σ_i W_ji² (for the
 *    sigmoid, (h_j(1 - h_j))² Σ_i W_ji², the paper's formula), a primitive defined here, outside
 *    autodiff's table, with its own VJPs: autodiff's `apply` runs any primitive.
 */
import * as T from '@latent/tensor'
import { ones } from '@latent/tensor'
import * as F from '@latent/autodiff'
import { apply, enableGrad, gradients, isGradEnabled, type Input, type Primitive, Value } from '@latent/autodiff'

export type Reduction = 'none' | 'sum' | 'mean'

function reduce(perSample: Value, reduction: Reduction): Value {
  if (reduction === 'none') return perSample
  return reduction === 'sum' ? F.sum(perSample) : F.mean(perSample)
}

const lift = (x: Input): Value => (x instanceof Value ? x : new Value(x))

/**
 * First and second derivatives of the activations the closed form knows, as functions of z.
 * @example ACTIVATION_DERIVATIVES.tanh.d1(z) // 1 - tanh(z)²
 */
export const ACTIVATION_DERIVATIVES = {
  sigmoid: {
    d1: (z: Value): Value => { const h = F.sigmoid(z); return F.mul(h, F.sub(1, h)) },
    d2: (z: Value): Value => { const h = F.sigmoid(z); return F.mul(F.mul(h, F.sub(1, h)), F.sub(1, F.mul(h, 2))) },
  },
  tanh: {
    d1: (z: Value): Value => F.sub(1, F.square(F.tanh(z))),
    d2: (z: Value): Value => { const h = F.tanh(z); return F.mul(F.mul(h, -2), F.sub(1, F.square(h))) },
  },
  relu: {
    d1: (z: Value): Value => new Value(T.greater(z.data, 0)),
    d2: (z: Value): Value => new Value(T.zeros(z.shape, { dtype: z.dtype })),
  },
  softplus: {
    d1: (z: Value): Value => F.sigmoid(z),
    d2: (z: Value): Value => { const s = F.sigmoid(z); return F.mul(s, F.sub(1, s)) },
  },
  identity: {
    d1: (z: Value): Value => new Value(T.ones(z.shape, { dtype: z.dtype })),
    d2: (z: Value): Value => new Value(T.zeros(z.shape, { dtype: z.dtype })),
  },
} as const

export type ClosedFormActivation = keyof typeof ACTIVATION_DERIVATIVES

/**
 * NOTE: a primitive of its own, for speed: the closed-form penalty of one dense layer. Inputs
 * z = x·Wᵀ + b ([batch, h]) and W ([h, d]); output
 * p_b = Σ_j f'(z_bj)² r_j with r_j = Σ_i W_ji². VJPs:
 *   ∂p_b/∂z_bj = 2 f'(z_bj) f''(z_bj) r_j,   ∂p_b/∂W_ji = 2 W_ji f'(z_bj)²
 * (z's gradient then reaches W, b and x through the layer's own graph).
 */
const CONTRACTIVE_DENSE: Primitive<ClosedFormActivation> = {
  name: 'contractiveDense',
  forward: ([z, w], activation) => {
    const d1 = ACTIVATION_DERIVATIVES[activation].d1(new Value(z)).data
    const r = T.sum(T.square(w), { axis: 1 })
    return T.reshape(T.matmul(T.square(d1), T.reshape(r, [-1, 1])), [z.shape[0]])
  },
  vjp: [
    (g, [z, w], _, activation) => {
      const { d1, d2 } = ACTIVATION_DERIVATIVES[activation]
      const r = F.sum(F.square(w), { axis: 1 })
      return F.mul(F.mul(F.unsqueeze(g, 1), F.mul(F.mul(d1(z), d2(z)), 2)), r)
    },
    (g, [z, w], _, activation) => {
      // Σ_b g_b f'(z_bj)², as a column, times 2 W
      const weights = F.matmul(F.reshape(g, [1, -1]), F.square(ACTIVATION_DERIVATIVES[activation].d1(z)))
      return F.mul(F.mul(w, 2), F.reshape(weights, [-1, 1]))
    },
  ],
}

/**
 * The closed-form penalty of one dense layer with an elementwise activation, from its
 * pre-activation z = x·Wᵀ + b and its weight W [h, d].
 * @example
 *   const z = add(matmul(x, w, { transposeB: true }), b)
 *   const penalty = denseContractive(z, w, 'sigmoid')
 */
export function denseContractive(
  z: Input,
  weight: Input,
  activation: ClosedFormActivation,
  options: { reduction?: Reduction } = {},
): Value {
  if (!(activation in ACTIVATION_DERIVATIVES)) {
    const known = Object.keys(ACTIVATION_DERIVATIVES).join(', ')
    throw new RangeError(`denseContractive: no closed form for '${activation}' (known: ${known})`)
  }
  const [zv, wv] = [lift(z), lift(weight)]
  if (zv.shape.length !== 2 || wv.shape.length !== 2 || zv.shape[1] !== wv.shape[0]) {
    throw new RangeError(`denseContractive: z ${T.formatShape(zv.shape)} and weight ${T.formatShape(wv.shape)} ` +
      'do not match ([batch, h] and [h, d])')
  }
  return reduce(apply(CONTRACTIVE_DENSE, [zv, wv], activation), options.reduction ?? 'mean')
}

export interface DenseLayer {
  /** [out, in], as PyTorch's Linear stores it: z = x·Wᵀ + b. */
  weight: Value
  bias?: Value
  /** An elementwise function. */
  activation: (z: Value) => Value
}

/**
 * The encoder's output and its exact Jacobian penalty for a stack of dense layers with
 * elementwise activations (see the file header for the recursion).
 * @example
 *   const layers = [{ weight: w1, bias: b1, activation: relu }, { weight: w2, bias: b2, activation: sigmoid }]
 *   const { output, penalty } = denseStackPenalty(x, layers)
 */
export function denseStackPenalty(
  x: Input,
  layers: readonly DenseLayer[],
  options: { reduction?: Reduction } = {},
): { output: Value; penalty: Value } {
  if (layers.length === 0) throw new Error('denseStackPenalty: needs at least one layer')
  let h = lift(x)
  let d1: Value | undefined // f_1'(z_1), [batch, n_1]
  let s: Value | undefined // S_{l-1}, [batch, n, n] (only for stacks of three layers or more)
  let diagonal: Value | undefined // the diagonal of S_L, [batch, n_L]
  layers.forEach((layer, l) => {
    const z = layer.bias
      ? F.add(F.matmul(h, layer.weight, { transposeB: true }), layer.bias)
      : F.matmul(h, layer.weight, { transposeB: true })
    // f'(z) elementwise, as a VJP with seed 1, recorded (so differentiable in z) when the caller records.
    const recording = isGradEnabled()
    const [out, d] = enableGrad(() => {
      const zLeaf = z.requiresGrad ? z : new Value(z.data, { requiresGrad: true })
      const a = layer.activation(zLeaf)
      return [a, gradients([a], [zLeaf], { seeds: [ones(a.shape, { dtype: a.dtype })], createGraph: recording })[0]]
    })
    h = recording ? out : new Value(out.data)
    const w = layer.weight
    const last = l === layers.length - 1
    const dd = (m: Value): Value => F.mul(F.mul(F.unsqueeze(d, 2), m), F.unsqueeze(d, 1)) // D M D
    if (l === 0) {
      d1 = d
      // One layer: S_1 = D_1 (W_1 W_1ᵀ) D_1, whose diagonal is d_j² Σ_i W_ji².
      if (last) diagonal = F.mul(F.square(d), F.reshape(F.sum(F.square(w), { axis: 1 }), [1, -1]))
    } else if (l === 1) {
      // W_2 S_1 W_2ᵀ = V G Vᵀ per sample, with V_b = W_2 D_1(b) ([n_2, n_1]) and G = W_1 W_1ᵀ:
      // the input dimension enters once, through G, and no [batch, n_1, n_1] tensor is formed.
      const g = F.matmul(layers[0].weight, layers[0].weight, { transposeB: true })
      const v = F.mul(F.unsqueeze(d1!, 1), w) // [batch, n_2, n_1]
      const u = F.matmul(v, g) // V G, one tall product
      if (last) diagonal = F.mul(F.square(d), F.sum(F.mul(u, v), { axis: 2 }))
      else s = dd(F.matmul(u, v, { transposeB: true }))
    } else {
      // A_b = S_b W_lᵀ: [batch, n_{l-1}, n_l], one tall product.
      const a = F.matmul(s!, w, { transposeB: true })
      // diag(W_l S_b W_lᵀ)_j = Σ_a A_b[a, j] W_l[j, a]; otherwise the whole W_l S_b W_lᵀ = (S_b W_lᵀ)ᵀ W_lᵀ.
      if (last) diagonal = F.mul(F.square(d), F.sum(F.mul(a, F.transpose(w)), { axis: 1 }))
      else s = dd(F.matmul(a, w, { transposeA: true, transposeB: true }))
    }
  })
  return { output: h, penalty: reduce(F.sum(diagonal!, { axis: 1 }), options.reduction ?? 'mean') }
}

/**
 * The contractive penalty of Rifai et al. (2011), "Contractive auto-encoders: explicit invariance
 * during feature extraction": the squared Frobenius norm of the encoder's Jacobian,
 * ‖∂h/∂x‖²_F, per sample. Three ways to compute it, all exact and all differentiable with respect
 * to the encoder's parameters:
 *
 *  1. jacobianPenalty: any encoder made of these ops, by double backward. Row j of every
 *     sample's Jacobian is one VJP with seed eⱼ; all code units are done in one pass by running
 *     the encoder on the batch repeated k times with one-hot seeds, recording the backward pass,
 *     and summing squares. Cost: about k times a forward and backward pass.
 *
 *  2. denseStackPenalty: a stack of dense layers with elementwise activations. Per sample
 *     J = D_L W_L ··· D_1 W_1 with D_l = diag(f_l'(z_l)), and ‖J‖²_F = trace(J Jᵀ) is built inward:
 *     S_1 = D_1 (W_1 W_1ᵀ) D_1, S_l = D_l W_l S_{l-1} W_lᵀ D_l, penalty = trace(S_L). W_1 W_1ᵀ does not
 *     depend on the sample, so the input dimension appears once per batch, and for two layers
 *     only the diagonal of W_2 S_1 W_2ᵀ is formed. The derivatives f_l'(z_l) come from autodiff (a
 *     recorded VJP with seed 1), so any elementwise activation works.
 *
 *  3. denseContractive: the closed form for one dense layer, a fused primitive with its own VJP:
 *     Σ_j f'(z_j)² Σ_i W_ji² (for the sigmoid, (h_j(1 - h_j))² Σ_i W_ji², the paper's formula).
 */
import * as T from '@latent/tensor'
import { ones } from '@latent/tensor'
import { gradients } from './backward.js'
import * as F from './functions.js'
import { ACTIVATION_DERIVATIVES, apply, PRIMITIVES, type ClosedFormActivation } from './ops.js'
import { enableGrad, isGradEnabled, lift, Value, type Input } from './value.js'

export type Reduction = 'none' | 'sum' | 'mean'

function reduce(perSample: Value, reduction: Reduction): Value {
  if (reduction === 'none') return perSample
  return reduction === 'sum' ? F.sum(perSample) : F.mean(perSample)
}

/**
 * ‖∂f(x)_b/∂x_b‖²_F for every sample b, for any encoder made of these ops. `f` must treat rows
 * independently (no batch statistics). Returns the encoder's output on x as well.
 * @example
 *   const { output: h, penalty } = jacobianPenalty(encoder, x)
 */
export function jacobianPenalty(f: (x: Value) => Value, x: Input, options: { reduction?: Reduction } = {}): { output: Value; penalty: Value } {
  const input = lift(x)
  const [batch, dim] = input.shape
  const output = f(input)
  if (output.shape.length !== 2 || output.shape[0] !== batch) throw new Error(`jacobianPenalty: the encoder must map [batch, d] to [batch, k], got ${T.formatShape(output.shape)}`)
  const k = output.shape[1]
  const seeds = T.zeros([k * batch, k], { dtype: input.dtype })
  for (let j = 0; j < k; j++) for (let b = 0; b < batch; b++) seeds.data[(j * batch + b) * k + j] = 1
  // The Jacobian rows need a backward pass even under noGrad; it is recorded only if the caller records.
  const recording = isGradEnabled()
  const [rows] = enableGrad(() => {
    // x repeated k times: block j of the rows gets the one-hot seed e_j.
    const start = input.requiresGrad && recording ? input : new Value(input.data, { requiresGrad: true })
    const repeated = F.reshape(F.expand(F.unsqueeze(start, 0), [k, batch, dim]), [k * batch, dim])
    return gradients([f(repeated)], [repeated], { seeds: [seeds], createGraph: recording })
  })
  const perSample = F.sum(F.square(F.reshape(rows, [k, batch, dim])), { axis: [0, 2] })
  return { output, penalty: reduce(perSample, options.reduction ?? 'mean') }
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
 *   const { output, penalty } = denseStackPenalty(x, [{ weight: w1, bias: b1, activation: relu }, { weight: w2, bias: b2, activation: sigmoid }])
 */
export function denseStackPenalty(x: Input, layers: readonly DenseLayer[], options: { reduction?: Reduction } = {}): { output: Value; penalty: Value } {
  if (layers.length === 0) throw new Error('denseStackPenalty: needs at least one layer')
  let h = lift(x)
  let d1: Value | undefined // f_1'(z_1), [batch, n_1]
  let s: Value | undefined // S_{l-1}, [batch, n, n] (only for stacks of three layers or more)
  let diagonal: Value | undefined // the diagonal of S_L, [batch, n_L]
  layers.forEach((layer, l) => {
    const z = layer.bias ? F.add(F.matmul(h, layer.weight, { transposeB: true }), layer.bias) : F.matmul(h, layer.weight, { transposeB: true })
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

/**
 * The closed-form penalty of one dense layer with an elementwise activation, from its
 * pre-activation z = x·Wᵀ + b and its weight W [h, d].
 * @example
 *   const z = add(matmul(x, w, { transposeB: true }), b)
 *   const penalty = denseContractive(z, w, 'sigmoid')
 */
export function denseContractive(z: Input, weight: Input, activation: ClosedFormActivation, options: { reduction?: Reduction } = {}): Value {
  if (!(activation in ACTIVATION_DERIVATIVES)) throw new RangeError(`denseContractive: no closed form for '${activation}' (known: ${Object.keys(ACTIVATION_DERIVATIVES).join(', ')})`)
  const [zv, wv] = [lift(z), lift(weight)]
  if (zv.shape.length !== 2 || wv.shape.length !== 2 || zv.shape[1] !== wv.shape[0]) {
    throw new RangeError(`denseContractive: z ${T.formatShape(zv.shape)} and weight ${T.formatShape(wv.shape)} do not match ([batch, h] and [h, d])`)
  }
  return reduce(apply(PRIMITIVES.contractiveDense, [zv, wv], activation), options.reduction ?? 'mean')
}


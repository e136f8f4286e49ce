/**
 * @latent/autodiff: reverse-mode automatic differentiation over @latent/tensor, with exact
 * higher-order gradients. See README.md for the reading order.
 */
export { Value, type Input, noGrad, enableGrad, isGradEnabled, setAnomalyDetection } from './value.js'
export { PRIMITIVES, type Primitive, type PrimitiveName, apply } from './ops.js'
export * from './functions.js'
export { backward, gradients, type BackwardOptions, type GradientsOptions } from './backward.js'
export { grad, valueAndGrad, vjp, jacobian, hessianVectorProduct } from './functional.js'
export { gradcheck, gradgradcheck, dotProductTest, type GradcheckOptions } from './gradcheck.js'
export { jacobianPenalty, type Reduction } from './contractive.js'
export * from './conv.js'

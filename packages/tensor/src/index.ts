/**
 * @latent/tensor: float32/float64 tensors, broadcasting, reductions, a seeded PRNG and the
 * matrix-product kernels. See README.md for the reading order.
 */
export { type DType, type FloatArray, allocate, checkKeys } from './dtype.js'
export { type Shape, broadcastShapes, formatShape, sameShape, sizeOf, stridesOf } from './shape.js'
export type { NestedArray, CreateOptions } from './tensor.js'
export { Tensor, tensor, full, zeros, ones, scalar, arange, linspace, eye, emptyLike, astype, clone } from './tensor.js'
export { Rng } from './random.js'
export { Arena, type ArenaOptions, memoryOf, withArena } from './arena.js'
export * from './ops/elementwise.js'
export * from './ops/shape.js'
export * from './ops/reduce.js'
export * from './ops/matmul.js'
export * from './ops/optim.js'
export type { ElementwiseBackend, GemmArgs, GemmBackend, MapKernel, RunKernel } from './kernels/types.js'
export { gemm } from './kernels/select.js'
export { jsGemmBackend, packPanel } from './kernels/js/gemm.js'
export type { BackendInfo, BackendName, BackendOptions, StandaloneGemm, TileOption } from './backend.js'
export { createGemmBackend, getBackendInfo, getDefaultThreads, setBackend, setNumThreads } from './backend.js'
export * from './ops/conv.js'

/**
 * Backend selection for the matrix-product kernel. Today there is one backend, the JS kernel;
 * the WASM SIMD kernel plugs in behind the same dispatch point (kernels/gemm.ts).
 */
import { activeGemmBackend } from './kernels/gemm.js'

export interface BackendInfo {
  /** The kernel that runs float32 products, with its tile, e.g. 'js-4x4'. */
  kernel: string
}

/**
 * What runs matrix products right now.
 * @example getBackendInfo().kernel // 'js-4x4'
 */
export function getBackendInfo(): BackendInfo {
  return { kernel: activeGemmBackend().name }
}

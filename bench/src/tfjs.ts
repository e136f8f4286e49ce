/**
 * The peer: TensorFlow.js with its WASM backend (XNNPACK, SIMD build, one thread; its threaded
 * build does not run under Node) and its CPU backend, loaded for comparison only.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

export type Tf = typeof import('@tensorflow/tfjs-core')

/** Loads tfjs-core with the requested backend ready. */
export async function loadTf(backend: 'wasm' | 'cpu'): Promise<Tf> {
  const require = createRequire(import.meta.url)
  const tf = (await import('@tensorflow/tfjs-core')) as Tf
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm')
    // The backend fetches its .wasm binaries from a path it is told.
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))
    wasm.setWasmPaths(pathToFileURL(join(dist, '/')).href.replace(/^file:\/\//, ''))
    wasm.setThreadsCount(1)
  } else {
    await import('@tensorflow/tfjs-backend-cpu')
  }
  await tf.setBackend(backend)
  await tf.ready()
  return tf
}

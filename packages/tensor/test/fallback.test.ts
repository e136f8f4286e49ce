/**
 * 'auto' must work wherever JavaScript does. When the engine refuses the WASM kernel's memory,
 * products run in JavaScript; when the default thread count cannot start its workers (a page
 * whose content security policy forbids them), products run on one thread with the reason in
 * getBackendInfo(). What the caller asked for explicitly still fails loudly. In its own file:
 * the default thread count applies only while setNumThreads has never been called.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as T from '../src/index.js'
import { checkMatmulGrid, U32 } from './helpers.js'

describe("setBackend('auto') falls back instead of failing", () => {
  afterEach(() => {
    vi.restoreAllMocks()
    T.setBackend('auto')
  })

  it('to one thread when the default workers cannot start, keeping the reason', () => {
    const proc = process as unknown as { getBuiltinModule(id: string): unknown }
    const original = proc.getBuiltinModule
    const saved = process.env.LATENT_THREADS
    process.env.LATENT_THREADS = '2'
    proc.getBuiltinModule = (id: string) =>
      id === 'node:worker_threads'
        ? { Worker: function () { throw new Error('workers are not allowed here') } }
        : original.call(process, id)
    try {
      T.setBackend('auto')
      const info = T.getBackendInfo()
      expect(info.kernel.startsWith('wasm-')).toBe(true)
      expect(info.threads).toBe(1)
      expect(info.threadError).toBe('workers are not allowed here')
      checkMatmulGrid([3, 8, 33], 'float32', U32)
      // asked for explicitly, the same failure is an error
      expect(() => T.setNumThreads(2)).toThrow('workers are not allowed here')
    } finally {
      proc.getBuiltinModule = original
      if (saved === undefined) delete process.env.LATENT_THREADS
      else process.env.LATENT_THREADS = saved
      T.setNumThreads(1)
    }
  })

  it('to JavaScript when the WASM memory is refused; setBackend("wasm") still throws', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const Memory = WebAssembly.Memory
    ;(WebAssembly as { Memory: unknown }).Memory = function () { throw new RangeError('could not allocate memory') }
    try {
      T.setBackend('auto')
      expect(T.getBackendInfo().kernel).toBe('js-4x4')
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('products run in JavaScript: could not allocate memory'))
      checkMatmulGrid([3, 17], 'float32', U32)
      expect(() => T.setBackend('wasm')).toThrow('could not allocate memory')
    } finally {
      ;(WebAssembly as { Memory: unknown }).Memory = Memory
    }
    T.setBackend('auto')
    expect(T.getBackendInfo().kernel.startsWith('wasm-')).toBe(true)
  })
})

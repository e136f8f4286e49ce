/**
 * Arenas: tensors in the kernel's WASM memory are read and written in place by products, survive
 * the memory growing, and behave like ordinary tensors everywhere else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as T from '../src/index.js'
import { Arena, withArena } from '../src/index.js'
import { selectedBackend } from '../src/kernels/select.js'
import { eventually, referenceGemm } from './helpers.js'

function expectProduct(c: T.Tensor, a: T.Tensor, b: T.Tensor,
  opts: { transposeA?: boolean; transposeB?: boolean } = {}): void {
  const [m, n] = c.shape
  const k = opts.transposeA ? a.shape[0] : a.shape[1]
  const ref = referenceGemm(m, n, k, a.data, !!opts.transposeA, b.data, !!opts.transposeB)
  for (let i = 0; i < m * n; i++) {
    const tol = 2 * k * 2 ** -24 * ref.absSum[i]
    if (!(Math.abs(c.data[i] - ref.c[i]) <= tol)) throw new Error(`C[${i}] = ${c.data[i]}, reference ${ref.c[i]}`)
  }
}

describe('arenas', () => {
  beforeAll(() => T.setBackend('wasm'))
  afterAll(() => T.setBackend('auto'))

  it('products read arena operands and write an arena output in place', () => {
    const arena = new Arena(1 << 20)
    expect(arena.resident).toBe(true)
    const rng = new T.Rng(1)
    const a = arena.copy(rng.uniform([37, 29]))
    const b = arena.copy(rng.uniform([24, 29]))
    const c = arena.zeros([37, 24])
    const gemm = selectedBackend().runtime!.gemm
    const before = gemm.bytesCopied
    T.matmul(a, b, { transposeB: true, out: c })
    expect(gemm.bytesCopied - before).toBe(0)
    expectProduct(c, a, b, { transposeB: true })
    // An output whose rows are not whole tiles (n = 21) is copied out; the operands still are not.
    const d = arena.zeros([37, 21])
    const e = arena.copy(rng.uniform([21, 29]))
    const mid = gemm.bytesCopied
    T.matmul(a, e, { transposeB: true, out: d })
    expect(gemm.bytesCopied - mid).toBe(4 * 37 * 21)
    expectProduct(d, a, e, { transposeB: true })
    arena.dispose()
  })

  it('arena tensors stay valid when a large product grows the memory', () => {
    const arena = new Arena(64 * 1024)
    const x = arena.copy(T.tensor([[1, 2], [3, 4]]))
    const rng = new T.Rng(2)
    const big = rng.uniform([700, 900])
    T.matmul(big, big, { transposeB: true }) // needs megabytes of scratch: the memory grows
    const y = T.matmul(x, x)
    expect(y.toArray()).toEqual([[7, 10], [15, 22]])
    expect(x.toArray()).toEqual([[1, 2], [3, 4]])
    arena.dispose()
  })

  it('two arenas and the scratch never overlap', () => {
    const first = new Arena(4096)
    const second = new Arena(4096)
    const p = first.zeros([1024])
    p.data.fill(1)
    const q = second.zeros([1024])
    q.data.fill(2)
    const rng = new T.Rng(3)
    const a = rng.uniform([64, 64])
    T.matmul(a, a)
    expect(p.data.every((v) => v === 1)).toBe(true)
    expect(q.data.every((v) => v === 2)).toBe(true)
    first.dispose()
    const third = new Arena(4096) // reuses the first one's place
    expect(third.zeros([1]).data.byteOffset).toBe(p.data.byteOffset)
    expect(q.data.every((v) => v === 2)).toBe(true)
    second.dispose()
    third.dispose()
  })

  it('an arena larger than the memory can hold is refused by name and holds no place afterwards', () => {
    const place = (arena: Arena): number => arena.zeros([1]).data.byteOffset
    const before = new Arena(4096)
    const at = place(before)
    before.dispose()
    expect(() => new Arena(2 ** 31)).toThrow(/^Arena: needs \d+ bytes of WASM memory, more than the \d+ reserved$/)
    const after = new Arena(4096) // the same place: the refused arena left nothing behind
    expect(place(after)).toBe(at)
    after.dispose()
  })

  it('works with two threads', async () => {
    T.setNumThreads(2)
    const runtime = selectedBackend().runtime!
    await eventually(() => runtime.readyWorkers === 1)
    const arena = new Arena(8 << 20)
    const rng = new T.Rng(4)
    const a = arena.copy(rng.uniform([300, 256]))
    const b = arena.copy(rng.uniform([256, 200]))
    const c = arena.zeros([300, 200])
    const before = runtime.gemm.bytesCopied
    T.matmul(a, b, { out: c })
    expect(runtime.gemm.bytesCopied - before).toBe(0)
    expect(runtime.threads).toBe(2)
    expectProduct(c, a, b)
    arena.dispose()
  })

  it('withArena allocates every float32 tensor in the arena and restores afterwards, even on error', () => {
    const arena = new Arena(1 << 16)
    const wasm = selectedBackend().runtime!.memory
    const x = withArena(arena, () => T.add(T.ones([4]), 1))
    expect(wasm.holds(x.data)).toBe(true)
    expect(x.toArray()).toEqual([2, 2, 2, 2])
    expect(wasm.holds(T.ones([4]).data)).toBe(false)
    expect(() => withArena(arena, () => { throw new Error('boom') })).toThrow('boom')
    expect(wasm.holds(T.ones([4]).data)).toBe(false)
    // float64 tensors are never in an arena
    expect(withArena(arena, () => T.ones([2], { dtype: 'float64' })).data).toBeInstanceOf(Float64Array)
    arena.dispose()
  })

  it('a full arena: zeros throws, withArena falls back to ordinary memory; reset empties it', () => {
    const arena = new Arena(256)
    expect(arena.zeros([64]).size).toBe(64)
    expect(() => arena.zeros([1])).toThrow(/Arena.zeros: 1 floats do not fit \(0 bytes free\)/)
    const y = withArena(arena, () => T.zeros([8]))
    expect(selectedBackend().runtime!.memory.holds(y.data)).toBe(false)
    arena.reset()
    expect(arena.usedBytes).toBe(0)
    expect(arena.zeros([8]).data.every((v) => v === 0)).toBe(true)
    arena.dispose()
    expect(() => arena.allocate(1)).toThrow(/used after dispose/)
    expect(() => new Arena(3)).toThrow(/positive multiple of 4/)
  })

  it('a growing arena adds blocks instead of filling up, and reuses them after a reset', () => {
    const arena = new Arena(256, { grow: true })
    const memory = selectedBackend().runtime!.memory
    const tensors = withArena(arena, () => [T.ones([64]), T.ones([100]), T.ones([1000])])
    for (const t of tensors) expect(memory.holds(t.data)).toBe(true)
    expect(tensors.map((t) => T.sum(t).item())).toEqual([64, 100, 1000])
    const capacity = arena.capacityBytes
    expect(capacity).toBeGreaterThanOrEqual(4 * (64 + 112 + 1008))
    arena.reset()
    const again = withArena(arena, () => [T.zeros([64]), T.zeros([100]), T.zeros([1000])])
    expect(arena.capacityBytes).toBe(capacity)
    expect(again[0].data.byteOffset).toBe(tensors[0].data.byteOffset)
    arena.dispose()
  })

  it('hold moves tensors in, values and identity kept, and dispose moves them back out', () => {
    const run = new Arena(1 << 16)
    const memory = selectedBackend().runtime!.memory
    const w = T.tensor([[1, 2], [3, 4]])
    const d = T.tensor([1, 2], { dtype: 'float64' })
    run.hold([w, d, w])
    expect(memory.holds(w.data)).toBe(true)
    expect(d.data).toBeInstanceOf(Float64Array) // float64 stays in ordinary memory
    expect(w.toArray()).toEqual([[1, 2], [3, 4]])
    T.add(w, 1, w) // updated in place, in the arena
    expect(() => run.reset()).toThrow(/holds tensors/)
    run.dispose()
    expect(memory.holds(w.data)).toBe(false)
    expect(w.toArray()).toEqual([[2, 3], [4, 5]])
    // A tensor that does not fit stays where it is.
    const small = new Arena(64)
    const big = T.ones([100])
    small.hold([big])
    expect(memory.holds(big.data)).toBe(false)
    small.dispose()
  })
})

import { describe, expect, it } from 'vitest'
import { arange, astype, clone, eye, full, linspace, ones, scalar, Tensor, tensor, zeros } from '../src/index.js'
import * as T from '../src/index.js'

describe('creation', () => {
  it('reads nested arrays row-major and infers the shape', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]])
    expect(t.shape).toEqual([2, 3])
    expect(t.dtype).toBe('float32')
    expect([...t.data]).toEqual([1, 2, 3, 4, 5, 6])
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]])
  })

  it('takes flat values plus a shape, and a dtype', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2], dtype: 'float64' })
    expect(t.data).toBeInstanceOf(Float64Array)
    expect(t.toArray()).toEqual([[1, 2], [3, 4], [5, 6]])
  })

  it('copies its input', () => {
    const src = [1, 2]
    const data = new Float32Array([1, 2])
    const a = tensor(src)
    const b = tensor(data)
    src[0] = 9
    data[0] = 9
    expect(a.data[0]).toBe(1)
    expect(b.data[0]).toBe(1)
  })

  it('handles scalars and empty tensors', () => {
    expect(tensor(5).shape).toEqual([])
    expect(tensor(5).item()).toBe(5)
    expect(scalar(2.5).toArray()).toBe(2.5)
    expect(zeros([2, 0]).size).toBe(0)
    expect(zeros([2, 0]).toArray()).toEqual([[], []])
  })

  it('rejects ragged arrays, bad shapes and size mismatches with the op named', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: nested array is ragged/)
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/tensor: shape \[2, 2\] needs 4 values, got 3/)
    expect(() => zeros([2, -1])).toThrow(/^zeros: dimensions must be non-negative integers, got \[2, -1\]$/)
    expect(() => ones([1.5])).toThrow(/^ones: dimensions must be non-negative integers/)
    expect(() => full([1], 2, { dtype: 'int8' as never })).toThrow(/^full: unknown dtype 'int8'/)
    expect(() => zeros([1.5])).toThrow(/non-negative integers/)
    expect(() => tensor([1], { dtype: 'int8' as never })).toThrow(/unknown dtype 'int8'/)
    expect(() => new Tensor(new Float32Array(3), [2, 2])).toThrow(/needs 4 elements, data has 3/)
    expect(() => tensor([1, 2]).item()).toThrow(/has 2 elements, not 1/)
  })

  it('refuses an array where options go, and unknown option keys, everywhere options are taken', () => {
    expect(() => tensor([1, 2, 3, 4], [2, 2] as never))
      .toThrow('tensor: options must be an object like { shape: ..., dtype: ... }, got an array [2, 2]')
    expect(() => tensor([1, 2], { shap: [2] } as never))
      .toThrow("tensor: unknown option 'shap' (expected shape, dtype)")
    expect(() => zeros([2], { dtyp: 'float64' } as never)).toThrow(/zeros: unknown option 'dtyp'/)
    const m = tensor([[1, 2], [3, 4]])
    expect(() => T.sum(m, { axs: 0 } as never)).toThrow("sum: unknown option 'axs' (expected axis, keepdims)")
    expect(() => T.sum(m, 0 as never))
      .toThrow('sum: options must be an object like { axis: ..., keepdims: ... }, got 0')
    expect(() => T.max(m, { axis: 0, keepdim: true } as never)).toThrow(/max: unknown option 'keepdim'/)
    expect(() => T.variance(m, { corection: 0 } as never)).toThrow(/variance: unknown option 'corection'/)
    expect([...T.variance(m, { axis: 0, correction: 0 }).data]).toEqual([1, 1])
    // One convention for dtype: Rng draws take it last, as an option, as the creation functions do.
    const rng = new T.Rng(1)
    expect(rng.uniform([2], { dtype: 'float64' }).dtype).toBe('float64')
    expect(rng.normal([2], 0, 1, { dtype: 'float64' }).data).toBeInstanceOf(Float64Array)
    expect(() => rng.uniform([2], { dtyp: 'float64' } as never)).toThrow(/unknown option 'dtyp'/)
  })

  it('fills: zeros, ones, full, eye', () => {
    expect(zeros([2]).toArray()).toEqual([0, 0])
    expect(ones([2], { dtype: 'float64' }).toArray()).toEqual([1, 1])
    expect(full([2, 1], 7).toArray()).toEqual([[7], [7]])
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]])
  })

  it('ranges: arange like Python, linspace with both ends', () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3])
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75])
    expect(arange(5, 1, -2).toArray()).toEqual([5, 3])
    expect(arange(3, 1).size).toBe(0)
    expect(() => arange(0, 1, 0)).toThrow(/step non-zero/)
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(linspace(2, 3, 1).toArray()).toEqual([2])
  })

  it('converts dtype and clones', () => {
    const a = tensor([0.1])
    const b = astype(a, 'float64')
    expect(b.dtype).toBe('float64')
    expect(b.data[0]).toBe(Math.fround(0.1))
    expect(astype(a, 'float32')).toBe(a)
    const c = clone(a)
    c.data[0] = 5
    expect(a.data[0]).toBe(Math.fround(0.1))
  })

  it('prints small tensors whole and elides long axes', () => {
    expect(String(tensor([[1, 2], [3, 4]]))).toBe('tensor([[1, 2], [3, 4]], shape=[2, 2], float32)')
    expect(String(arange(10, undefined, 1, { dtype: 'float64' })))
      .toBe('tensor([0, 1, 2, ..., 7, 8, 9], shape=[10], float64)')
    expect(String(tensor(0.5))).toBe('tensor(0.5, shape=[], float32)')
  })
})

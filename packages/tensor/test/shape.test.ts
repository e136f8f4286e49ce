import { describe, expect, it } from 'vitest'
import * as T from '../src/index.js'
import { arange, tensor } from '../src/index.js'
import { forSeeds, randomShape, randomTensor, ravel, unravel } from './helpers.js'

describe('shape operations', () => {
  it('reshape is free and infers -1', () => {
    const x = arange(6)
    const y = T.reshape(x, [3, -1])
    expect(y.shape).toEqual([3, 2])
    expect(y.data).toBe(x.data)
    expect(() => T.reshape(x, [4, -1])).toThrow('reshape: cannot reshape [6] (6 elements) to [4, -1]')
    expect(() => T.reshape(x, [-1, -1])).toThrow(/only one dimension can be -1/)
    expect(() => T.reshape(x, [7])).toThrow(/cannot reshape/)
  })

  it('permute equals the index-mapping reference on random shapes', () => {
    forSeeds(20, (rng) => {
      const rank = 1 + rng.int(4)
      const x = randomTensor(rng, randomShape(rng, rank, 4))
      const perm = [...rng.permutation(rank)]
      const y = T.permute(x, perm)
      expect(y.shape).toEqual(perm.map((p) => x.shape[p]))
      for (let i = 0; i < y.size; i++) {
        const idx = unravel(i, y.shape)
        const src = new Array<number>(rank)
        perm.forEach((p, k) => (src[p] = idx[k]))
        expect(y.data[i]).toBe(x.data[ravel(src, x.shape)])
      }
    })
    expect(() => T.permute(T.zeros([2, 3]), [0, 0])).toThrow(/not a permutation/)
  })

  it('transpose swaps the last two axes by default', () => {
    expect(T.transpose(tensor([[1, 2, 3], [4, 5, 6]])).toArray()).toEqual([[1, 4], [2, 5], [3, 6]])
    expect(T.transpose(T.zeros([2, 3, 4]), 0, 2).shape).toEqual([4, 3, 2])
    expect(() => T.transpose(T.zeros([3]))).toThrow(/axis -2 is out of range for a tensor of rank 1/)
  })

  it('broadcastTo repeats, and returns the input when nothing changes', () => {
    const x = tensor([[1], [2]])
    expect(T.broadcastTo(x, [2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]])
    expect(T.broadcastTo(x, [2, 2, 1]).toArray()).toEqual([[[1], [2]], [[1], [2]]])
    expect(T.broadcastTo(x, [2, 1])).toBe(x)
    expect(() => T.broadcastTo(x, [3, 3])).toThrow(/cannot broadcast/)
    expect(() => T.broadcastTo(T.zeros([2, 3]), [3])).toThrow(/cannot broadcast \[2, 3\] to \[3\]/)
  })

  it('squeeze and unsqueeze', () => {
    expect(T.squeeze(T.zeros([1, 3, 1])).shape).toEqual([3])
    expect(T.squeeze(T.zeros([1, 3, 1]), -1).shape).toEqual([1, 3])
    expect(() => T.squeeze(T.zeros([2]), 0)).toThrow(/axis 0 of \[2\] has size 2, not 1/)
    expect(T.unsqueeze(T.zeros([3]), 1).shape).toEqual([3, 1])
    expect(T.unsqueeze(T.zeros([3]), -1).shape).toEqual([3, 1])
  })

  it('slice follows Python bounds; pad is its adjoint', () => {
    const x = T.reshape(arange(12), [3, 4])
    expect(T.slice(x, 1, 1, 3).toArray()).toEqual([[1, 2], [5, 6], [9, 10]])
    expect(T.slice(x, 0, -1).toArray()).toEqual([[8, 9, 10, 11]])
    expect(T.slice(x, 0, 5, 9).shape).toEqual([0, 4])
    expect(T.pad(tensor([[1, 2]]), 1, 1, 2).toArray()).toEqual([[0, 1, 2, 0, 0]])
    expect(T.pad(tensor([[1, 2]]), 0, 1, 0).toArray()).toEqual([[0, 0], [1, 2]])
  })

  it('concat, stack and split invert each other', () => {
    forSeeds(10, (rng) => {
      const shape = randomShape(rng, 1 + rng.int(3), 4)
      const axis = rng.int(shape.length)
      const parts = [1, 2, 3].map(() => {
        const s = [...shape]
        s[axis] = 1 + rng.int(3)
        return randomTensor(rng, s)
      })
      const joined = T.concat(parts, axis)
      const back = T.split(joined, parts.map((p) => p.shape[axis]), axis)
      back.forEach((b, i) => expect(b.toArray()).toEqual(parts[i].toArray()))
    })
    expect(T.stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]])
    expect(T.split(arange(6), 3).map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4, 5]])
    expect(() => T.concat([T.zeros([2, 3]), T.zeros([2, 4])], 0))
      .toThrow(/concat: shapes \[2, 3\] and \[2, 4\] differ outside axis 0/)
    expect(() => T.split(arange(5), 2)).toThrow(/does not split into 2 equal parts/)
    expect(() => T.split(arange(5), [2, 2])).toThrow(/do not add up to 5/)
  })

  it('gather picks rows; scatterAdd accumulates them back', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]])
    expect(T.gather(x, [2, 0, 2]).toArray()).toEqual([[5, 6], [1, 2], [5, 6]])
    expect(T.gather(x, [1], 1).toArray()).toEqual([[2], [4], [6]])
    expect(T.scatterAdd(tensor([[1, 1], [2, 2], [3, 3]]), [2, 0, 2], 3).toArray()).toEqual([[2, 2], [0, 0], [4, 4]])
    expect(() => T.gather(x, [3])).toThrow('gather: index 3 at position 0 is out of range for an axis of size 3')
    expect(() => T.gather(x, [0.5])).toThrow(/index 0.5/)
  })
})

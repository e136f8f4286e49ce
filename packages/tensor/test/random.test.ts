import { describe, expect, it } from 'vitest'
import { Rng } from '../src/index.js'

describe('Rng (xoshiro128**)', () => {
  it('matches the reference C implementation from the state [1, 2, 3, 4]', () => {
    // Values printed by Blackman and Vigna's xoshiro128starstar.c with s = {1, 2, 3, 4}.
    const rng = new Rng(0)
    rng.setState([1, 2, 3, 4])
    expect(Array.from({ length: 6 }, () => rng.next())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492])
  })

  it('is deterministic per seed and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const r = new Rng(seed)
      return Array.from({ length: 8 }, () => r.next())
    }
    expect(draw(7)).toEqual(draw(7))
    expect(draw(7)).not.toEqual(draw(8))
  })

  it('saves and restores its state; forks are independent streams', () => {
    const rng = new Rng(3)
    const saved = rng.getState()
    const first = [rng.next(), rng.next()]
    rng.setState(saved)
    expect([rng.next(), rng.next()]).toEqual(first)
    const child = rng.fork()
    const a = Array.from({ length: 4 }, () => child.next())
    const b = Array.from({ length: 4 }, () => rng.next())
    expect(a).not.toEqual(b)
    expect(() => rng.setState([0, 0, 0, 0])).toThrow(/all-zero/)
    expect(() => new Rng(1.5)).toThrow(/integer/)
  })

  it('draws uniforms in [low, high) with the right mean and variance', () => {
    const u = new Rng(1).uniform([100_000], -1, 3, 'float64').data
    let s = 0
    let s2 = 0
    let outside = 0
    for (const v of u) {
      if (!(v >= -1 && v < 3)) outside++
      s += v
      s2 += v * v
    }
    expect(outside).toBe(0)
    const mean = s / u.length
    const variance = s2 / u.length - mean * mean
    // Uniform(-1, 3): mean 1, variance 16/12. Standard error of the mean: sqrt(4/3/1e5) ~ 0.0037.
    expect(Math.abs(mean - 1)).toBeLessThan(0.02)
    expect(Math.abs(variance - 16 / 12)).toBeLessThan(0.03)
  })

  it('draws normals with the right moments (Box-Muller)', () => {
    const z = new Rng(2).normal([100_001], 2, 0.5, 'float64').data
    let s = 0
    let s2 = 0
    let s4 = 0
    for (const v of z) s += v
    const mean = s / z.length
    for (const v of z) {
      s2 += (v - mean) ** 2
      s4 += (v - mean) ** 4
    }
    const variance = s2 / z.length
    expect(Math.abs(mean - 2)).toBeLessThan(0.01)
    expect(Math.abs(variance - 0.25)).toBeLessThan(0.01)
    // Kurtosis of a normal is 3.
    expect(Math.abs(s4 / z.length / variance ** 2 - 3)).toBeLessThan(0.1)
  })

  it('draws Bernoulli masks at rate p and unbiased integers', () => {
    const b = new Rng(4).bernoulli([50_000], 0.3).data
    let ones = 0
    for (const v of b) ones += v
    expect(Math.abs(ones / b.length - 0.3)).toBeLessThan(0.01)
    expect(new Set(b)).toEqual(new Set([0, 1]))
    const rng = new Rng(5)
    const counts = new Array<number>(3).fill(0)
    for (let i = 0; i < 30_000; i++) counts[rng.int(3)]++
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400)
    expect(() => rng.bernoulli([2], 1.5)).toThrow(/p must be in \[0, 1\]/)
    expect(() => rng.normal([2], 0, -1)).toThrow(/normal: std must be non-negative, got -1/)
    expect(() => rng.normal([2], 0, NaN)).toThrow(/normal: std must be non-negative, got NaN/)
  })

  it('permutes: every index once, every position equally likely', () => {
    const rng = new Rng(6)
    const hits = new Array<number>(5).fill(0)
    for (let t = 0; t < 5000; t++) {
      const p = rng.permutation(5)
      expect([...p].sort()).toEqual([0, 1, 2, 3, 4])
      hits[p[0]]++
    }
    for (const h of hits) expect(Math.abs(h - 1000)).toBeLessThan(150)
    expect(rng.permutation(0).length).toBe(0)
  })
})

/**
 * The WASM emitter, the kernel builds and their driver: every emitted module validates, the
 * kernel text is snapshotted, and every build (FMA 5x8, SIMD 5x8, JS) matches the float64
 * reference with NaN-poisoned outputs, over ragged and transposed shapes, on one and on two
 * threads, through every blocking path.
 */
import { availableParallelism } from 'node:os'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import * as T from '../src/index.js'
import { ModuleBuilder, sleb, uleb, type Instr } from '../src/kernels/wasm/emitter.js'
import { buildElementwiseModule } from '../src/kernels/wasm/elementwise_kernel.js'
import { buildGemmModule, FMA_5X8, kernelName, SIMD_5X8, type KernelConfig } from '../src/kernels/wasm/gemm_kernel.js'
import { detectFeatures } from '../src/kernels/wasm/features.js'
import { WasmRuntime } from '../src/kernels/wasm/runtime.js'
import { jsGemmBackend } from '../src/kernels/js/gemm.js'
import { checkGemmBackend, checkMatmulGrid, cube, eventually, GRID, nanFilled, U32 } from './helpers.js'

const MEMORY = { module: 'env', field: 'memory', initial: 1, maximum: 1024, shared: true }

describe('emitter', () => {
  it('encodes LEB128 as the spec examples', () => {
    expect(uleb(0)).toEqual([0x00])
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26])
    expect(sleb(-1)).toEqual([0x7f])
    expect(sleb(63)).toEqual([0x3f])
    expect(sleb(64)).toEqual([0xc0, 0x00])
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78])
    expect(() => uleb(-1)).toThrow(/not a non-negative integer/)
  })

  it('assembles a function that runs', () => {
    // sum(ptr, n): the f32 sum of n floats at ptr
    const body: Instr[] = [
      ['f32.const', 0], ['local.set', 'acc'],
      ['loop', 'next'],
      ['local.get', 'acc'], ['local.get', 'ptr'], ['f32.load', {}], ['f32.add'], ['local.set', 'acc'],
      ['local.get', 'ptr'], ['i32.const', 4], ['i32.add'], ['local.set', 'ptr'],
      ['local.get', 'n'], ['i32.const', 1], ['i32.sub'], ['local.tee', 'n'], ['br_if', 'next'],
      ['end'],
      ['local.get', 'acc'],
    ]
    const bytes = new ModuleBuilder()
      .importMemory({ module: 'env', field: 'memory', initial: 1 })
      .addFunction({
        name: 'sum', params: [['ptr', 'i32'], ['n', 'i32']], locals: [['acc', 'f32']], results: ['f32'], body,
      })
      .toBytes()
    expect(WebAssembly.validate(bytes)).toBe(true)
    const memory = new WebAssembly.Memory({ initial: 1 })
    new Float32Array(memory.buffer).set([1.5, 2, 4], 2)
    const { sum } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as {
      sum(p: number, n: number): number
    }
    expect(sum(8, 3)).toBe(7.5)
  })

  it('names its functions for stack traces and profiles (the name section)', () => {
    // A load past the end of the one-page memory traps inside $outOfBounds, called from $caller.
    const bytes = new ModuleBuilder()
      .importMemory({ module: 'env', field: 'memory', initial: 1 })
      .addFunction({
        name: 'outOfBounds', export: false, params: [], locals: [], results: ['f32'],
        body: [['i32.const', 1 << 20], ['f32.load', {}]],
      })
      .addFunction({ name: 'caller', params: [], locals: [], results: ['f32'], body: [['call', 'outOfBounds']] })
      .toBytes()
    const module = new WebAssembly.Module(bytes)
    expect(WebAssembly.Module.customSections(module, 'name')).toHaveLength(1)
    const { caller } = new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } })
      .exports as { caller(): number }
    let stack = ''
    try {
      caller()
    } catch (e) {
      stack = String((e as Error).stack)
    }
    expect(stack).toMatch(/RuntimeError/)
    expect(stack).toMatch(/outOfBounds[\s\S]*caller/)
  })

  it('prints constants as WAT reads them back: -0 keeps its sign', () => {
    const wat = new ModuleBuilder()
      .addFunction({ name: 'f', params: [], locals: [], results: ['f32'], body: [['f32.const', -0]] }).toWat()
    expect(wat).toContain('f32.const -0')
    const zero = new ModuleBuilder()
      .addFunction({ name: 'f', params: [], locals: [], results: ['f32'], body: [['f32.const', 0]] }).toWat()
    expect(zero).toContain('f32.const 0')
    expect(zero).not.toContain('-0')
  })

  it('rejects malformed code with the function and instruction named', () => {
    const fn = (body: Instr[]) => () =>
      new ModuleBuilder().addFunction({ name: 'f', params: [], locals: [], body }).toBytes()
    expect(fn([['local.get', 'x']])).toThrow('f: local.get: unknown local $x')
    expect(fn([['block', 'a']])).toThrow('f: block $a is never closed')
    expect(fn([['end']])).toThrow('f: end without an open block')
    expect(fn([['br', 'nowhere']])).toThrow('f: br: no enclosing block named $nowhere')
    expect(fn([['call', 'g']])).toThrow('f: call: unknown function $g')
  })
})

describe('kernel builds', () => {
  const features = detectFeatures()

  it('this engine has SIMD, relaxed SIMD (set up under Node 20) and threads', () => {
    // Every machine this project targets (Node 20+) has all three; a failure here means a build
    // is not being exercised.
    expect(features).toMatchObject({ simd: true, relaxedSimd: true, threads: true })
  })

  for (const config of [FMA_5X8, SIMD_5X8]) {
    const name = kernelName(config)
    it(`${name}: the module validates and its WAT matches the snapshot`, async () => {
      const module = buildGemmModule(config, MEMORY)
      expect(WebAssembly.validate(module.toBytes())).toBe(true)
      await expect(module.toWat()).toMatchFileSnapshot(`./__snapshots__/${name}.wat`)
    })
  }

  it('the elementwise kernels: the module validates and its WAT matches the snapshot', async () => {
    const module = buildElementwiseModule(MEMORY)
    expect(WebAssembly.validate(module.toBytes())).toBe(true)
    await expect(module.toWat()).toMatchFileSnapshot('./__snapshots__/elementwise.wat')
  })
})

/** A build on its own memory, with small blocks so that small shapes cross block edges. */
function smallBlocks(config: KernelConfig): WasmRuntime {
  const g = new WasmRuntime(config, true)
  g.gemm.blocks = { mc: 4 * config.mr, nc: 16, kc: 7 }
  return g
}

const RAGGED = cube([1, 2, 5, 8, 13])
const BLOCKED: [number, number, number][] = [
  [23, 37, 19], [41, 17, 30], [9, 33, 7], [20, 16, 14], [1, 50, 1], [50, 1, 22],
]

describe.each([
  ['FMA 5x8', FMA_5X8],
  ['SIMD 5x8', SIMD_5X8],
] as const)('WASM %s', (_, config) => {
  const pool: WasmRuntime[] = []
  afterAll(() => pool.forEach((g) => g.setThreads(1)))

  it('matches the float64 reference over ragged and transposed shapes', () => {
    checkGemmBackend(new WasmRuntime(config, true).gemm, [...cube(GRID.filter((s) => s !== 17)), [1, 1, 1]])
  })

  it('matches it through every blocking path (several row, column and depth blocks)', () => {
    checkGemmBackend(smallBlocks(config).gemm, BLOCKED)
  })

  it('with 2 threads: the same results, bit for bit, as with one', async () => {
    const one = smallBlocks(config)
    const two = smallBlocks(config)
    pool.push(two)
    two.gemm.parallelThreshold = 0
    two.setThreads(2)
    await eventually(() => two.readyWorkers === 1)
    const shapes = [...BLOCKED, ...RAGGED.slice(0, 40)]
    const a = checkGemmBackend(one.gemm, shapes, 7)
    const b = checkGemmBackend(two.gemm, shapes, 7)
    expect(two.threads).toBe(2)
    a.forEach((c, i) => expect(b[i]).toEqual(c))
    // and on default blocks, one large product
    const big = new WasmRuntime(config, true)
    pool.push(big)
    big.setThreads(2)
    await eventually(() => big.readyWorkers === 1)
    const ref = checkGemmBackend(new WasmRuntime(config, true).gemm, [[130, 70, 90]], 3)
    expect(checkGemmBackend(big.gemm, [[130, 70, 90]], 3)).toEqual(ref)
  })

  it('when a worker dies, the error surfaces and products continue, correct, on one thread', async () => {
    const g = smallBlocks(config)
    pool.push(g)
    g.gemm.parallelThreshold = 0
    g.setThreads(2)
    await eventually(() => g.readyWorkers === 1)
    const warn = console.warn
    const warnings: string[] = []
    console.warn = (m: string) => warnings.push(m)
    try {
      g.crashWorkersForTesting()
      await eventually(() => g.threadError !== undefined)
      expect(g.threads).toBe(1)
      expect(g.threadError?.message).toMatch(/worker crash requested by a test/)
      expect(warnings.join()).toMatch(/worker pool failed and products continue on one thread/)
      checkGemmBackend(g.gemm, BLOCKED.slice(0, 2))
    } finally {
      console.warn = warn
    }
  })
})

describe('elementwise kernels split between threads', () => {
  const started: WasmRuntime[] = []
  afterAll(() => started.forEach((g) => g.setThreads(1)))

  /** A kernel build whose long elementwise calls (at least `minQuads`) are split between 2 threads. */
  const twoThreads = async (minQuads: number): Promise<WasmRuntime> => {
    const g = new WasmRuntime(FMA_5X8, true)
    started.push(g)
    g.elementwise.parallelQuads = minQuads
    g.setThreads(2)
    await eventually(() => g.readyWorkers === 1)
    return g
  }
  /** Arrays in g's memory: inputs from a seeded normal, outputs NaN-poisoned. */
  const arrays = (g: WasmRuntime, quads: number, inputs: number, outputs: number): Float32Array[] => {
    const rng = new T.Rng(quads)
    return [
      ...Array.from({ length: inputs }, () => {
        const v = g.memory.allocateRegion(16 * quads)
        v.set(rng.normal([4 * quads]).data)
        return v
      }),
      ...Array.from({ length: outputs }, () => g.memory.allocateRegion(16 * quads).fill(NaN)),
    ]
  }
  /** Indices where x and y differ in their bits (toEqual is slow on millions of elements). */
  const differences = (x: Float32Array, y: Float32Array): number => {
    const [u, w] = [new Uint32Array(x.buffer, x.byteOffset, x.length),
      new Uint32Array(y.buffer, y.byteOffset, y.length)]
    let count = Math.abs(u.length - w.length)
    for (let i = 0; i < Math.min(u.length, w.length); i++) if (u[i] !== w[i]) count++
    return count
  }
  const hyper = [0.9, 0.999, 0.1, 0.001, 1e-3, 1.0005, 1e-8, 1, 0.01]

  it('give the same results, bit for bit, as one thread, over ragged lengths (every kernel with a range)', async () => {
    const one = new WasmRuntime(FMA_5X8, true)
    const two = await twoThreads(1)
    // Lengths that leave a ragged last chunk, and one shorter than a chunk per thread.
    for (const quads of [1, 37, 1001, 4099]) {
      const run = (g: WasmRuntime): Float32Array[] => {
        const [a, b, o] = arrays(g, quads, 2, 1)
        const ew = g.elementwise
        const out: Float32Array[] = []
        const keep = (): void => { out.push(o.slice()); o.fill(NaN) }
        const noTail = (): void => { throw new Error('no tail expected: whole quads') }
        for (const op of ['add', 'sub', 'mul', 'div', 'greater', 'reluGrad', 'sigmoidGrad']) {
          for (const [as, bs] of [[1, 1], [1, 0], [0, 1]]) {
            ew.runs(op, noTail)(a, 0, as, b, 0, bs, o, 0, 4 * quads)
            keep()
          }
        }
        for (const op of ['neg', 'square', 'relu', 'sigmoid'] as const) {
          ew.map(op, [a, o], [], noTail)
          keep()
        }
        // Adam updates p, m and v in place.
        const [p, grad, m, v] = arrays(g, quads, 4, 0)
        v.set(v.map(Math.abs))
        ew.map('adam', [p, grad, m, v], hyper, noTail)
        out.push(p, m, v)
        return out
      }
      const want = run(one)
      const got = run(two)
      expect(got.length).toBe(want.length)
      want.forEach((w, i) => {
        expect(w.some(Number.isNaN)).toBe(false)
        expect(got[i]).toEqual(w)
      })
    }
    expect(two.threads).toBe(2)
    expect(two.threadError).toBeUndefined()
  })

  /** Runs `call` while the worker crashes holding a chunk of it; returns what it did and the warning. */
  /**
   * Runs `call` on arrays from `prepare` with workers that die inside an elementwise job. The
   * worker joins a job only if it arrives before the caller has claimed every chunk, which a busy
   * machine can delay past a whole pass: then the pass simply completes on the caller, and it is
   * run again (at most 50 times) until the pool has lost its worker or the call threw.
   */
  const withLostWorker = async <A>(prepare: (g: WasmRuntime) => A, call: (g: WasmRuntime, arrays: A) => void):
    Promise<{ g: WasmRuntime; error: unknown; warnings: string[] }> => {
    const g = await twoThreads(1)
    const prepared = prepare(g)
    const warn = console.warn
    const warnings: string[] = []
    console.warn = (m: string) => warnings.push(m)
    let error: unknown
    try {
      g.crashWorkersForTesting(true)
      for (let tries = 0; tries < 50 && g.threads > 1; tries++) call(g, prepared)
    } catch (e) {
      error = e
    } finally {
      console.warn = warn
    }
    return { g, error, warnings }
  }
  // Long enough (16 MB per array, milliseconds of work) that the spinning worker usually joins
  // before the caller has claimed every chunk.
  const LONG = 1 << 20

  it('when a worker is lost holding a chunk, the caller redoes the pass: the result is complete', async () => {
    let a!: Float32Array
    let o!: Float32Array
    const { g, error, warnings } = await withLostWorker((g) => ([a, o] = arrays(g, LONG, 1, 1)), (g) => {
      o.fill(NaN) // each try starts from nothing written, so a half pass would show
      g.elementwise.map('sigmoid', [a, o], [], () => {})
    })
    expect(error).toBeUndefined()
    expect(g.threadError?.message).toMatch(/a worker's task failed/)
    expect(g.threads).toBe(1)
    expect(g.readyWorkers).toBe(0) // what getBackendInfo reports: none, not the dead worker
    expect(warnings.join()).toMatch(/worker pool failed/)
    const want = new WasmRuntime(FMA_5X8, true)
    const [a1, o1] = arrays(want, LONG, 1, 1)
    expect(differences(a1, a)).toBe(0)
    want.elementwise.map('sigmoid', [a1, o1], [], () => {})
    expect(o1.some(Number.isNaN)).toBe(false)
    expect(differences(o, o1)).toBe(0)
  })

  it('when the lost chunk was being updated in place (Adam), ' +
    'the call throws instead of returning a half update', async () => {
    const { g, error } = await withLostWorker((g) => arrays(g, LONG, 4, 0), (g, [p, grad, m, v]) => {
      v.fill(1)
      g.elementwise.map('adam', [p, grad, m, v], hyper, () => {})
    })
    expect(String(error))
      .toMatch(/the worker pool failed during adam, which writes over its inputs; it may be partly done/)
    expect(g.threads).toBe(1)
  })

  it('the convolution windows split by rows (im2col) and channels (col2im) ' +
    'give the same results as one thread', async () => {
    const one = new WasmRuntime(FMA_5X8, true)
    const two = await twoThreads(1)
    const geometry = [8, 4, 28, 28, 3, 3, 2, 2, 1, 1, 14, 14] // images, c, h, w, kernel, stride, padding, out
    const [imgSize, colsSize] = [8 * 4 * 28 * 28, 4 * 9 * 8 * 14 * 14]
    const run = (g: WasmRuntime): Float32Array[] => {
      const img = g.memory.allocateRegion(4 * imgSize)
      img.set(new T.Rng(5).normal([imgSize]).data)
      const cols = g.memory.allocateRegion(4 * colsSize).fill(NaN)
      const noJs = (): void => { throw new Error('the WASM kernel should run') }
      g.elementwise.window('im2col', img, cols, geometry, -Infinity, noJs)
      const back = g.memory.allocateRegion(4 * imgSize).fill(0)
      g.elementwise.window('col2im', cols, back, geometry, 0, noJs)
      return [cols.slice(), back.slice()]
    }
    const [want, got] = [run(one), run(two)]
    expect(want[0].some(Number.isNaN)).toBe(false)
    expect(differences(got[0], want[0])).toBe(0)
    expect(differences(got[1], want[1])).toBe(0)
    expect(two.threadError).toBeUndefined()
  })

  it('the row kernels split by rows (copy_rows) and by columns (sum_rows) give the bits of one thread',
    async () => {
      const one = new WasmRuntime(FMA_5X8, true)
      const two = await twoThreads(1)
      const [rows, n] = [67, 259] // odd: a ragged last chunk and a JavaScript tail in every row
      const run = (g: WasmRuntime): Float32Array[] => {
        const x = g.memory.allocateRegion(4 * rows * n)
        x.set(new T.Rng(8).normal([rows * n]).data)
        const copied = g.memory.allocateRegion(4 * rows * n).fill(NaN)
        g.elementwise.copyRows(x, 3, n, rows - 1, n - 3, copied, 0)
        const repeated = g.memory.allocateRegion(4 * rows * n).fill(NaN)
        g.elementwise.copyRows(x, n, 0, rows, n, repeated, 0)
        const sums = new Float32Array(n).fill(NaN)
        g.elementwise.sumRows(x, 0, rows, n, sums, 0)
        return [copied.slice(0, (rows - 1) * (n - 3)), repeated.slice(), sums]
      }
      // Called directly only when not split: count those calls on the two-thread runtime.
      let direct = 0
      for (const name of ['copy_rows', 'sum_rows']) {
        const f = two.elementwise.kernels[name]
        two.elementwise.kernels[name] = (...args: number[]) => (direct++, f(...args))
      }
      const [want, got] = [run(one), run(two)]
      expect(direct).toBe(0)
      for (const [i, w] of want.entries()) {
        expect(w.some(Number.isNaN)).toBe(false)
        expect(differences(got[i], w)).toBe(0)
      }
      expect(two.threadError).toBeUndefined()
    })

  it('short calls stay on the calling thread', async () => {
    const g = await twoThreads(1 << 30)
    g.crashWorkersForTesting(true)
    const [a, o] = arrays(g, 4099, 1, 1)
    g.elementwise.map('sigmoid', [a, o], [], () => {})
    // A worker that had joined would have crashed and broken the pool.
    expect(g.threadError).toBeUndefined()
    expect(g.threads).toBe(2)
  })
})

describe('other register tiles (createGemmBackend({ tile }), for measuring the choice)', () => {
  it.each([
    ['plain 4x8, no pin', false, { mr: 4 }],
    ['FMA 6x8, pinned after every row', true, { mr: 6, pinAfter: [0, 1, 2, 3, 4] }],
    ['plain 7x8, whose row blocks shrink to whole panels', false, { mr: 7, pinAfter: [1, 3, 5] }],
    ['FMA 4x8, splat broadcasts (the FMA build until 2026-12-03)', true, { mr: 4 }],
    ['plain 6x8, rows 0-3 broadcast by shuffles', false, { mr: 6, pinAfter: [1, 3], broadcast: 'shuffle' }],
  ] as const)('%s: matches the float64 reference', (_, fma, tile) => {
    const g = T.createGemmBackend('wasm', { fma, tile })
    expect(g.name).toBe(`wasm-f32_gemm_${tile.mr}x8_${fma ? 'wasmrelaxedsimd_fma' : 'wasmsimd'}`)
    checkGemmBackend(g, [...RAGGED.slice(0, 30), [23, 37, 19], [1961, 9, 3]])
    g.close()
  })

  it('rejects tiles it cannot build, naming the problem', () => {
    expect(() => T.createGemmBackend('wasm', { tile: { mr: 0 } }))
      .toThrow('tile.mr must be an integer from 1 to 8, got 0')
    expect(() => T.createGemmBackend('wasm', { tile: { mr: 9 } })).toThrow('got 9')
    expect(() => T.createGemmBackend('wasm', { tile: { mr: 5, pinAfter: [4] } }))
      .toThrow('tile.pinAfter holds rows after which more rows follow (0 to 3 for mr = 5), got 4')
  })
})

describe('JS kernel through the same checks', () => {
  it('matches the reference over the same shapes', () => {
    checkGemmBackend(jsGemmBackend, [...RAGGED, ...BLOCKED])
  })
})

describe('backend selection', () => {
  afterAll(() => T.setBackend('auto'))

  it('without SharedArrayBuffer (a browser page that is not cross-origin isolated): ' +
    'one thread, no arenas, a clear error for more', () => {
    const g = globalThis as { SharedArrayBuffer?: unknown }
    const saved = g.SharedArrayBuffer
    delete g.SharedArrayBuffer
    try {
      expect(T.getDefaultThreads()).toBe(1)
      const kernel = new WasmRuntime(FMA_5X8, false) // what createWasmRuntime builds there: unshared memory
      expect(kernel.supportsArenas).toBe(false)
      expect(new T.Arena(1024, {}, kernel).resident).toBe(false)
      kernel.setThreads(1)
      expect(() => kernel.setThreads(2)).toThrow('threads need shared WebAssembly memory, ' +
        'which this platform does not offer (in a browser: a cross-origin-isolated page)')
      checkGemmBackend(kernel.gemm, [[9, 13, 21]], 1)
    } finally {
      g.SharedArrayBuffer = saved
    }
    expect(T.getDefaultThreads()).toBeGreaterThanOrEqual(1)
  })

  for (const [name, options] of [['wasm', { fma: true }], ['wasm', { fma: false }], ['js', {}]] as const) {
    it(`setBackend('${name}', ${JSON.stringify(options)}) runs matmul on that kernel`, () => {
      T.setBackend(name, options)
      const info = T.getBackendInfo()
      expect(info.kernel).toBe(name === 'js' ? 'js-4x4' : `wasm-${kernelName(options.fma ? FMA_5X8 : SIMD_5X8)}`)
      checkMatmulGrid([1, 3, 8, 9], 'float32', U32)
      // the empty cases
      expect(T.matmul(T.zeros([0, 3]), T.zeros([3, 4])).shape).toEqual([0, 4])
      expect([...T.matmul(T.zeros([2, 0]), T.zeros([0, 2]), { out: nanFilled([2, 2], 'float32') }).data])
        .toEqual([0, 0, 0, 0])
    })
  }

  it("reports what runs: backend, kernel, SIMD, relaxed SIMD, threads", () => {
    T.setBackend('auto')
    const info = T.getBackendInfo()
    expect(info).toMatchObject({ backend: 'auto', simd: true, relaxedSimd: true })
    expect(info.kernel).toBe(`wasm-${kernelName(FMA_5X8)}`)
    expect(info.threads).toBe(T.getDefaultThreads())
    expect(() => T.setBackend('gpu' as never)).toThrow("setBackend: unknown backend 'gpu'")
    expect(() => T.setNumThreads(0)).toThrow(/positive integer/)
    // At most one thread per core: the count used comes back.
    const cores = availableParallelism()
    try {
      expect(T.setNumThreads(cores + 5)).toBe(cores)
      expect(T.getBackendInfo().threads).toBeLessThanOrEqual(cores)
      expect(T.setNumThreads(1)).toBe(1)
    } finally {
      T.setNumThreads(T.getDefaultThreads())
    }
  })

  const run = (env: Record<string, string>, code: string): string => {
    const root = fileURLToPath(new URL('../../..', import.meta.url))
    const args = ['--conditions=@latent/source', '--import', 'tsx', '--input-type=module', '-e', code]
    const r = spawnSync(process.execPath, args, {
      cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000,
    })
    if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`)
    return r.stdout.trim()
  }

  it('LATENT_BACKEND and LATENT_WASM_FMA override the default', () => {
    const code = "import { getBackendInfo } from '@latent/tensor'; console.log(getBackendInfo().kernel)"
    expect(run({ LATENT_BACKEND: 'js' }, code)).toBe('js-4x4')
    expect(run({ LATENT_BACKEND: 'wasm', LATENT_WASM_FMA: '0' }, code)).toBe(`wasm-${kernelName(SIMD_5X8)}`)
  })

  it('the worker pool never keeps a Node process alive', () => {
    const code = `import * as T from '@latent/tensor'
      T.setNumThreads(2)
      const a = T.ones([300, 300]); T.matmul(a, a)
      await new Promise((r) => setTimeout(r, 200))
      T.matmul(a, a)
      console.log('threads', T.getBackendInfo().threads)`
    const started = Date.now()
    expect(run({}, code)).toBe('threads 2')
    expect(Date.now() - started).toBeLessThan(25_000)
  })
})

/**
 * SIMD elementwise kernels over the GEMM kernel's memory, for tensors that live there (arenas):
 * a training step whose temporaries are in an arena runs its hot elementwise work here (`pnpm
 * bench elementwise`: a 200k-float add at 0.32 to 0.39 ns per float, against 6.8 to 10.3 in
 * ordinary memory). Tensors elsewhere keep the JavaScript kernels, which stay the reference.
 *
 * Every function works on whole vectors of 4 floats (`quads`); the caller does the last n % 4
 * elements in JavaScript. Pointers are byte offsets. Binary ops come in three forms by operand
 * strides, like the runs of elementwise.ts: `_11` both advance, `_10` b is one broadcast float,
 * `_01` a is.
 */
import { type FunctionSpec, type Instr, type MemoryImport, ModuleBuilder } from './emitter.js'

const get = (n: string): Instr => ['local.get', n]
const set = (n: string): Instr => ['local.set', n]
const i32 = (v: number): Instr => ['i32.const', v]
const bump = (n: string): Instr[] => [get(n), i32(16), ['i32.add'], set(n)]

/** The loop shared by every kernel: `body` once per quad, with the listed pointers advanced. */
function quadLoop(body: Instr[], advance: string[]): Instr[] {
  return [
    get('quads'), ['i32.eqz'], ['br_if', 'done'],
    ['loop', 'quad'],
    ...body,
    ...advance.flatMap(bump),
    get('quads'), i32(1), ['i32.sub'], ['local.tee', 'quads'], ['br_if', 'quad'],
    ['end'],
  ]
}

/** The vector operation of each binary op, from the two operands on the stack. */
const BINARY: Record<string, Instr[]> = {
  add: [['f32x4.add']],
  sub: [['f32x4.sub']],
  mul: [['f32x4.mul']],
  div: [['f32x4.div']],
  // 1 where a > b, else 0: the comparison's all-ones lanes masked down to the bits of 1.0.
  greater: [['f32x4.gt'], ['f32.const', 1], ['f32x4.splat'], ['v128.and']],
}

function binaryFunction(op: string, form: '11' | '10' | '01'): FunctionSpec {
  const operand = (p: 'a' | 'b', advances: boolean): Instr[] => (advances ? [get(p), ['v128.load', {}]] : [get(`${p}v`)])
  const splat = (p: 'a' | 'b'): Instr[] => [get(p), ['v128.load32_splat', {}], set(`${p}v`)]
  return {
    name: `${op}_${form}`,
    params: [['a', 'i32'], ['b', 'i32'], ['o', 'i32'], ['quads', 'i32']],
    locals: [['av', 'v128'], ['bv', 'v128']],
    body: [
      ['block', 'done'],
      ...(form === '01' ? splat('a') : form === '10' ? splat('b') : []),
      ...quadLoop([get('o'), ...operand('a', form !== '01'), ...operand('b', form !== '10'), ...BINARY[op], ['v128.store', {}]], ['o', ...(form !== '01' ? ['a'] : []), ...(form !== '10' ? ['b'] : [])]),
      ['end'],
    ],
  }
}

/** The vector operation of each unary op, from x in local `x`. */
const UNARY: Record<string, Instr[]> = {
  // A vector copy, for broadcasts of arena tensors (a bias over a batch: hundreds of short rows;
  // `pnpm bench elementwise`: 1.2 to 1.3 ns per float, against 2.0 to 4.7 in ordinary memory).
  copy: [get('x')],
  neg: [get('x'), ['f32x4.neg']],
  square: [get('x'), get('x'), ['f32x4.mul']],
  // x where x > 0, else 0 (NaN gives 0, as the JavaScript kernel's x > 0 ? x : 0)
  relu: [get('x'), get('x'), ['f32.const', 0], ['f32x4.splat'], ['f32x4.gt'], ['v128.and']],
}

const f4 = (v: number): Instr[] => [['f32.const', v], ['f32x4.splat']]

/**
 * e^t for t <= 0 in local `t`, left on the stack: t clamped to -104 (below, e^t is under half the
 * smallest float32), t = n ln 2 + r with n = round(t / ln 2) and |r| <= ln 2 / 2 (ln 2 in two
 * parts, so that r is exact), e^r by its Taylor polynomial to degree 7 (remainder below 2⁻²⁷
 * relative), times 2ⁿ as 2^(n - n/2) · 2^(n/2), each built in the exponent bits ((m + 127) << 23)
 * and so a normal float even where the result is subnormal.
 */
function expNonPositive(): Instr[] {
  const taylor = [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1] // 1/7!, 1/6!, ..., 1/1!, 1/0!
  return [
    get('t'), ...f4(-104), ['f32x4.max'], set('t'),
    get('t'), ...f4(Math.LOG2E), ['f32x4.mul'], ['f32x4.nearest'], set('n'),
    get('t'), get('n'), ...f4(0.693145751953125), ['f32x4.mul'], ['f32x4.sub'],
    get('n'), ...f4(1.428606765330187e-6), ['f32x4.mul'], ['f32x4.sub'], set('r'),
    // Horner: ((c7 r + c6) r + ...) r + c0
    ...f4(taylor[0]),
    ...taylor.slice(1).flatMap((c): Instr[] => [get('r'), ['f32x4.mul'], ...f4(c), ['f32x4.add']]),
    get('n'), ['i32x4.trunc_sat_f32x4_s'], set('n'), // n as integers from here
    get('n'), ['i32.const', 1], ['i32x4.shr_s'], set('half'),
    get('half'), ['i32.const', 127], ['i32x4.splat'], ['i32x4.add'], ['i32.const', 23], ['i32x4.shl'], ['f32x4.mul'],
    get('n'), get('half'), ['i32x4.sub'], ['i32.const', 127], ['i32x4.splat'], ['i32x4.add'], ['i32.const', 23], ['i32x4.shl'], ['f32x4.mul'],
  ]
}

/**
 * sigmoid(x) with e = e^-|x| (never overflows): 1 / (1 + e) for x >= 0, e / (1 + e) below
 * (the JavaScript kernel's two branches, as a lane select).
 */
function sigmoidFunction(): FunctionSpec {
  return {
    name: 'sigmoid',
    params: [['a', 'i32'], ['o', 'i32'], ['quads', 'i32']],
    locals: [['x', 'v128'], ['t', 'v128'], ['n', 'v128'], ['half', 'v128'], ['r', 'v128'], ['e', 'v128'], ['s', 'v128']],
    body: [['block', 'done'], ...quadLoop([
      get('a'), ['v128.load', {}], set('x'),
      get('x'), ['f32x4.abs'], ['f32x4.neg'], set('t'),
      ...expNonPositive(), set('e'),
      ...f4(1), ...f4(1), get('e'), ['f32x4.add'], ['f32x4.div'], set('s'),
      get('o'),
      get('s'), get('e'), get('s'), ['f32x4.mul'], get('x'), ...f4(0), ['f32x4.ge'], ['v128.bitselect'],
      ['v128.store', {}],
    ], ['a', 'o']), ['end']],
  }
}

function unaryFunction(op: string): FunctionSpec {
  return {
    name: op,
    params: [['a', 'i32'], ['o', 'i32'], ['quads', 'i32']],
    locals: [['x', 'v128']],
    body: [['block', 'done'], ...quadLoop([get('o'), get('a'), ['v128.load', {}], set('x'), ...UNARY[op], ['v128.store', {}]], ['a', 'o']), ['end']],
  }
}

/**
 * adam(p, g, m, v, quads, β1, β2, 1-β1, 1-β2, stepSize, 1/√(1-β2ᵗ), ε, decay, λ): one Adam update
 * in float32, the formula of @latent/nn's Adam (without amsgrad):
 *   w = p·decay;  d = g + λw;  m = β1 m + (1-β1) d;  v = β2 v + (1-β2) d²;  p = w - stepSize·m / (√v / √(1-β2ᵗ) + ε)
 */
function adamFunction(): FunctionSpec {
  const splatParams = ['b1', 'b2', 'keep1', 'keep2', 'step', 'corr', 'eps', 'decay', 'l2']
  const vec = (n: string): string => `${n}4`
  return {
    name: 'adam',
    params: [['p', 'i32'], ['g', 'i32'], ['m', 'i32'], ['v', 'i32'], ['quads', 'i32'], ...splatParams.map((n): [string, 'f32'] => [n, 'f32'])],
    locals: [...splatParams.map((n): [string, 'v128'] => [vec(n), 'v128']), ['w', 'v128'], ['d', 'v128'], ['mi', 'v128'], ['vi', 'v128']],
    body: [
      ['block', 'done'],
      ...splatParams.flatMap((n): Instr[] => [get(n), ['f32x4.splat'], set(vec(n))]),
      ...quadLoop([
        get('p'), ['v128.load', {}], get(vec('decay')), ['f32x4.mul'], set('w'),
        get('g'), ['v128.load', {}], get(vec('l2')), get('w'), ['f32x4.mul'], ['f32x4.add'], set('d'),
        get(vec('b1')), get('m'), ['v128.load', {}], ['f32x4.mul'], get(vec('keep1')), get('d'), ['f32x4.mul'], ['f32x4.add'], set('mi'),
        get(vec('b2')), get('v'), ['v128.load', {}], ['f32x4.mul'], get(vec('keep2')), get('d'), get('d'), ['f32x4.mul'], ['f32x4.mul'], ['f32x4.add'], set('vi'),
        get('m'), get('mi'), ['v128.store', {}],
        get('v'), get('vi'), ['v128.store', {}],
        get('p'),
        get('w'),
        get(vec('step')), get('mi'), ['f32x4.mul'],
        get('vi'), ['f32x4.sqrt'], get(vec('corr')), ['f32x4.mul'], get(vec('eps')), ['f32x4.add'],
        ['f32x4.div'], ['f32x4.sub'],
        ['v128.store', {}],
      ], ['p', 'g', 'm', 'v']),
      ['end'],
    ],
  }
}

export const BINARY_OPS = Object.keys(BINARY)
export const UNARY_OPS = Object.keys(UNARY)

/** The module: every binary op in its three forms, the unary ops and Adam, over imported memory. */
export function buildElementwiseModule(memory: MemoryImport): ModuleBuilder {
  const builder = new ModuleBuilder().importMemory(memory)
  for (const op of BINARY_OPS) for (const form of ['11', '10', '01'] as const) builder.addFunction(binaryFunction(op, form))
  for (const op of UNARY_OPS) builder.addFunction(unaryFunction(op))
  builder.addFunction(sigmoidFunction())
  return builder.addFunction(adamFunction())
}

type Ptr = number
export interface ElementwiseExports {
  [binary: `${string}_${'11' | '10' | '01'}`]: (a: Ptr, b: Ptr, o: Ptr, quads: number) => void
  copy(a: Ptr, o: Ptr, quads: number): void
  neg(a: Ptr, o: Ptr, quads: number): void
  square(a: Ptr, o: Ptr, quads: number): void
  relu(a: Ptr, o: Ptr, quads: number): void
  sigmoid(a: Ptr, o: Ptr, quads: number): void
  adam(p: Ptr, g: Ptr, m: Ptr, v: Ptr, quads: number, b1: number, b2: number, keep1: number, keep2: number, step: number, corr: number, eps: number, decay: number, l2: number): void
}

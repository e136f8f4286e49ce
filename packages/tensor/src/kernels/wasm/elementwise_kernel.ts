/**
 * SIMD elementwise kernels over the WASM memory, for tensors that live there (arenas): a
 * training step whose temporaries are in an arena runs its hot elementwise work here (`pnpm
 * bench elementwise`: a 200k-float add at 0.32 to 0.39 ns per float, against 6.8 to 10.3 in
 * ordinary memory). Each computes, in float32, exactly what the op's JavaScript kernel computes
 * (the JavaScript float32 kernels round after every operation, as these do), so results are the
 * same bit for bit wherever a tensor lives; the tests check it.
 *
 * Every function works on whole vectors of 4 floats (`quads`); the driver does the last n % 4
 * elements with the JavaScript kernel. Pointers are byte offsets. Binary ops come in three forms
 * by operand strides, like the runs of ops/elementwise.ts: `_11` both advance, `_10` b is one
 * broadcast float, `_01` a is.
 */
import { addTo, f4, get, i32, ModuleBuilder, set } from './emitter.js'
import type { FunctionSpec, Instr, MemoryImport, ValType } from './emitter.js'

/**
 * The loop shared by every kernel: `body` once per quad (or group), with the listed pointers
 * advanced by `bytes` (or by their own count, given as [pointer, bytes]).
 */
function quadLoop(body: Instr[], advance: (string | [string, number])[], bytes = 16): Instr[] {
  return [
    get('quads'), ['i32.eqz'], ['br_if', 'done'],
    ['loop', 'quad'],
    ...body,
    ...advance.flatMap((p) => (typeof p === 'string' ? addTo(p, bytes) : addTo(...p))),
    get('quads'), i32(1), ['i32.sub'], ['local.tee', 'quads'], ['br_if', 'quad'],
    ['end'],
  ]
}

/**
 * For the long formulas (sigmoid, Adam): `quad(q)` (the work on the quad at byte offset 16q,
 * in locals suffixed q) twice per iteration, then the odd last quad alone. Two independent
 * chains per iteration let the processor overlap them (`pnpm bench elementwise`).
 */
function pairedLoop(quad: (q: number) => Instr[], advance: string[]): Instr[] {
  return [
    get('quads'), i32(1), ['i32.and'], set('rest'),
    get('quads'), i32(1), ['i32.shr_u'], set('quads'),
    ['block', 'done'], ...quadLoop([...quad(0), ...quad(1)], advance, 32), ['end'],
    get('rest'), set('quads'),
    ['block', 'done'], ...quadLoop(quad(0), advance), ['end'],
  ]
}

/** Locals `names` suffixed 0 and 1 (pairedLoop's two quads), all v128. */
const pairedLocals = (names: string[]): [string, ValType][] =>
  [0, 1].flatMap((q) => names.map((v): [string, ValType] => [v + q, 'v128']))

/** The vector operation of each binary op, from the two operands on the stack. */
const BINARY: Record<string, Instr[]> = {
  add: [['f32x4.add']],
  sub: [['f32x4.sub']],
  mul: [['f32x4.mul']],
  div: [['f32x4.div']],
  // 1 where a > b, else 0: the comparison's all-ones lanes masked down to the bits of 1.0.
  greater: [['f32x4.gt'], ...f4(1), ['v128.and']],
  // The larger (NaN wins, and max(-0, 0) = 0, as Math.max), and 1 where a == b or a < b, else 0.
  maximum: [['f32x4.max']],
  equal: [['f32x4.eq'], ...f4(1), ['v128.and']],
  less: [['f32x4.lt'], ...f4(1), ['v128.and']],
  // The backward passes of two activations, fused (one pass instead of two or three):
  // g where x > 0, else 0 (a = g, b = x);  g·y·(1 - y) (a = g, b = y = σ(z)).
  reluGrad: [...f4(0), ['f32x4.gt'], ['v128.and']],
  sigmoidGrad: [['local.tee', 't'], ...f4(1), get('t'), ['f32x4.sub'], ['f32x4.mul'], ['f32x4.mul']],
}

function binaryFunction(op: string, form: '11' | '10' | '01'): FunctionSpec {
  const operand = (p: 'a' | 'b', advances: boolean): Instr[] =>
    (advances ? [get(p), ['v128.load', {}]] : [get(`${p}v`)])
  const splat = (p: 'a' | 'b'): Instr[] => [get(p), ['v128.load32_splat', {}], set(`${p}v`)]
  const quad: Instr[] = [get('o'), ...operand('a', form !== '01'), ...operand('b', form !== '10'), ...BINARY[op],
    ['v128.store', {}]]
  const advance = ['o', ...(form !== '01' ? ['a'] : []), ...(form !== '10' ? ['b'] : [])]
  return {
    name: `${op}_${form}`,
    params: [['a', 'i32'], ['b', 'i32'], ['o', 'i32'], ['quads', 'i32']],
    locals: [['av', 'v128'], ['bv', 'v128'], ['t', 'v128']],
    body: [
      ['block', 'done'],
      ...(form === '01' ? splat('a') : form === '10' ? splat('b') : []),
      ...quadLoop(quad, advance),
      ['end'],
    ],
  }
}

/** The vector operation of each unary op, from x in local `x`. */
const UNARY: Record<string, Instr[]> = {
  neg: [get('x'), ['f32x4.neg']],
  square: [get('x'), get('x'), ['f32x4.mul']],
  // x where x > 0, else 0 (NaN gives 0, as the JavaScript kernel's x > 0 ? x : 0)
  relu: [get('x'), get('x'), ...f4(0), ['f32x4.gt'], ['v128.and']],
}

/** Cephes' logf polynomial for log(1 + f), f in [√½ - 1, √2 - 1]: highest degree first. */
export const LOG_POLY = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1]

/**
 * log(x) in local `x`, left on the stack: Cephes' logf (within about 1 ulp). x = m·2ᵉ with m in
 * [½, 1) from the bits (subnormals scaled by 2²³ first); m below √½ is doubled (e - 1); with
 * f = m - 1 (or 2m - 1), log x = f - f²/2 + f³·P(f) + e·ln 2 (ln 2 in two parts). Zero gives -∞,
 * negatives NaN, +∞ itself, as Math.log. ops/elementwise.ts's log32 is the same, step for step.
 */
function logFunction(): FunctionSpec {
  const i4 = (v: number): Instr[] => [i32(v), ['i32x4.splat']]
  const horner: Instr[] = [...f4(LOG_POLY[0])]
  for (const c of LOG_POLY.slice(1)) horner.push(get('f'), ['f32x4.mul'], ...f4(c), ['f32x4.add'])
  const body: Instr[] = [
    get('a'), ['v128.load', {}], set('x'),
    // subnormals: scaled by 2²³, and 23 taken off the exponent
    get('x'), ...f4(1.1754943508222875e-38), ['f32x4.lt'], set('sub'),
    get('x'), ...f4(8388608), ['f32x4.mul'], get('x'), get('sub'), ['v128.bitselect'], set('s'),
    get('s'), i32(23), ['i32x4.shr_u'], ...i4(126), ['i32x4.sub'], get('sub'), ...i4(-23), ['v128.and'], ['i32x4.add'],
    set('e'),
    get('s'), ...i4(0x7fffff), ['v128.and'], ...i4(0x3f000000), ['v128.or'], set('m'),
    get('m'), ...f4(0.707106781186547524), ['f32x4.lt'], set('low'),
    get('e'), get('low'), ['i32x4.add'], set('e'), // -1 where m < √½
    get('m'), get('m'), ['f32x4.add'], ...f4(1), ['f32x4.sub'], get('m'), ...f4(1), ['f32x4.sub'], get('low'),
    ['v128.bitselect'], set('f'),
    get('f'), get('f'), ['f32x4.mul'], set('z'),
    get('e'), ['f32x4.convert_i32x4_s'], set('e'),
    // y = f·z·P(f) + e·(-2.12194440e-4) - z/2;  log = (f + y) + e·0.693359375
    ...horner, get('f'), ['f32x4.mul'], get('z'), ['f32x4.mul'],
    get('e'), ...f4(-2.12194440e-4), ['f32x4.mul'], ['f32x4.add'],
    ...f4(-0.5), get('z'), ['f32x4.mul'], ['f32x4.add'], set('y'),
    get('f'), get('y'), ['f32x4.add'], get('e'), ...f4(0.693359375), ['f32x4.mul'], ['f32x4.add'], set('y'),
    // x = ±0: -∞; x < 0: NaN; x = +∞ or NaN: x itself
    ...f4(-Infinity), get('y'), get('x'), ...f4(0), ['f32x4.eq'], ['v128.bitselect'], set('y'),
    ...f4(NaN), get('y'), get('x'), ...f4(0), ['f32x4.lt'], ['v128.bitselect'], set('y'),
    get('x'), get('y'), get('x'), ...f4(3.4028234663852886e38), ['f32x4.gt'], ['v128.bitselect'], set('y'),
    get('y'), get('x'), get('x'), get('x'), ['f32x4.eq'], ['v128.bitselect'], set('y'),
    get('o'), get('y'), ['v128.store', {}],
  ]
  return {
    name: 'log',
    params: [['a', 'i32'], ['o', 'i32'], ['quads', 'i32']],
    locals: ['x', 'sub', 's', 'e', 'm', 'low', 'f', 'z', 'y'].map((n): [string, ValType] => [n, 'v128']),
    body: [['block', 'done'], ...quadLoop(body, ['a', 'o']), ['end']],
  }
}

/**
 * e^t for t <= 0 (or NaN) in local `t${q}`, left on the stack. Each step is one or two machine
 * instructions, and the polynomial is evaluated by Estrin's scheme, so that the dependency chain
 * per vector is short (the loop is latency-bound otherwise: `pnpm bench elementwise`):
 * - t is clamped to -104 with pmax (below it, e^t is under half the smallest float32);
 * - t = n ln 2 + r, n = round(t / ln 2), |r| <= ln 2 / 2 (ln 2 in two parts, so that r is exact);
 * - e^r by its Taylor polynomial to degree 7 (remainder below 2⁻²⁷ relative), as
 *   (c0 + c1 r) + r²(c2 + c3 r) + r⁴((c4 + c5 r) + r²(c6 + c7 r)) with c_i = 1/i!;
 * - n to an integer by the 1.5·2²³ trick: n + 1.5·2²³ holds n in its low mantissa bits;
 * - times 2ⁿ as 2^(n - n/2) · 2^(n/2), each built in the exponent bits ((m + 127) << 23) and so a
 *   normal float even where the result is subnormal.
 */
function expNonPositive(q: string): Instr[] {
  const [t, n, r, r2, half] = ['t', 'n', 'r', 'r2', 'half'].map((v) => v + q)
  const c = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040]
  // c_i + c_{i+1} r
  const pair = (i: number): Instr[] => [get(r), ...f4(c[i + 1]), ['f32x4.mul'], ...f4(c[i]), ['f32x4.add']]
  const MAGIC = 12582912 // 1.5·2²³, whose bits are 0x4b400000
  return [
    get(t), ...f4(-104), ['f32x4.pmax'], set(t),
    get(t), ...f4(Math.LOG2E), ['f32x4.mul'], ['f32x4.nearest'], set(n),
    get(t), get(n), ...f4(0.693145751953125), ['f32x4.mul'], ['f32x4.sub'],
    get(n), ...f4(1.428606765330187e-6), ['f32x4.mul'], ['f32x4.sub'], set(r),
    get(r), get(r), ['f32x4.mul'], set(r2),
    ...pair(0), get(r2), ...pair(2), ['f32x4.mul'], ['f32x4.add'],
    get(r2), get(r2), ['f32x4.mul'],
    ...pair(4), get(r2), ...pair(6), ['f32x4.mul'], ['f32x4.add'],
    ['f32x4.mul'], ['f32x4.add'],
    get(n), ...f4(MAGIC), ['f32x4.add'], ['i32.const', 0x4b400000], ['i32x4.splat'], ['i32x4.sub'], set(n),
    // n as integers from here
    get(n), ['i32.const', 1], ['i32x4.shr_s'], set(half),
    get(half), ['i32.const', 127], ['i32x4.splat'], ['i32x4.add'], ['i32.const', 23], ['i32x4.shl'], ['f32x4.mul'],
    get(n), get(half), ['i32x4.sub'],
    ['i32.const', 127], ['i32x4.splat'], ['i32x4.add'], ['i32.const', 23], ['i32x4.shl'], ['f32x4.mul'],
  ]
}

/**
 * sigmoid(x) with e = e^-|x| (never overflows): 1 / (1 + e) for x >= 0, e / (1 + e) below
 * (the JavaScript kernel's two branches, as a lane select). -|x| is x with the sign bit set.
 */
function sigmoidFunction(): FunctionSpec {
  const quad = (q: number): Instr[] => {
    const [x, t, e, s] = ['x', 't', 'e', 's'].map((v) => v + q)
    return [
      get('a'), ['v128.load', { offset: 16 * q }], set(x),
      get(x), ...f4(-0), ['v128.or'], set(t),
      ...expNonPositive(String(q)), set(e),
      ...f4(1), ...f4(1), get(e), ['f32x4.add'], ['f32x4.div'], set(s),
      get('o'),
      get(s), get(e), get(s), ['f32x4.mul'], get(x), ...f4(0), ['f32x4.ge'], ['v128.bitselect'],
      ['v128.store', { offset: 16 * q }],
    ]
  }
  return {
    name: 'sigmoid',
    params: [['a', 'i32'], ['o', 'i32'], ['quads', 'i32']],
    locals: [['rest', 'i32'], ...pairedLocals(['x', 't', 'n', 'half', 'r', 'r2', 'e', 's'])],
    body: pairedLoop(quad, ['a', 'o']),
  }
}

/**
 * Row-by-row kernels, one call for a whole matrix rather than one per row (a bias over a batch
 * has hundreds of short rows). Strides are in bytes; each row's first row_quads quads are done
 * here, the driver does each row's last n % 4 floats.
 *   copy_rows(a, a_stride, o, o_stride, rows, row_quads): row r of o = row r of a (a_stride 0 repeats one row)
 *   sum_rows(a, a_stride, acc, rows, row_quads): acc (float64, 2 per float of a row) += every row
 *     of a, widened (a column sum by the sum rule: each column its own accumulator, rows in order)
 */
function rowsFunction(name: 'copy_rows' | 'sum_rows'): FunctionSpec {
  const copy = name === 'copy_rows'
  const widened = (hi: boolean): Instr[] => [
    get('o'), get('o'), ['v128.load', { offset: hi ? 16 : 0 }],
    get('x'), ...(hi ? [get('x'), ['i8x16.shuffle', HIGH_HALF] as Instr] : []),
    ['f64x2.promote_low_f32x4'], ['f64x2.add'],
    ['v128.store', { offset: hi ? 16 : 0 }],
  ]
  const quad: Instr[] = copy
    ? [get('o'), get('a'), ['v128.load', {}], ['v128.store', {}]]
    : [get('a'), ['v128.load', {}], set('x'), ...widened(false), ...widened(true)]
  return {
    name,
    params: copy
      ? [['a_row', 'i32'], ['a_stride', 'i32'], ['o_row', 'i32'], ['o_stride', 'i32'],
        ['rows', 'i32'], ['row_quads', 'i32']]
      : [['a_row', 'i32'], ['a_stride', 'i32'], ['o_row', 'i32'], ['rows', 'i32'], ['row_quads', 'i32']],
    locals: [['a', 'i32'], ['o', 'i32'], ['quads', 'i32'], ['x', 'v128']],
    body: [
      ['block', 'rows_done'],
      get('rows'), ['i32.eqz'], ['br_if', 'rows_done'],
      ['loop', 'row'],
      get('a_row'), set('a'), get('o_row'), set('o'), get('row_quads'), set('quads'),
      ['block', 'done'], ...quadLoop(quad, copy ? ['a', 'o'] : ['a', ['o', 32]]), ['end'],
      ...addTo('a_row', 'a_stride'),
      // (sum_rows keeps adding into the same accumulators)
      ...(copy ? addTo('o_row', 'o_stride') : []),
      get('rows'), i32(1), ['i32.sub'], ['local.tee', 'rows'], ['br_if', 'row'],
      ['end'],
      ['end'],
    ],
  }
}

/** i8x16.shuffle lanes that move float lanes 2-3 to 0-1, for widening the high half to float64. */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]

/**
 * sum(a, quads) -> f64: the sum of 4·quads floats, accumulated in float64 like the JavaScript
 * sum (each float is exact in float64): lanes 0-1 and 2-3 of every quad, widened, go to two
 * float64 pairs, which are added at the end. Only the order of the additions differs from a
 * loop, so results agree to float64 rounding (about 1e-16 relative per term).
 * sum_squared_difference(a, b, quads) -> f64 sums (a - b)² the same way, each difference and
 * square rounded to float32 first: exactly what `sum` gives for the tensor of squares (the MSE
 * loss, fused).
 */
function sumFunction(of: 'values' | 'squared differences'): FunctionSpec {
  const pair = of === 'squared differences'
  const load: Instr[] = pair
    ? [get('a'), ['v128.load', {}], get('b'), ['v128.load', {}], ['f32x4.sub'],
      ['local.tee', 'x'], get('x'), ['f32x4.mul'], set('x')]
    : [get('a'), ['v128.load', {}], set('x')]
  const widen = (hi: boolean): Instr[] =>
    [get('x'), ...(hi ? [get('x'), ['i8x16.shuffle', HIGH_HALF] as Instr] : []), ['f64x2.promote_low_f32x4']]
  return {
    name: pair ? 'sum_squared_difference' : 'sum',
    params: pair ? [['a', 'i32'], ['b', 'i32'], ['quads', 'i32']] : [['a', 'i32'], ['quads', 'i32']],
    results: ['f64'],
    locals: [['x', 'v128'], ['lo', 'v128'], ['hi', 'v128']],
    body: [
      ['block', 'done'], ...quadLoop([
        ...load,
        get('lo'), ...widen(false), ['f64x2.add'], set('lo'),
        get('hi'), ...widen(true), ['f64x2.add'], set('hi'),
      ], pair ? ['a', 'b'] : ['a']), ['end'],
      get('lo'), get('hi'), ['f64x2.add'], set('x'),
      get('x'), ['f64x2.extract_lane', 0], get('x'), ['f64x2.extract_lane', 1], ['f64.add'],
    ],
  }
}

/**
 * squared_difference_grad(a, b, o, quads, g): o = t + t with t = g·(a - b), the backward pass of
 * a sum of squared differences (g its cotangent), rounded as the composed backward rounds it:
 * the two products g·d of d·d's derivative, added (which doubles t exactly).
 */
function squaredDifferenceGradFunction(): FunctionSpec {
  return {
    name: 'squared_difference_grad',
    params: [['a', 'i32'], ['b', 'i32'], ['o', 'i32'], ['quads', 'i32'], ['g', 'f32']],
    locals: [['gv', 'v128'], ['t', 'v128']],
    body: [
      get('g'), ['f32x4.splat'], set('gv'),
      ['block', 'done'], ...quadLoop([
        get('o'),
        get('gv'), get('a'), ['v128.load', {}], get('b'), ['v128.load', {}], ['f32x4.sub'],
        ['f32x4.mul'], ['local.tee', 't'],
        get('t'), ['f32x4.add'],
        ['v128.store', {}],
      ], ['a', 'b', 'o']), ['end'],
    ],
  }
}

function unaryFunction(op: string): FunctionSpec {
  const quad: Instr[] = [get('o'), get('a'), ['v128.load', {}], set('x'), ...UNARY[op], ['v128.store', {}]]
  return {
    name: op,
    params: [['a', 'i32'], ['o', 'i32'], ['quads', 'i32']],
    locals: [['x', 'v128']],
    body: [['block', 'done'], ...quadLoop(quad, ['a', 'o']), ['end']],
  }
}

/**
 * adam(p, g, m, v, quads, β1, β2, 1-β1, 1-β2, stepSize, 1/√(1-β2ᵗ), ε, decay, λ): one Adam update
 * in float32, the formula of @latent/nn's Adam (without amsgrad):
 *   w = p·decay;  d = g + λw;  m = β1 m + (1-β1) d;  v = β2 v + (1-β2) d²;
 *   p = w - stepSize·m / (√v / √(1-β2ᵗ) + ε)
 */
function adamFunction(): FunctionSpec {
  const splatParams = ['b1', 'b2', 'keep1', 'keep2', 'step', 'corr', 'eps', 'decay', 'l2']
  const vec = (n: string): string => `${n}4`
  const quad = (q: number): Instr[] => {
    const [w, d, mi, vi] = ['w', 'd', 'mi', 'vi'].map((v) => v + q)
    const at = { offset: 16 * q }
    return [
      get('p'), ['v128.load', at], get(vec('decay')), ['f32x4.mul'], set(w),
      get('g'), ['v128.load', at], get(vec('l2')), get(w), ['f32x4.mul'], ['f32x4.add'], set(d),
      get(vec('b1')), get('m'), ['v128.load', at], ['f32x4.mul'],
      get(vec('keep1')), get(d), ['f32x4.mul'], ['f32x4.add'], set(mi),
      get(vec('b2')), get('v'), ['v128.load', at], ['f32x4.mul'],
      get(vec('keep2')), get(d), get(d), ['f32x4.mul'], ['f32x4.mul'], ['f32x4.add'], set(vi),
      get('m'), get(mi), ['v128.store', at],
      get('v'), get(vi), ['v128.store', at],
      get('p'),
      get(w),
      get(vec('step')), get(mi), ['f32x4.mul'],
      get(vi), ['f32x4.sqrt'], get(vec('corr')), ['f32x4.mul'], get(vec('eps')), ['f32x4.add'],
      ['f32x4.div'], ['f32x4.sub'],
      ['v128.store', at],
    ]
  }
  return {
    name: 'adam',
    params: [['p', 'i32'], ['g', 'i32'], ['m', 'i32'], ['v', 'i32'], ['quads', 'i32'],
      ...splatParams.map((n): [string, 'f32'] => [n, 'f32'])],
    locals: [['rest', 'i32'], ...splatParams.map((n): [string, ValType] => [vec(n), 'v128']),
      ...pairedLocals(['w', 'd', 'mi', 'vi'])],
    body: [
      ...splatParams.flatMap((n): Instr[] => [get(n), ['f32x4.splat'], set(vec(n))]),
      ...pairedLoop(quad, ['p', 'g', 'm', 'v']),
    ],
  }
}

/** `body` for counter = 0 .. limit - 1 (nothing when limit is 0). */
function forRange(counter: string, limit: string, label: string, body: Instr[]): Instr[] {
  return [
    i32(0), set(counter),
    ['block', `${label}_done`], get(limit), ['i32.eqz'], ['br_if', `${label}_done`],
    ['loop', label], ...body,
    get(counter), i32(1), ['i32.add'], ['local.tee', counter], get(limit), ['i32.lt_u'], ['br_if', label],
    ['end'], ['end'],
  ]
}

/**
 * The window kernels of ops/conv.ts, over the columns matrix at `cols` ([c·kh·kw, images·oh·ow])
 * and images of `planes` x h x w floats at `img`, in the JavaScript loop's order (row (c, i, j),
 * then column (n, oy, ox)), for the `units`·`unit_rows` rows from row `r0` on:
 *   im2col(img, cols, units, r0, unit_rows, images, planes, h, w, kh, kw, sh, sw, ph, pw, oh, ow,
 *     pad): the columns, `pad` where a window reaches past the image;
 *   col2im(cols, img, units, r0, unit_rows, ...): img += the columns, in the same order (float32
 *     additions, as the loop's), padded positions dropped.
 * A position is inside when y and x, as unsigned integers, are below h and w (negatives wrap).
 * Threads split the rows: im2col's one by one (each writes its own row), col2im's a channel's
 * kh·kw rows at a time (rows of one channel add into the same plane).
 */
function windowFunction(op: 'im2col' | 'col2im'): FunctionSpec {
  const im2col = op === 'im2col'
  const [img, cols] = im2col ? ['a', 'o'] : ['o', 'a']
  const inside = (v: string, limit: string): Instr[] => [get(v), get(limit), ['i32.lt_u']]
  const at: Instr[] = [get('row'), get('x'), i32(4), ['i32.mul'], ['i32.add']] // the image element (y, x)
  const element: Instr[] = im2col
    ? [...inside('x', 'w'), ['if', 'in'], ...at, ['f32.load', {}], set('v'), ['else'], get('pad'), set('v'), ['end'],
      get(cols), get('v'), ['f32.store', {}]]
    : [...inside('x', 'w'), ['if', 'in'], ...at, ...at, ['f32.load', {}], get(cols), ['f32.load', {}], ['f32.add'],
      ['f32.store', {}], ['end']]
  const column: Instr[] = [...element, ...addTo(cols, 4), ...addTo('x', 'sw')]
  // One output row: a row of the image (or, outside it, padding throughout).
  const outRow: Instr[] = [
    get('oy'), get('sh'), ['i32.mul'], get('ph'), ['i32.sub'], get('i'), ['i32.add'], set('y'),
    get('j'), get('pw'), ['i32.sub'], set('x'),
    ...inside('y', 'h'), ['if', 'row_in'],
    get('plane'), get('y'), get('w'), ['i32.mul'], i32(4), ['i32.mul'], ['i32.add'], set('row'),
    ...forRange('ox', 'ow', 'columns', column),
    ['else'],
    ...(im2col ? forRange('ox', 'ow', 'pads', [get(cols), get('pad'), ['f32.store', {}], ...addTo(cols, 4)])
      : [get(cols), get('ow'), i32(4), ['i32.mul'], ['i32.add'], set(cols)] as Instr[]),
    ['end'],
  ]
  // Image n's plane c: img + 4·(n·planes + c)·h·w
  const image: Instr[] = [
    get(img), get('n'), get('planes'), ['i32.mul'], get('c'), ['i32.add'], get('h'), ['i32.mul'], get('w'), ['i32.mul'],
    i32(4), ['i32.mul'], ['i32.add'], set('plane'),
    ...forRange('oy', 'oh', 'out_rows', outRow),
  ]
  // Row r0 + r is (c, i, j) with c = row / (kh·kw), i = (row mod kh·kw) / kw, j = row mod kw.
  const matrixRow: Instr[] = [
    get('r0'), get('r'), ['i32.add'], set('k'),
    get('k'), get('kh'), get('kw'), ['i32.mul'], ['i32.div_u'], set('c'),
    get('k'), get('kw'), ['i32.div_u'], get('kh'), ['i32.rem_u'], set('i'),
    get('k'), get('kw'), ['i32.rem_u'], set('j'),
    ...forRange('n', 'images', 'images', image),
  ]
  const dims = ['units', 'r0', 'unit_rows', 'images', 'planes', 'h', 'w',
    'kh', 'kw', 'sh', 'sw', 'ph', 'pw', 'oh', 'ow']
  const locals = ['rows', 'r', 'k', 'c', 'i', 'j', 'n', 'oy', 'ox', 'y', 'x', 'plane', 'row']
  return {
    name: op,
    params: [['a', 'i32'], ['o', 'i32'], ...dims.map((n): [string, ValType] => [n, 'i32']),
      ...(im2col ? [['pad', 'f32'] as [string, ValType]] : [])],
    locals: [...locals.map((n): [string, ValType] => [n, 'i32']), ['v', 'f32']],
    body: [get('units'), get('unit_rows'), ['i32.mul'], set('rows'),
      ...forRange('r', 'rows', 'matrix_rows', matrixRow)],
  }
}

export const BINARY_OPS = Object.keys(BINARY)
export const UNARY_OPS = Object.keys(UNARY)

/**
 * How a kernel walks its range, so that the range can be split between threads (backend.ts):
 * the argument positions of the pointers it reads and writes, which advance 16 bytes per quad,
 * of pointers to one float read throughout (`broadcast`), of the count of quads, and of float32
 * arguments. Kernels without one (the row kernels, sum) always run whole on one thread.
 */
export interface RangeSignature {
  reads: number[]
  writes: number[]
  broadcast: number[]
  quads: number
  floats: number[]
}

export function rangeSignature(name: string): RangeSignature | undefined {
  const [op, form] = name.split('_')
  if (op in BINARY && (form === '11' || form === '10' || form === '01')) {
    const reads = form === '11' ? [0, 1] : form === '10' ? [0] : [1]
    return { reads, writes: [2], broadcast: form === '10' ? [1] : form === '01' ? [0] : [], quads: 3, floats: [] }
  }
  const unary = op in UNARY || name === 'sigmoid' || name === 'log'
  if (unary) return { reads: [0], writes: [1], broadcast: [], quads: 2, floats: [] }
  if (name === 'squared_difference_grad') return { reads: [0, 1], writes: [2], broadcast: [], quads: 3, floats: [4] }
  // The window kernels walk images (their driver gives the bytes per image): reads a, writes o.
  if (name === 'im2col') return { reads: [0], writes: [1], broadcast: [], quads: 2, floats: [17] }
  if (name === 'col2im') return { reads: [0], writes: [1], broadcast: [], quads: 2, floats: [] }
  // The row kernels: copy_rows splits by rows (4), sum_rows by column quads (4), each column's
  // accumulator still adding the rows in order; their driver gives the bytes per unit.
  if (name === 'copy_rows') return { reads: [0], writes: [2], broadcast: [], quads: 4, floats: [] }
  if (name === 'sum_rows') return { reads: [0], writes: [2], broadcast: [], quads: 4, floats: [] }
  if (name === 'adam') return { reads: [0, 1, 2, 3], writes: [0, 2, 3], broadcast: [], quads: 4,
    floats: [5, 6, 7, 8, 9, 10, 11, 12, 13] }
  return undefined
}

/**
 * The module: every binary op in its three forms, the unary ops, the row kernels, sums, Adam and
 * the MSE loss's two passes, over imported memory.
 */
export function buildElementwiseModule(memory: MemoryImport): ModuleBuilder {
  const builder = new ModuleBuilder().importMemory(memory)
  for (const op of BINARY_OPS) {
    for (const form of ['11', '10', '01'] as const) builder.addFunction(binaryFunction(op, form))
  }
  for (const op of UNARY_OPS) builder.addFunction(unaryFunction(op))
  builder.addFunction(rowsFunction('copy_rows')).addFunction(rowsFunction('sum_rows'))
    .addFunction(sumFunction('values'))
  builder.addFunction(sigmoidFunction()).addFunction(logFunction())
    .addFunction(windowFunction('im2col')).addFunction(windowFunction('col2im'))
  return builder.addFunction(adamFunction()).addFunction(sumFunction('squared differences'))
    .addFunction(squaredDifferenceGradFunction())
}

type Ptr = number
export interface ElementwiseExports {
  [binary: `${string}_${'11' | '10' | '01'}`]: (a: Ptr, b: Ptr, o: Ptr, quads: number) => void
  copy_rows(a: Ptr, aStride: number, o: Ptr, oStride: number, rows: number, quads: number): void
  sum_rows(a: Ptr, aStride: number, acc: Ptr, rows: number, quads: number): void
  sum(a: Ptr, quads: number): number
  sum_squared_difference(a: Ptr, b: Ptr, quads: number): number
  squared_difference_grad(a: Ptr, b: Ptr, o: Ptr, quads: number, g: number): void
  neg(a: Ptr, o: Ptr, quads: number): void
  square(a: Ptr, o: Ptr, quads: number): void
  relu(a: Ptr, o: Ptr, quads: number): void
  sigmoid(a: Ptr, o: Ptr, quads: number): void
  adam(p: Ptr, g: Ptr, m: Ptr, v: Ptr, quads: number, b1: number, b2: number, keep1: number, keep2: number,
    step: number, corr: number, eps: number, decay: number, l2: number): void
}

/**
 * Element types. float32 is the working precision; float64 exists so that any computation,
 * a whole training step included, can be re-run in double precision to check it.
 */

export type DType = 'float32' | 'float64'

/** The storage of a tensor: a flat, contiguous, row-major typed array. */
export type FloatArray = Float32Array | Float64Array

/** Where float32 storage comes from while an arena is active (see arena.ts); undefined otherwise. */
let float32Source: ((n: number, zeroed: boolean) => Float32Array) | undefined

/** Installs (or removes) the float32 allocator and returns the previous one. */
export function setFloat32Source(source: ((n: number, zeroed: boolean) => Float32Array) | undefined):
  ((n: number, zeroed: boolean) => Float32Array) | undefined {
  const previous = float32Source
  float32Source = source
  return previous
}

/**
 * A zero-filled array of `n` elements of the given dtype. `zeroed: false` is for outputs that a
 * kernel overwrites entirely: an arena then skips clearing recycled memory (plain arrays are
 * always zeroed). Inside `withArena`, float32 arrays come from the arena.
 * @example new Tensor(allocate('float32', 6), [2, 3])
 */
export function allocate(dtype: DType, n: number, zeroed = true): FloatArray {
  if (dtype === 'float64') return new Float64Array(n)
  return float32Source ? float32Source(n, zeroed) : new Float32Array(n)
}

/**
 * Rounding of a float64 result to the dtype, as storing it would: what a fused loop uses between
 * steps that a composition stores.
 */
export function rounding(dtype: DType): (v: number) => number {
  return dtype === 'float32' ? Math.fround : (v) => v
}

/** The dtype that a typed array stores. */
export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32'
}

export function checkDType(op: string, dtype: string): DType {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new TypeError(`${op}: unknown dtype '${dtype}' (expected 'float32' or 'float64')`)
  }
  return dtype
}

/**
 * Throws unless `options` is undefined or a plain object whose keys are all in `allowed`: an
 * array or a number where options go (tensor(values, [2, 2]) meant { shape: [2, 2] }; sum(x, 0)
 * meant { axis: 0 }) and unknown keys ({ shap: ... }, { axs: 0 }) are refused by name, as a
 * misspelt option would otherwise be silently ignored.
 * @example checkKeys('sum', options, ['axis', 'keepdims'])
 */
export function checkKeys(op: string, options: unknown, allowed: readonly string[]): void {
  if (options === undefined) return
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    const got = Array.isArray(options) ? `an array [${options.join(', ')}]` : String(options)
    const expected = allowed.map((k) => `${k}: ...`).join(', ')
    throw new TypeError(`${op}: options must be an object like { ${expected} }, got ${got}`)
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new TypeError(`${op}: unknown option '${key}' (expected ${allowed.join(', ')})`)
  }
}

/**
 * The dtype that creation options give ({ dtype }, or the dtype alone), `fallback` without one;
 * other options and unknown keys are refused (checkKeys), as is an unknown dtype.
 * @example optionsDType('zeros', { dtype: 'float64' }) // 'float64'
 */
export function optionsDType(op: string, options: unknown, allowed: readonly string[] = ['dtype'],
  fallback: DType = 'float32'): DType {
  if (typeof options === 'string') return checkDType(op, options)
  checkKeys(op, options, allowed)
  return checkDType(op, (options as { dtype?: string } | undefined)?.dtype ?? fallback)
}

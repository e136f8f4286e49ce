/**
 * A small WebAssembly emitter: enough of the binary format (https://webassembly.github.io/spec/core/binary/)
 * to assemble the project's kernels from TypeScript, with no compiler and no .wasm file.
 *
 * Instructions are data, `[mnemonic, ...immediates]`, named after their WAT text form, e.g.
 * `['v128.load32_splat', { offset: 8 }]` or `['local.get', 'acc0x0123']`. Locals and labels are
 * referred to by name; the assembler turns names into indices and relative branch depths. The
 * same instruction list prints as WAT (`toWat`), so tests can snapshot a kernel as readable text.
 */

export type ValType = 'i32' | 'f32' | 'f64' | 'v128'
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b }

/** Immediate kinds. `memarg` takes `{ offset?, align? }` with align in bytes, as WAT writes it. */
type ImmKind =
  'none' | 'local' | 'label' | 'block' | 'func' | 'i32' | 'f32' | 'lane' | 'memarg' | 'memarg_lane' | 'lanes16'

interface OpInfo {
  code: readonly number[]
  imm: ImmKind
  /** Natural alignment in bytes, for memory instructions. */
  natural?: number
}

/** A SIMD opcode: the 0xfd prefix, then the sub-opcode as unsigned LEB128. */
const simd = (sub: number, imm: ImmKind = 'none', natural?: number): OpInfo =>
  ({ code: [0xfd, ...uleb(sub)], imm, natural })
const op = (code: number, imm: ImmKind = 'none', natural?: number): OpInfo => ({ code: [code], imm, natural })

/** The opcodes the kernels use, by WAT mnemonic. */
export const OPCODES = {
  'block': op(0x02, 'block'),
  'loop': op(0x03, 'block'),
  'if': op(0x04, 'block'),
  'else': op(0x05),
  'end': op(0x0b),
  'br': op(0x0c, 'label'),
  'br_if': op(0x0d, 'label'),
  'return': op(0x0f),
  'call': op(0x10, 'func'),
  'drop': op(0x1a),
  'select': op(0x1b),
  'local.get': op(0x20, 'local'),
  'local.set': op(0x21, 'local'),
  'local.tee': op(0x22, 'local'),
  'i32.load': op(0x28, 'memarg', 4),
  'f32.load': op(0x2a, 'memarg', 4),
  'i32.store': op(0x36, 'memarg', 4),
  'f32.store': op(0x38, 'memarg', 4),
  'i32.const': op(0x41, 'i32'),
  'f32.const': op(0x43, 'f32'),
  'i32.eqz': op(0x45),
  'i32.eq': op(0x46),
  'i32.ne': op(0x47),
  'i32.lt_s': op(0x48),
  'i32.lt_u': op(0x49),
  'i32.gt_s': op(0x4a),
  'i32.le_s': op(0x4c),
  'i32.ge_s': op(0x4e),
  'i32.ge_u': op(0x4f),
  'i32.add': op(0x6a),
  'i32.sub': op(0x6b),
  'i32.mul': op(0x6c),
  'i32.div_u': op(0x6e),
  'i32.rem_u': op(0x70),
  'i32.and': op(0x71),
  'i32.shl': op(0x74),
  'i32.shr_u': op(0x76),
  'f32.add': op(0x92),
  'f32.mul': op(0x94),
  'f64.add': op(0xa0),
  'v128.load': simd(0x00, 'memarg', 16),
  'v128.load32_splat': simd(0x09, 'memarg', 4),
  'v128.store': simd(0x0b, 'memarg', 16),
  'v128.store32_lane': simd(0x5a, 'memarg_lane', 4),
  'i8x16.shuffle': simd(0x0d, 'lanes16'),
  'f32x4.splat': simd(0x13),
  'i32x4.splat': simd(0x11),
  'f32x4.eq': simd(0x41),
  'f32x4.lt': simd(0x43),
  'f32x4.gt': simd(0x44),
  'f32x4.ge': simd(0x46),
  'v128.bitselect': simd(0x52),
  'f32x4.nearest': simd(0x6a),
  'i32x4.shl': simd(0xab),
  'i32x4.shr_s': simd(0xac),
  'i32x4.shr_u': simd(0xad),
  'i32x4.add': simd(0xae),
  'i32x4.sub': simd(0xb1),
  'v128.and': simd(0x4e),
  'v128.or': simd(0x50),
  'f32x4.neg': simd(0xe1),
  'f32x4.sqrt': simd(0xe3),
  'f32x4.add': simd(0xe4),
  'f32x4.sub': simd(0xe5),
  'f32x4.mul': simd(0xe6),
  'f32x4.div': simd(0xe7),
  'f32x4.max': simd(0xe9),
  'f32x4.pmax': simd(0xeb),
  'f32x4.convert_i32x4_s': simd(0xfa),
  'f64x2.extract_lane': simd(0x21, 'lane'),
  'f64x2.promote_low_f32x4': simd(0x5f),
  'f64x2.add': simd(0xf0),
  'f32x4.relaxed_madd': simd(0x105),
} as const satisfies Record<string, OpInfo>

export type Mnemonic = keyof typeof OPCODES
export interface MemArg { offset?: number; align?: number }
export type Immediate = string | number | MemArg | readonly number[]
export type Instr = readonly [Mnemonic, ...Immediate[]]

// Helpers that keep a kernel's TypeScript close to the WAT it produces (every kernel uses them).
export const get = (n: string): Instr => ['local.get', n]
export const set = (n: string): Instr => ['local.set', n]
export const tee = (n: string): Instr => ['local.tee', n]
export const i32 = (v: number): Instr => ['i32.const', v]
/** A float32 constant in all four lanes. */
export const f4 = (v: number): Instr[] => [['f32.const', v], ['f32x4.splat']]
/** local += value (a constant or another local) */
export const addTo = (n: string, v: number | string): Instr[] =>
  [get(n), typeof v === 'number' ? i32(v) : get(v), ['i32.add'], set(n)]
/** Decrements `counter` and branches back to `label` while it is non-zero. */
export const countDown = (counter: string, label: string): Instr[] =>
  [get(counter), i32(1), ['i32.sub'], tee(counter), ['br_if', label]]

// ---------------------------------------------------------------------------------------------
// Encoding primitives

/** Unsigned LEB128: 7 bits per byte, low first, high bit set on every byte but the last. */
export function uleb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`uleb: ${value} is not a non-negative integer`)
  const out: number[] = []
  do {
    let byte = value & 0x7f
    value = Math.floor(value / 128)
    if (value !== 0) byte |= 0x80
    out.push(byte)
  } while (value !== 0)
  return out
}

/** Signed LEB128 (two's complement), as i32.const immediates use. */
export function sleb(value: number): number[] {
  if (!Number.isInteger(value)) throw new RangeError(`sleb: ${value} is not an integer`)
  const out: number[] = []
  for (;;) {
    const byte = value & 0x7f
    value >>= 7
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)
    out.push(done ? byte : byte | 0x80)
    if (done) return out
  }
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)]
  return [...uleb(bytes.length), ...bytes]
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()]
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body]
}

// ---------------------------------------------------------------------------------------------
// Functions and modules

export interface FunctionSpec {
  name: string
  params: readonly (readonly [string, ValType])[]
  /** Result types (default: none). */
  results?: readonly ValType[]
  locals: readonly (readonly [string, ValType])[]
  body: readonly Instr[]
  /** Export under this name (defaults to `name`); false keeps it internal. */
  export?: string | false
}

export interface MemoryImport {
  module: string
  field: string
  initial: number
  maximum?: number
  shared?: boolean
}

export class ModuleBuilder {
  private readonly functions: FunctionSpec[] = []
  private memory?: MemoryImport

  /** Imports the linear memory (pages of 64 KiB); shared memory needs a maximum. */
  importMemory(memory: MemoryImport): this {
    if (memory.shared && memory.maximum === undefined) {
      throw new RangeError('importMemory: shared memory needs a maximum')
    }
    this.memory = memory
    return this
  }

  addFunction(f: FunctionSpec): this {
    this.functions.push(f)
    return this
  }

  private functionIndex(): Map<string, number> {
    return new Map(this.functions.map((f, i) => [f.name, i]))
  }

  /** The binary module. */
  toBytes(): Uint8Array<ArrayBuffer> {
    // Function types, deduplicated: 0x60, the parameter types, the result types.
    const types: string[] = []
    const typeIndex = (f: FunctionSpec): number => {
      const key = JSON.stringify([f.params.map((p) => p[1]), f.results ?? []])
      if (!types.includes(key)) types.push(key)
      return types.indexOf(key)
    }
    const indices = this.functions.map(typeIndex)
    const typeSection = vec(types.map((key) => {
      const [params, results] = JSON.parse(key) as [ValType[], ValType[]]
      return [0x60, ...vec(params.map((v) => [VALTYPE[v]])), ...vec(results.map((v) => [VALTYPE[v]]))]
    }))
    const imports: number[][] = []
    if (this.memory) {
      const m = this.memory
      const flags = (m.maximum !== undefined ? 1 : 0) | (m.shared ? 2 : 0)
      imports.push([...name(m.module), ...name(m.field), 0x02, flags, ...uleb(m.initial),
        ...(m.maximum !== undefined ? uleb(m.maximum) : [])])
    }
    const exports = this.functions.flatMap((f, i) =>
      (f.export === false ? [] : [[...name(f.export ?? f.name), 0x00, ...uleb(i)]]))
    const code = this.functions.map((f) => {
      const body = [...encodeLocals(f), ...assemble(f, this.functionIndex()).flatMap((ins) => ins.bytes), 0x0b]
      return [...uleb(body.length), ...body]
    })
    return new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
      ...section(1, typeSection),
      ...(imports.length ? section(2, vec(imports)) : []),
      ...section(3, vec(indices.map((i) => uleb(i)))),
      ...section(7, vec(exports)),
      ...section(10, vec(code)),
      ...section(0, this.nameSection()),
    ])
  }

  /**
   * The custom "name" section: the names of the functions (subsection 1) and of their
   * parameters and locals (subsection 2), as `wat2wasm --debug-names` writes them. Engines show
   * them in stack traces and CPU profiles (tile_4, sigmoid, ... rather than wasm-function[0]).
   */
  private nameSection(): number[] {
    const subsection = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body]
    const functionNames = vec(this.functions.map((f, i) => [...uleb(i), ...name(f.name)]))
    const localNames = vec(this.functions.map((f, i) =>
      [...uleb(i), ...vec([...f.params, ...f.locals].map(([n], j) => [...uleb(j), ...name(n)]))]))
    return [...name('name'), ...subsection(1, functionNames), ...subsection(2, localNames)]
  }

  /** The module as WAT text, one instruction per line, indented by block structure. */
  toWat(): string {
    const lines = ['(module']
    if (this.memory) {
      const m = this.memory
      const maximum = m.maximum !== undefined ? ` ${m.maximum}` : ''
      lines.push(`  (import "${m.module}" "${m.field}" (memory ${m.initial}${maximum}${m.shared ? ' shared' : ''}))`)
    }
    for (const f of this.functions) {
      const exp = f.export === false ? '' : ` (export "${f.export ?? f.name}")`
      const results = (f.results ?? []).map((t) => ` (result ${t})`).join('')
      lines.push(`  (func $${f.name}${exp}${f.params.map(([n, t]) => ` (param $${n} ${t})`).join('')}${results}`)
      for (const [n, t] of f.locals) lines.push(`    (local $${n} ${t})`)
      for (const ins of assemble(f, this.functionIndex())) lines.push(`    ${'  '.repeat(ins.depth)}${ins.text}`)
      lines.push('  )')
    }
    lines.push(')')
    return lines.join('\n') + '\n'
  }
}

function encodeLocals(f: FunctionSpec): number[] {
  // Runs of the same type are grouped, as the format allows.
  const groups: [number, ValType][] = []
  for (const [, t] of f.locals) {
    const last = groups[groups.length - 1]
    if (last && last[1] === t) last[0]++
    else groups.push([1, t])
  }
  return vec(groups.map(([n, t]) => [...uleb(n), VALTYPE[t]]))
}

interface Assembled { bytes: number[]; text: string; depth: number }

/** Resolves names, checks immediates and block nesting, and encodes every instruction. */
function assemble(f: FunctionSpec, functions: ReadonlyMap<string, number>): Assembled[] {
  const locals = new Map<string, number>()
  for (const [n] of [...f.params, ...f.locals]) {
    if (locals.has(n)) throw new Error(`${f.name}: local $${n} is declared twice`)
    locals.set(n, locals.size)
  }
  const labels: string[] = [] // innermost last
  const out: Assembled[] = []
  for (const ins of f.body) {
    const [mnemonic, ...imm] = ins
    const info: OpInfo | undefined = OPCODES[mnemonic]
    if (!info) throw new Error(`${f.name}: unknown instruction ${String(mnemonic)}`)
    const where = `${f.name}: ${mnemonic}`
    let bytes: number[] = [...info.code]
    let text: string = mnemonic
    let depth = labels.length
    switch (info.imm) {
      case 'none':
        if (mnemonic === 'end' || mnemonic === 'else') {
          if (labels.length === 0) throw new Error(`${where} without an open block`)
          depth = labels.length - 1
          if (mnemonic === 'end') labels.pop()
        }
        break
      case 'local':
      case 'func': {
        // A name, encoded as its index among the function's locals or the module's functions.
        const idx = (info.imm === 'local' ? locals : functions).get(imm[0] as string)
        if (idx === undefined) {
          throw new Error(`${where}: unknown ${info.imm === 'local' ? 'local' : 'function'} $${String(imm[0])}`)
        }
        bytes.push(...uleb(idx))
        text += ` $${String(imm[0])}`
        break
      }
      case 'label': {
        const target = labels.lastIndexOf(imm[0] as string)
        if (target < 0) throw new Error(`${where}: no enclosing block named $${String(imm[0])}`)
        bytes.push(...uleb(labels.length - 1 - target))
        text += ` $${String(imm[0])}`
        break
      }
      case 'block':
        // Blocks carry no values in these kernels: block type 0x40 (empty).
        bytes.push(0x40)
        labels.push(imm[0] as string)
        text += ` $${String(imm[0])}`
        break
      case 'i32':
        bytes.push(...sleb((imm[0] as number) | 0))
        text += ` ${(imm[0] as number) | 0}`
        break
      case 'f32': {
        const b = new Uint8Array(new Float32Array([imm[0] as number]).buffer)
        bytes.push(...b)
        text += ` ${Object.is(imm[0], -0) ? '-0' : String(imm[0])}` // String(-0) is '0'
        break
      }
      case 'lane':
        bytes.push(imm[0] as number)
        text += ` ${imm[0] as number}`
        break
      case 'memarg':
      case 'memarg_lane': {
        const m = (imm[0] ?? {}) as MemArg
        const align = m.align ?? info.natural!
        const offset = m.offset ?? 0
        bytes.push(...uleb(Math.log2(align)), ...uleb(offset))
        if (offset !== 0) text += ` offset=${offset}`
        if (align !== info.natural) text += ` align=${align}`
        if (info.imm === 'memarg_lane') {
          const lane = imm[1] as number
          bytes.push(lane)
          text += ` ${lane}`
        }
        break
      }
      case 'lanes16': {
        const lanes = imm[0] as readonly number[]
        if (lanes.length !== 16) throw new Error(`${where}: needs 16 lane indices`)
        bytes.push(...lanes)
        text += ` ${lanes.join(' ')}`
        break
      }
    }
    out.push({ bytes, text, depth })
  }
  if (labels.length > 0) throw new Error(`${f.name}: block $${labels[labels.length - 1]} is never closed`)
  return out
}

/**
 * The safetensors format (https://github.com/huggingface/safetensors), bytes in and bytes out,
 * so it runs in a browser; node/checkpoint.ts writes the bytes to files.
 *
 *   8 bytes     N, the header length, unsigned little-endian
 *   N bytes     a JSON object: optional "__metadata__" (strings to strings), then for each
 *               tensor {"dtype": "F32", "shape": [...], "data_offsets": [start, end]}; padded
 *               with spaces to a multiple of 8 bytes
 *   the rest    the tensors' bytes, little-endian, back to back in offset order
 *
 * Writing follows the reference implementation exactly (tensors sorted by dtype, larger first,
 * then by name; compact JSON; metadata first), so a file written here is the file Python's
 * safetensors would write. Reading validates everything a corrupt or truncated file can break.
 */
import { allocate, formatShape, sizeOf, Tensor, type DType } from '@latent/tensor'

const DTYPES: Record<string, { dtype: DType; bytes: number } | undefined> =
  { F32: { dtype: 'float32', bytes: 4 }, F64: { dtype: 'float64', bytes: 8 } }
const NAMES: Record<DType, string> = { float32: 'F32', float64: 'F64' }
/** The reference implementation's limit on the header. */
const MAX_HEADER = 100_000_000
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

export interface SafetensorsContent {
  tensors: Map<string, Tensor>
  metadata: Record<string, string>
}

/** The raw bytes of a tensor, little-endian. */
function bytesOf(t: Tensor): Uint8Array {
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)
  if (littleEndian) return raw
  const out = new Uint8Array(raw.length)
  const view = new DataView(out.buffer)
  t.data.forEach((v, i) => (t.dtype === 'float64' ? view.setFloat64(i * 8, v, true) : view.setFloat32(i * 4, v, true)))
  return out
}

/**
 * Serializes named tensors (float32 or float64) and string metadata; also takes what
 * decodeSafetensors returns, so that the two are inverses. A header the reader would refuse
 * (over 100 MB) is refused here too.
 * @example
 *   const bytes = encodeSafetensors(new Map([['weight', w]]), { epoch: '3' })
 *   encodeSafetensors(decodeSafetensors(bytes)) // the same bytes
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, Tensor> | SafetensorsContent,
  metadata: Record<string, string> = {}): Uint8Array {
  if (!(tensors instanceof Map)) {
    const content = tensors as SafetensorsContent
    if (!(content?.tensors instanceof Map)) {
      throw new TypeError('encodeSafetensors: expected a Map of tensors, '
        + 'or { tensors, metadata } as decodeSafetensors returns')
    }
    return encodeSafetensors(content.tensors, { ...content.metadata, ...metadata })
  }
  const entries: [string, Tensor][] = [...(tensors as ReadonlyMap<string, Tensor>)]
  entries.sort(([na, a], [nb, b]) =>
    (a.dtype === b.dtype ? (na < nb ? -1 : na > nb ? 1 : 0) : a.dtype === 'float64' ? -1 : 1))
  // The JSON is assembled entry by entry: a JS object would move integer-like keys to the front.
  const fields: string[] = []
  const keys = Object.keys(metadata).sort()
  if (keys.length > 0) {
    const meta = keys.map((k) => {
      if (typeof metadata[k] !== 'string') throw new TypeError(`encodeSafetensors: metadata '${k}' must be a string`)
      return `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`
    })
    fields.push(`"__metadata__":{${meta.join(',')}}`)
  }
  let offset = 0
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new RangeError('encodeSafetensors: "__metadata__" cannot name a tensor')
    const spec = { dtype: NAMES[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] }
    fields.push(`${JSON.stringify(name)}:${JSON.stringify(spec)}`)
    offset += t.data.byteLength
  }
  let json = `{${fields.join(',')}}`
  const headerBytes = new TextEncoder().encode(json)
  const padded = Math.ceil(headerBytes.length / 8) * 8
  if (padded > MAX_HEADER) {
    throw new RangeError(`encodeSafetensors: the header would be ${padded} bytes, `
      + `over the ${MAX_HEADER} that readers accept`)
  }
  json += ' '.repeat(padded - headerBytes.length)
  const out = new Uint8Array(8 + padded + offset)
  const view = new DataView(out.buffer)
  view.setUint32(0, padded, true)
  view.setUint32(4, 0, true)
  out.set(new TextEncoder().encode(json), 8)
  let at = 8 + padded
  for (const [, t] of entries) {
    out.set(bytesOf(t), at)
    at += t.data.byteLength
  }
  return out
}

/**
 * Reads a safetensors file. Throws an error saying what is wrong for a truncated file, a bad
 * header, an unsupported dtype, a shape that does not match its bytes, or offsets that leave
 * gaps or overlap.
 * @example
 *   const { tensors, metadata } = decodeSafetensors(bytes)
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContent {
  const fail = (why: string): never => {
    throw new Error(`safetensors: ${why}`)
  }
  if (bytes.length < 8) fail(`truncated: ${bytes.length} bytes, fewer than the 8 of the header length`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const n = view.getUint32(0, true)
  if (view.getUint32(4, true) !== 0 || n > MAX_HEADER) {
    fail('the header length is larger than 100 MB: not a safetensors file, or a corrupted one')
  }
  if (8 + n > bytes.length) {
    fail(`truncated: the header needs ${n} bytes, the file has ${bytes.length - 8} after the length`)
  }
  let header: unknown
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)))
  } catch {
    fail('the header is not valid UTF-8 JSON')
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header is not a JSON object')
  const { __metadata__: rawMeta, ...specs } = header as Record<string, unknown>
  const metadata: Record<string, string> = {}
  if (rawMeta !== undefined) {
    if (typeof rawMeta !== 'object' || rawMeta === null) fail('__metadata__ is not an object')
    for (const [k, v] of Object.entries(rawMeta as object)) {
      if (typeof v !== 'string') fail(`__metadata__ '${k}' is not a string`)
      metadata[k] = v as string
    }
  }
  const parsed = Object.entries(specs).map(([name, spec]) => {
    const s = spec as { dtype?: unknown; shape?: unknown; data_offsets?: unknown }
    const kind = DTYPES[String(s?.dtype)]
    if (!kind) fail(`tensor '${name}' has dtype ${JSON.stringify(s?.dtype)}; only F32 and F64 are supported`)
    const shape = s.shape
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`)
    }
    const off = s.data_offsets
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0)) {
      fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(off)}`)
    }
    return { name, kind: kind!, shape: shape as number[], start: (off as number[])[0], end: (off as number[])[1] }
  })
  parsed.sort((a, b) => a.start - b.start || a.end - b.end)
  const dataStart = 8 + n
  const dataLength = bytes.length - dataStart
  let expected = 0
  const tensors = new Map<string, Tensor>()
  for (const t of parsed) {
    if (t.start !== expected) {
      fail(`tensor '${t.name}' starts at byte ${t.start}, expected ${expected}: the offsets leave a gap or overlap`)
    }
    const size = sizeOf(t.shape) * t.kind.bytes
    if (t.end - t.start !== size) fail(`tensor '${t.name}' of shape ${formatShape(t.shape)} needs ${size} bytes, ` +
      `its offsets give ${t.end - t.start}`)
    if (t.end > dataLength) {
      fail(`truncated: tensor '${t.name}' ends at byte ${t.end} of the data, which has ${dataLength}`)
    }
    expected = t.end
    const data = allocate(t.kind.dtype, sizeOf(t.shape))
    const src = new DataView(bytes.buffer, bytes.byteOffset + dataStart + t.start, size)
    if (littleEndian) new Uint8Array(data.buffer).set(new Uint8Array(src.buffer, src.byteOffset, size))
    else for (let i = 0; i < data.length; i++) data[i] = t.kind.bytes === 8 ? src.getFloat64(i * 8, true)
      : src.getFloat32(i * 4, true)
    tensors.set(t.name, new Tensor(data, t.shape))
  }
  if (expected !== dataLength) {
    fail(`the data has ${dataLength} bytes but the tensors cover ${expected}: truncated or corrupted`)
  }
  return { tensors, metadata }
}

/**
 * The part of the protocol buffers wire format that an ONNX file needs, for writing only
 * (https://protobuf.dev/programming-guides/encoding/; ONNX: https://onnx.ai/onnx/repo-docs/IR.html).
 * A message is a sequence of fields, each a key (field number << 3 | wire type) as a varint, then
 * its value:
 *
 *   wire type 0  varint: 7 bits a byte, low bits first, the high bit set on every byte but the last;
 *                an int64 below zero is its two's complement, ten bytes
 *   wire type 2  length-delimited: a varint length, then that many bytes (strings, bytes, nested
 *                messages, packed repeated numbers)
 *   wire type 5  fixed32: four bytes little-endian (float)
 *
 * Fields may come in any order and repeated fields simply repeat, so a writer appends as it goes.
 */

const VARINT = 0
const LENGTH_DELIMITED = 2
const FIXED32 = 5

/** The varint bytes of a non-negative safe integer, or of a negative int64 (two's complement). */
function varintBytes(value: number | bigint): number[] {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`protobuf: a varint must be a safe integer, got ${value}`)
  }
  let v = BigInt.asUintN(64, BigInt(value))
  const out: number[] = []
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80)
    v >>= 7n
  }
  out.push(Number(v))
  return out
}

/**
 * Appends the fields of one message; `finish` gives its bytes. Nested messages are written
 * separately and added whole with `message`.
 * @example
 *   const bytes = new ProtoWriter().varint(1, 8).string(2, 'latent').finish()
 */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = []
  private length = 0

  private push(bytes: Uint8Array | number[]): this {
    const part = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes)
    this.parts.push(part)
    this.length += part.length
    return this
  }

  private key(field: number, wireType: number): this {
    return this.push(varintBytes(field * 8 + wireType))
  }

  /** An int32, int64, bool or enum field. @example w.varint(1, 8) // ir_version 8 */
  varint(field: number, value: number | bigint): this {
    return this.key(field, VARINT).push(varintBytes(value))
  }

  /** A float field (fixed32, little-endian). @example w.float(2, 0.2) // AttributeProto.f */
  float(field: number, value: number): this {
    const bytes = new Uint8Array(4)
    new DataView(bytes.buffer).setFloat32(0, value, true)
    return this.key(field, FIXED32).push(bytes)
  }

  /** A bytes field. @example w.bytes(9, new Uint8Array(weights.buffer)) // TensorProto.raw_data */
  bytes(field: number, value: Uint8Array): this {
    return this.key(field, LENGTH_DELIMITED).push(varintBytes(value.length)).push(value)
  }

  /** A string field, UTF-8. @example w.string(4, 'Gemm') // NodeProto.op_type */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value))
  }

  /** A nested message field. @example graph.message(11, valueInfo) // GraphProto.input */
  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish())
  }

  /** A repeated integer field, packed into one length-delimited field. @example w.packed(8, [1, 1]) */
  packed(field: number, values: readonly number[]): this {
    return this.bytes(field, Uint8Array.from(values.flatMap((v) => varintBytes(v))))
  }

  /** The message's bytes. @example const bytes = model.finish() */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length)
    let at = 0
    for (const part of this.parts) {
      out.set(part, at)
      at += part.length
    }
    return out
  }
}

/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a magic number
 * (two zero bytes, a type code, the number of dimensions), each dimension as a big-endian 32-bit
 * integer, then the values. Only unsigned bytes (type 0x08) occur in these data sets. Parsing
 * works on bytes (gzip is undone by the caller: node/datasets.ts).
 */
import { formatShape } from '@latent/tensor'

export interface IdxArray {
  shape: number[]
  data: Uint8Array
}

/**
 * Parses IDX bytes; the message names what is wrong with a bad file.
 * @example const { shape, data } = parseIdx(bytes) // shape [60000, 28, 28]
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): IdxArray {
  if (bytes.length < 4) throw new Error(`${name}: truncated: ${bytes.length} bytes, too short for the magic number`)
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')
    throw new Error(`${name}: wrong magic number ${magic} (expected 00 00 08 nn): not an IDX file`)
  }
  if (bytes[2] !== 0x08) {
    throw new Error(`${name}: element type 0x${bytes[2].toString(16)} is not supported (only unsigned bytes, 0x08)`)
  }
  const rank = bytes[3]
  if (rank < 1 || rank > 4) throw new Error(`${name}: ${rank} dimensions is not a valid IDX array`)
  if (bytes.length < 4 + 4 * rank) throw new Error(`${name}: truncated in the header`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false))
  const size = shape.reduce((a, b) => a * b, 1)
  const start = 4 + 4 * rank
  if (bytes.length < start + size) {
    throw new Error(`${name}: truncated: shape ${formatShape(shape)} needs ${size} bytes of data, ` +
      `the file has ${bytes.length - start}`)
  }
  if (bytes.length > start + size) {
    throw new Error(`${name}: ${bytes.length - start - size} unexpected bytes ` +
      `after the data of shape ${formatShape(shape)}`)
  }
  return { shape, data: bytes.subarray(start, start + size) }
}

/**
 * Data sets from files (Node only): the embedded digits, MNIST-format IDX files (gzipped or
 * not), and CSV files.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { type CsvOptions, CsvReader, type CsvTable } from '../data/csv.js'
import { type Dataset, FASHION_CLASSES, fromIdx, parseDigits } from '../data/datasets.js'
import { type IdxArray, parseIdx } from '../data/idx.js'

/**
 * The file's bytes, gunzipped if they start with gzip's magic number.
 * @example parseIdx(readMaybeGzip('train-images-idx3-ubyte.gz'))
 */
export function readMaybeGzip(path: string): Uint8Array {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message
    throw new Error(`cannot read ${path}: ${reason}`)
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    // gzip ends with the uncompressed size (mod 2³²): one output chunk of that size spares zlib
    // collecting chunks and concatenating them, a second copy of the whole file at the peak.
    const size = bytes.length >= 18
      ? new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true)
      : 0
    try {
      // (Deflate expands at most about 1032:1, which bounds the chunk for a damaged trailer.)
      return gunzipSync(bytes, { chunkSize: Math.max(1 << 16, Math.min(size, 1032 * bytes.length, 1 << 30)) })
    } catch {
      throw new Error(`${path}: corrupted or truncated gzip data`)
    }
  }
  return bytes
}

/** The embedded UCI digits. @example const { x, labels } = loadDigits() */
export function loadDigits(): Dataset {
  const path = fileURLToPath(new URL('../../data/digits.csv.gz', import.meta.url))
  return parseDigits(new TextDecoder().decode(readMaybeGzip(path)))
}

/** An IDX file, gzipped or raw. @example readIdx('train-images-idx3-ubyte.gz') */
export function readIdx(path: string): IdxArray {
  return parseIdx(readMaybeGzip(path), path)
}

/**
 * MNIST or Fashion-MNIST from a directory holding the four standard files (with or without .gz).
 * @example const { train, test } = loadMnistLike('/usr/share/datasets/fashion-mnist', 'Fashion-MNIST')
 */
export function loadMnistLike(
  dir: string,
  name = 'Fashion-MNIST',
  classes = FASHION_CLASSES,
): { train: Dataset; test: Dataset } {
  const find = (base: string): string => {
    for (const f of [`${base}.gz`, base]) if (existsSync(join(dir, f))) return join(dir, f)
    throw new Error(`${name}: ${base}(.gz) not found in ${dir}`)
  }
  const load = (split: 'train' | 't10k'): Dataset =>
    fromIdx(readIdx(find(`${split}-images-idx3-ubyte`)), readIdx(find(`${split}-labels-idx1-ubyte`)), name, classes)
  return { train: load('train'), test: load('t10k') }
}

/** Where Debian's dataset-fashion-mnist package puts the files. @example loadMnistLike(DEBIAN_FASHION_MNIST) */
export const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist'

/**
 * A CSV file, read in pieces of 1 MiB (a gzipped one is decompressed whole first).
 * @example readCsv('data.csv', { header: true, label: 'class' })
 */
export function readCsv(path: string, options: CsvOptions = {}): CsvTable {
  const reader = new CsvReader(options, path)
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message
    throw new Error(`cannot read ${path}: ${reason}`)
  }
  try {
    const chunk = new Uint8Array(1 << 20)
    const first = readSync(fd, chunk, 0, 2, 0)
    if (first === 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
      return reader.push(new TextDecoder().decode(readMaybeGzip(path))).finish()
    }
    const decoder = new TextDecoder()
    for (let at = 0, n = readSync(fd, chunk, 0, chunk.length, 0); n > 0; n = readSync(fd, chunk, 0, chunk.length, at)) {
      at += n
      reader.push(decoder.decode(chunk.subarray(0, n), { stream: true }))
    }
    return reader.push(decoder.decode()).finish()
  } finally {
    closeSync(fd)
  }
}

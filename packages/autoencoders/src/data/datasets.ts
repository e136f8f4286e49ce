/**
 * Data sets as tensors: images flattened to rows and scaled to [0, 1], with integer labels.
 * Image data sets keep their pixels as bytes (a quarter of the memory); training reads those a
 * batch at a time, and the float tensor `x` is made only if something asks for it.
 */
import { ByteRows } from '@latent/nn'
import { gather, type Tensor } from '@latent/tensor'
import { parseCsv } from './csv.js'
import type { IdxArray } from './idx.js'

export interface Dataset {
  /** [n, features], float32 in [0, 1] (from `bytes`, made on first use, when there are bytes). */
  readonly x: Tensor
  /** The pixels as bytes / 255, for data sets of images: what training and subsets read. */
  readonly bytes?: ByteRows
  labels: Int32Array
  /** Image height and width, for pictures. */
  image: [number, number]
  name: string
  classes: string[]
}

/**
 * The UCI optical digits (E. Alpaydin and C. Kaynak, CC BY 4.0): the embedded default data set,
 * 1797 8x8 images, from the text of digits.csv (64 pixel values 0..16, then the label).
 * @example const digits = parseDigits(csvText)
 */
export function parseDigits(text: string): Dataset {
  const { x, labels } = parseCsv(text, { header: false, label: 64, scale: 16 }, 'digits.csv')
  if (x.shape[1] !== 64) {
    throw new Error(`digits.csv: expected 64 pixel columns and a label, got ${x.shape[1] + 1} columns`)
  }
  return { x, labels: labels!, image: [8, 8], name: 'UCI digits', classes: [...'0123456789'] }
}

/** Fashion-MNIST's class names, by label. @example FASHION_CLASSES[9] // 'Ankle boot' */
export const FASHION_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]

/**
 * Images and labels from IDX arrays (MNIST's layout): pixels scaled to [0, 1] by 255. The label
 * count must match the image count.
 * @example const train = fromIdx(images, labels, 'Fashion-MNIST', FASHION_CLASSES)
 */
export function fromIdx(images: IdxArray, labels: IdxArray, name: string, classes: string[]): Dataset {
  if (images.shape.length !== 3) {
    throw new Error(`${name}: images must have 3 dimensions (n, height, width), got ${images.shape.length}`)
  }
  if (labels.shape.length !== 1) throw new Error(`${name}: labels must have 1 dimension, got ${labels.shape.length}`)
  const [n, h, w] = images.shape
  if (labels.shape[0] !== n) throw new Error(`${name}: ${labels.shape[0]} labels for ${n} images`)
  const bad = labels.data.findIndex((l: number) => !(Number.isInteger(l) && l >= 0 && l < classes.length))
  if (bad >= 0) {
    throw new Error(`${name}: label ${bad} is ${labels.data[bad]}, not a class number from 0 to ${classes.length - 1}`)
  }
  const bytes = new ByteRows(images.data, [n, h * w])
  return byteDataset(bytes, Int32Array.from(labels.data), [h, w], name, classes)
}

/**
 * A data set of byte pixels: `x` (float32, bytes / 255) is made when first read, and kept.
 * @example const d = byteDataset(new ByteRows(pixels, [n, 784]), labels, [28, 28], 'MNIST', classes)
 */
export function byteDataset(bytes: ByteRows, labels: Int32Array, image: [number, number], name: string,
  classes: string[]): Dataset {
  let x: Tensor | undefined
  return { get x() { return (x ??= bytes.toTensor()) }, bytes, labels, image, name, classes }
}

/**
 * The rows of a data set at `indices` (bytes stay bytes).
 * @example const first = subset(train, [0, 1, 2])
 */
export function subset(d: Dataset, indices: ArrayLike<number>): Dataset {
  const labels = Int32Array.from(indices, (i) => d.labels[i])
  if (d.bytes) return byteDataset(d.bytes.subset(indices), labels, d.image, d.name, d.classes)
  return { x: gather(d.x, Int32Array.from(indices)), labels, image: d.image, name: d.name, classes: d.classes }
}

/**
 * How many rows and features a data set has, without making `x` from bytes.
 * @example const [n, features] = shapeOf(train)
 */
export function shapeOf(d: Dataset): readonly number[] {
  return (d.bytes ?? d.x).shape
}

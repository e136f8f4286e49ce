/**
 * Data sets as tensors: images flattened to rows and scaled to [0, 1], with integer labels.
 */
import { Tensor } from '@latent/tensor'
import { parseCsv } from './csv.js'
import type { IdxArray } from './idx.js'

export interface Dataset {
  /** [n, features], float32 in [0, 1]. */
  x: Tensor
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
  const x = new Float32Array(n * h * w)
  for (let i = 0; i < x.length; i++) x[i] = images.data[i] / 255
  return { x: new Tensor(x, [n, h * w]), labels: Int32Array.from(labels.data), image: [h, w], name, classes }
}

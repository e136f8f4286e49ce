/**
 * How good a model is, the same way for an autoencoder and for PCA: test MSE, kNN and
 * linear-probe accuracy of the codes, and the anomaly AUROC of the reconstruction error.
 */
import * as T from '@latent/tensor'
import { Rng, type Tensor } from '@latent/tensor'
import type { Autoencoder } from '../../autoencoder.js'
import { knnAccuracy } from '../../embeddings.js'
import { linearProbe } from '../../features.js'
import { auroc } from '../../metrics.js'
import { PCA } from '../../pca.js'
import { cap, type Splits } from './data.js'

export interface Measures {
  /** Mean squared error per feature on the test images of the trained classes. */
  testMse: number
  /** 5-NN accuracy of the codes (test codes against training codes). */
  knn?: number
  /** Linear-probe accuracy on the codes. */
  probe?: number
  /** AUROC of the reconstruction error for the held-out class. */
  auroc?: number
}

/**
 * Mean squared error over every element of two same-shaped tensors.
 * @example mse(model.reconstruct(x), x)
 */
export function mse(a: Tensor, b: Tensor): number {
  return T.mean(T.square(T.sub(a, b))).item()
}

/**
 * Mean squared error of every row: the anomaly score, for any reconstruction (an AE's or PCA's).
 * @example const scores = rowErrors(pca.reconstruct(x), x)
 */
export function rowErrors(a: Tensor, b: Tensor): Tensor {
  return T.mean(T.square(T.sub(a, b)), { axis: 1 })
}

/**
 * Test MSE, kNN and linear-probe accuracy of the codes, and anomaly AUROC, for any encoder/reconstructor pair.
 * @example measure((x) => pca.transform(x), (x) => pca.reconstruct(x), splits, { probe: true })
 */
export function measure(
  codes: (x: Tensor) => Tensor,
  reconstruct: (x: Tensor) => Tensor,
  splits: Splits,
  options: { probe?: boolean; seed?: number } = {},
): Measures {
  const m: Measures = { testMse: mse(reconstruct(splits.normalTest.x), splits.normalTest.x) }
  const labelled = new Set(splits.train.labels).size > 1
  if (labelled) {
    const tr = cap(splits.train, 10000)
    const te = cap(splits.normalTest, 2000)
    m.knn = knnAccuracy(codes(tr.x), tr.labels, codes(te.x), te.labels, { k: 5 })
    if (options.probe) {
      const probe = { rng: new Rng(options.seed ?? 0), epochs: 50, classes: splits.train.classes.length }
      m.probe = linearProbe(codes, tr.x, tr.labels, te.x, te.labels, probe)
    }
  }
  if (splits.anomalyLabels) {
    m.auroc = auroc(rowErrors(reconstruct(splits.test.x), splits.test.x).data, splits.anomalyLabels)
  }
  return m
}

/**
 * The measures of an autoencoder: its codes and its reconstructions.
 * @example const { testMse, knn } = measureModel(model, splits, { probe: true })
 */
export function measureModel(model: Autoencoder, splits: Splits, options: { probe?: boolean } = {}): Measures {
  return measure((x) => model.encode(x), (x) => model.reconstruct(x), splits, options)
}

/**
 * The measures of PCA with `k` components, fitted to the training images.
 * @example const baseline = measurePca(8, splits)
 */
export function measurePca(k: number, splits: Splits, options: { probe?: boolean } = {}): Measures {
  const pca = new PCA(k).fit(splits.train.x)
  return measure((x) => pca.transform(x), (x) => pca.reconstruct(x), splits, options)
}

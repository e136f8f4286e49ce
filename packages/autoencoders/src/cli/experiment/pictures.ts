/**
 * The pictures of a run, as SVG text by file name: loss curves, reconstructions, the codes in
 * 2-D, a VAE's samples and interpolation, and the anomaly-score histogram and ROC curve.
 */
import * as T from '@latent/tensor'
import type { Autoencoder } from '../../autoencoder.js'
import { latent2d } from '../../applications.js'
import { auroc, rocCurve } from '../../metrics.js'
import { histogram, imageGrid, lineChart, scatter } from '../../plots/svg.js'
import { type History } from '../../train.js'
import { VariationalAutoencoder } from '../../variants/variational.js'
import { cap, type Splits } from './data.js'

/**
 * Loss curves: every part, training solid and validation dashed, on a log scale.
 * @example const svg = lossPicture(result.history, 'vanilla: loss per epoch')
 */
export function lossPicture(history: History['epochs'], title: string): string {
  const names = Object.keys(history[0]?.train ?? { total: 0 })
  const series = names.flatMap((name, i) => [
    {
      name: `${name} (train)`,
      points: history.map((e) => [e.epoch, e.train[name]] as [number, number]),
      color: undefined as string | undefined,
      dashed: false,
      i,
    },
    ...(history[0]?.validation
      ? [{
          name: `${name} (validation)`,
          points: history.map((e) => [e.epoch, e.validation![name]] as [number, number]),
          dashed: true,
          i,
        }]
      : []),
  ]).map(({ i, ...s }) => ({ ...s, color: ['#4e79a7', '#f28e2b', '#e15759', '#59a14f'][i % 4] }))
  const logY = history.every((e) => Object.values(e.train).every((v) => v > 0))
  return lineChart(series, { title, xLabel: 'epoch', yLabel: 'loss', logY })
}

/**
 * The pictures of one trained model, by file name.
 * @example writeAll('runs/ae', modelPictures(model, splits, history, 'vanilla 64-32-8'))
 */
export function modelPictures(
  model: Autoencoder,
  splits: Splits,
  history: History['epochs'],
  name: string,
): Record<string, string> {
  const test = splits.normalTest
  const image = test.image
  const first = T.slice(test.x, 0, 0, Math.min(12, test.x.shape[0]))
  const pictures: Record<string, string> = {}
  if (history.length) pictures['loss.svg'] = lossPicture(history, `${name}: loss per epoch`)
  pictures['reconstructions.svg'] = imageGrid(
    [{ label: 'original', images: first }, { label: 'reconstruction', images: model.reconstruct(first) }],
    image,
    { title: `${name}: test images (top) and reconstructions` },
  )
  const few = cap(splits.test, 1500)
  pictures['latent.svg'] = scatter(latent2d(model, few.x), few.labels, {
    title: `${name}: codes of test images in 2-D`,
    classes: few.classes,
  })
  if (model instanceof VariationalAutoencoder) {
    const samples = model.sample(24)
    pictures['samples.svg'] = imageGrid(
      [{ label: 'samples', images: T.slice(samples, 0, 0, 12) }, { label: '', images: T.slice(samples, 0, 12, 24) }],
      image,
      { title: `${name}: samples from the prior` },
    )
    const line = model.interpolate(T.slice(test.x, 0, 0, 1), T.slice(test.x, 0, 1, 2), 10)
    pictures['interpolation.svg'] = imageGrid([{ label: 'interpolation', images: line }], image, {
      title: `${name}: decoded codes on the line between two test images`,
    })
  }
  return pictures
}

/**
 * Anomaly pictures: score histogram with the threshold, and the ROC curve when labels are known.
 * @example writeAll('runs/ae', anomalyPictures(scores, detector.threshold!, splits.anomalyLabels, 'vanilla'))
 */
export function anomalyPictures(
  scores: ArrayLike<number>,
  threshold: number,
  labels: ArrayLike<number> | undefined,
  name: string,
): Record<string, string> {
  const pictures: Record<string, string> = {
    'anomaly-scores.svg': histogram(scores, {
      title: `${name}: reconstruction error of test images`,
      threshold,
      labels,
      xLabel: 'mean squared error',
    }),
  }
  if (labels) {
    const roc = rocCurve(scores, labels)
    const curve = `AUROC ${auroc(scores, labels).toFixed(3)}`
    pictures['roc.svg'] = lineChart([{ name: curve, points: roc.fpr.map((f, i) => [f, roc.tpr[i]]) }], {
      title: `${name}: ROC of the anomaly score`,
      xLabel: 'false positive rate',
      yLabel: 'true positive rate',
      xRange: [0, 1],
      yRange: [0, 1],
      diagonal: true,
    })
  }
  return pictures
}

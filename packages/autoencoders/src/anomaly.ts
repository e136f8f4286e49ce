/**
 * Anomaly detection by reconstruction error: an autoencoder trained on normal data reconstructs
 * normal samples well and unusual ones badly, so the per-sample reconstruction error is an
 * anomaly score. The threshold is a quantile of the training scores, or is set so that a given
 * fraction of the training data (the contamination rate) is flagged.
 */
import type { Tensor } from '@latent/tensor'
import type { Autoencoder } from './autoencoder.js'
import { auroc, precisionRecall, quantile } from './metrics.js'

export class AnomalyDetector {
  threshold: number | undefined

  /** @example const detector = new AnomalyDetector(ae).fit(xTrain, { contamination: 0.01 }) */
  constructor(readonly model: Autoencoder) {}

  /** Per-sample anomaly scores: mean squared reconstruction error. @example detector.scores(x) */
  scores(x: Tensor): Float64Array {
    return Float64Array.from(this.model.reconstructionError(x).data)
  }

  /**
   * Sets the threshold from training data: its `quantile` of the scores (e.g. 0.99), or the score
   * above which a fraction `contamination` lies (the two say the same thing: contamination c is
   * quantile 1 - c).
   * @example detector.fit(xTrain, { quantile: 0.99 })
   */
  fit(x: Tensor, options: { quantile: number } | { contamination: number }): this {
    const given = Object.keys(options).filter((k) => k === 'quantile' || k === 'contamination')
    if (given.length !== 1) throw new RangeError('AnomalyDetector.fit: pass either { quantile } or { contamination }')
    const [name, value] = 'quantile' in options
      ? ['quantile', options.quantile]
      : ['contamination', options.contamination]
    if (!(value > 0 && value < 1)) throw new RangeError(`AnomalyDetector.fit: ${name} must be in (0, 1), got ${value}`)
    const q = name === 'quantile' ? value : 1 - value
    this.threshold = quantile(this.scores(x), q)
    return this
  }

  /** 1 where the score exceeds the threshold. @example detector.predict(xNew) */
  predict(x: Tensor): Uint8Array {
    if (this.threshold === undefined) throw new Error('AnomalyDetector.predict: call fit() first')
    const t = this.threshold
    return Uint8Array.from(this.scores(x), (s) => (s > t ? 1 : 0))
  }

  /**
   * How well the scores separate labelled anomalies (1) from normal data (0): AUROC, average
   * precision, and precision and recall at the threshold.
   * @example detector.report(xTest, labels)
   */
  report(
    x: Tensor,
    labels: ArrayLike<number>,
  ): { auroc: number; averagePrecision: number; precision: number; recall: number } {
    const scores = this.scores(x)
    const t = this.threshold
    let tp = 0
    let fp = 0
    let fn = 0
    if (t !== undefined) for (let i = 0; i < labels.length; i++) {
      const flagged = scores[i] > t
      if (flagged && labels[i]) tp++
      else if (flagged) fp++
      else if (labels[i]) fn++
    }
    return {
      auroc: auroc(scores, labels),
      averagePrecision: precisionRecall(scores, labels).averagePrecision,
      precision: tp + fp > 0 ? tp / (tp + fp) : 0,
      recall: tp + fn > 0 ? tp / (tp + fn) : 0,
    }
  }
}

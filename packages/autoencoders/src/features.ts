/**
 * Feature extraction and fine-tuning: a pretrained encoder with a classifier head on top, the
 * encoder frozen (feature extraction) or trainable (fine-tuning); and the linear probe, a
 * softmax classifier trained on frozen codes, which measures how linearly separable they are.
 */

import type { Value } from '@latent/autodiff'
import { Adam, crossEntropyLoss, Dense, Module, train } from '@latent/nn'
import { argmax, type Rng, type Tensor, tensor } from '@latent/tensor'

export class Classifier extends Module {
  readonly head: Dense

  /**
   * An encoder (its parameters are shared with the autoencoder it came from) and a dense head
   * to `classes` logits. `freezeEncoder` stops the encoder's gradients.
   * @example
   *   const clf = new Classifier(ae.encoder, 32, 10, { rng, freezeEncoder: true })
   */
  constructor(
    readonly encoder: Module,
    codeSize: number,
    classes: number,
    options: { rng: Rng; freezeEncoder?: boolean },
  ) {
    super()
    this.head = new Dense(codeSize, classes, { rng: options.rng })
    if (options.freezeEncoder) encoder.freeze()
  }

  forward(x: Value): Value {
    return this.head.forward(this.encoder.forward(x))
  }

  /** Predicted classes (evaluation mode). @example clf.predict(xTest) */
  predict(x: Tensor): Int32Array {
    return Int32Array.from(argmax(this.inEval(() => this.call(x)).data, { axis: 1 }).data)
  }

  /** Fraction of correct predictions. @example clf.accuracy(xTest, yTest) */
  accuracy(x: Tensor, labels: ArrayLike<number>): number {
    const p = this.predict(x)
    let hit = 0
    for (let i = 0; i < p.length; i++) if (p[i] === labels[i]) hit++
    return hit / p.length
  }
}

export interface ClassifierTraining {
  epochs: number
  batchSize: number
  lr?: number
  rng: Rng
}

/**
 * Trains a classifier with cross-entropy and Adam on (x, labels), by @latent/nn's training loop
 * (so in WASM memory where it pays, like `fit`); returns the last epoch's mean training loss.
 * Throws, before the update, if a batch's loss is NaN or infinite.
 * @example trainClassifier(clf, xFew, yFew, { epochs: 50, batchSize: 32, rng })
 */
export function trainClassifier(
  model: Classifier,
  x: Tensor,
  labels: ArrayLike<number>,
  options: ClassifierTraining,
): number {
  const y = tensor(Array.from(labels), { dtype: x.dtype })
  const optimizer = new Adam(model.namedParameters().filter(([, p]) => p.requiresGrad), { lr: options.lr ?? 1e-3 })
  const history = train(model, [x, y], {
    epochs: options.epochs, batchSize: options.batchSize, rng: options.rng, optimizer,
    loss: ([xb, yb]) => ({ total: crossEntropyLoss(model.call(xb), yb.data) }),
  })
  if (history.diverged) {
    // As in fit: a NaN or infinite loss would make every weight NaN in the update.
    const { total, epoch } = history.diverged
    throw new RangeError(`trainClassifier: the loss was ${total} in epoch ${epoch}; ` +
      'the update was not applied (try a lower lr)')
  }
  return history.epochs.at(-1)?.train.total ?? NaN
}

/**
 * The linear probe: a softmax classifier trained on the frozen codes of `encode`, scored on a
 * test set. Higher accuracy means more linearly separable codes.
 * @example linearProbe((x) => ae.encode(x), xTrain, yTrain, xTest, yTest, { rng })
 */
export function linearProbe(
  encode: (x: Tensor) => Tensor,
  xTrain: Tensor,
  yTrain: ArrayLike<number>,
  xTest: Tensor,
  yTest: ArrayLike<number>,
  options: { rng: Rng; epochs?: number; lr?: number; classes?: number },
): number {
  const codes = encode(xTrain)
  const classes = options.classes ?? Math.max(...Array.from(yTrain), ...Array.from(yTest)) + 1
  const probe = new Classifier(new IdentityModule(), codes.shape[1], classes, { rng: options.rng })
  const training = { epochs: options.epochs ?? 100, batchSize: 64, lr: options.lr ?? 0.01, rng: options.rng }
  trainClassifier(probe, codes, yTrain, training)
  return probe.accuracy(encode(xTest), yTest)
}

class IdentityModule extends Module {
  forward(x: Value): Value {
    return x
  }
}


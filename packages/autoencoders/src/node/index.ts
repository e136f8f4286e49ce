/** @latent/autoencoders/node: data sets from files (Node only). */
export { readMaybeGzip, loadDigits, readIdx, loadMnistLike, readCsv, DEBIAN_FASHION_MNIST } from './datasets.js'
export { CHECKPOINT, checkFiniteWeights, checkpointPath, loadModel, type LoadedModel, readRunFile } from './model.js'

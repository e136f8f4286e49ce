/**
 * @latent/autoencoders: every classic autoencoder and what autoencoders are used for. See
 * README.md. File access (data sets, checkpoints) and the command line are in
 * '@latent/autoencoders/node'.
 */
export {
  Autoencoder, type AutoencoderOptions, type LossParts, type ReconstructionLoss, RECONSTRUCTION_LOSSES,
  reconstructionLoss, buildAutoencoder, symmetricLayers, type SymmetricOptions, TiedDense,
} from './autoencoder.js'
export {
  DenoisingAutoencoder, corrupt, checkNoise, DEFAULT_NOISE, formatNoise, type Noise, parseNoise,
} from './variants/denoising.js'
export { SparseAutoencoder, type SparsityPenalty } from './variants/sparse.js'
export {
  ContractiveAutoencoder, CONTRACTIVE_OPTIONS, jacobianNormOf, type PenaltyPath,
} from './variants/contractive.js'
export {
  ACTIVATION_DERIVATIVES, type ClosedFormActivation, denseContractive, type DenseLayer, denseStackPenalty,
} from './variants/jacobian.js'
export {
  VariationalAutoencoder, buildVariational, type Likelihood, type VariationalOptions, type VariationalBuildOptions,
} from './variants/variational.js'
export { pretrainLayerwise } from './variants/stacked.js'
export { fit, fitAsync, evaluate, type FitOptions, type History, type EpochRecord, type BatchInfo } from './train.js'
export { PCA } from './pca.js'
export { symmetricEigen, leadingEigen } from './linalg.js'
export { auroc, rocCurve, precisionRecall, quantile, trustworthiness } from './metrics.js'
export { AnomalyDetector } from './anomaly.js'
export { Classifier, trainClassifier, linearProbe, type ClassifierTraining } from './features.js'
export { nearestNeighbors, knnAccuracy, type Metric } from './embeddings.js'
export { tsne, type TsneOptions } from './embed/tsne.js'
export { umap, findAbParams, type UmapOptions } from './embed/umap.js'
export { inpaint, latent2d } from './applications.js'
export { parseIdx, type IdxArray } from './data/idx.js'
export { CsvReader, MAX_CLASSES, parseCsv, type CsvOptions, type CsvTable } from './data/csv.js'
export {
  byteDataset, parseDigits, fromIdx, FASHION_CLASSES, shapeOf, subset, type Dataset,
} from './data/datasets.js'
export {
  type ConvSpec, MODEL_OPTIONS, type ModelSpec, type Variant, VARIANTS, defaultSpec, checkSpec, buildModel,
} from './spec.js'
export { lineChart, imageGrid, scatter, histogram, barChart, ticks, PALETTE, type Series } from './plots/svg.js'
export {
  buildConvAutoencoder, CONV_OPTIONS, convolutionalLayers, convolutionalPair, type ConvolutionalOptions,
  DEFAULT_CHANNELS,
} from './convolutional.js'
export { autoencoderToOnnx, exportOnnx, type OnnxOptions, type OnnxPart } from './onnx/export.js'

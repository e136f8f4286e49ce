/**
 * @latent/nn: modules, layers, losses, regularizers, optimizers, data and checkpoints, with
 * PyTorch's semantics. See README.md. File I/O lives in '@latent/nn/node'.
 */
export { Module, Parameter, Sequential } from './module.js'
export { initWeight, initBias, type InitScheme, type InitOptions } from './init.js'
export {
  Dense, type DenseOptions, Activation, ReLU, LeakyReLU, ELU, GELU, Sigmoid, Tanh, Softplus, Identity, ACTIVATIONS,
  type ActivationName, activation, elu, gelu, softplus, Dropout,
} from './layers.js'
export {
  mseLoss, l1Loss, bceLoss, bceWithLogitsLoss, poissonNllLoss, crossEntropyLoss, gaussianKl, bernoulliKl,
  type Reduction, type LossOptions,
} from './losses.js'
export { l1Penalty, l2Penalty, l1Activity, l2Activity } from './regularizers.js'
export { Optimizer, type ParamList, type OptimizerState } from './optim/optimizer.js'
export { SGD, SGD_OPTIONS } from './optim/sgd.js'
export { RMSprop, RMSPROP_OPTIONS } from './optim/rmsprop.js'
export { Adam, AdamW, ADAM_OPTIONS, ADAMW_OPTIONS, type AdamOptions } from './optim/adam.js'
export { LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR } from './optim/schedules.js'
export { clipGradNorm } from './optim/clip.js'
export {
  allowed, checkOption, resolveOptions, type Given, type Like, type OptionSpec, type OptionTable, type Resolved,
} from './options.js'
export {
  batches, batchCount, batchIndices, ByteRows, gatherRows, type Rows, trainValidationSplit, MinMaxScaler,
  StandardScaler, type BatchOptions,
} from './data.js'
export { encodeSafetensors, decodeSafetensors, type SafetensorsContent } from './safetensors.js'
export { serializeCheckpoint, restoreCheckpoint } from './checkpoint.js'
export {
  train, trainAsync, training, averageParts, type TrainOptions, type LossParts, type History, type EpochRecord,
  type BatchInfo,
} from './train/loop.js'
export { placeTraining, type Placement, type PlacementName } from './train/placement.js'
export {
  Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d, Upsample, Flatten, Unflatten, type ConvLayerOptions,
} from './conv.js'

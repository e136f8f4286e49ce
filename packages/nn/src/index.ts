/**
 * @latent/nn: modules, layers, losses, regularizers, optimizers, data and checkpoints, with
 * PyTorch's semantics. See README.md. File I/O lives in '@latent/nn/node'.
 */
export { Module, Parameter, Sequential } from './module.js'
export { initWeight, initBias, type InitScheme, type InitOptions } from './init.js'
export { Dense, type DenseOptions, Activation, ReLU, LeakyReLU, ELU, GELU, Sigmoid, Tanh, Softplus, Identity, ACTIVATIONS, type ActivationName, activation, elu, gelu, softplus, Dropout } from './layers.js'
export { mseLoss, l1Loss, bceLoss, bceWithLogitsLoss, poissonNllLoss, crossEntropyLoss, gaussianKl, bernoulliKl, type Reduction, type LossOptions } from './losses.js'
export { l1Penalty, l2Penalty, l1Activity, l2Activity } from './regularizers.js'
export { Optimizer, SGD, RMSprop, Adam, AdamW, type ParamList, type OptimizerState, LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR, clipGradNorm } from './optim.js'
export { batches, batchCount, batchIndices, trainValidationSplit, MinMaxScaler, StandardScaler, type BatchOptions } from './data.js'
export { encodeSafetensors, decodeSafetensors, type SafetensorsContent } from './safetensors.js'
export { serializeCheckpoint, restoreCheckpoint } from './checkpoint.js'

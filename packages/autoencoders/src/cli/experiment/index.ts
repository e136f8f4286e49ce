/**
 * What the command line does, as functions: load and split a data set, train with a checkpoint
 * after every epoch (resumable to the same result), measure a model against PCA, and draw it.
 * A run lives in one folder: checkpoint.safetensors (weights, optimizer state, generator
 * states, the configuration and the history), summary.json, the pictures and index.html.
 */
export { cap, checkWidth, type DataOptions, loadSplits, type Splits, UsageError } from './data.js'
export {
  CHECKPOINT, type CheckpointMeta, checkConfig, makeOptimizer, type OpenedCheckpoint, openCheckpoint,
  type TrainConfig, writeCheckpoint, OPTIMIZERS, RUN_OPTIONS,
} from './checkpoint.js'
export { type TrainOptions, type TrainResult, trainRun } from './run.js'
export { type Measures, measure, measureModel, measurePca, mse, rowErrors } from './measure.js'
export { anomalyPictures, lossPicture, modelPictures } from './pictures.js'
export { writeAll, writeFile } from './files.js'

/** @latent/nn/node: the parts of @latent/nn that need Node (files). */
export { writeFileAtomic, saveCheckpoint, loadCheckpoint, removeStaleTemporaries } from './checkpoint.js'

import { readFileSync } from 'node:fs'
import { tensor, type DType, type Tensor } from '@latent/tensor'

export interface Encoded { shape: number[]; data: number[] }
export const t64 = (e: Encoded, dtype: DType = 'float64'): Tensor => tensor(e.data, { shape: e.shape, dtype })

export interface LossCase {
  name: string
  reduction: 'mean' | 'sum' | 'none'
  input: Encoded
  target?: Encoded
  labels?: number[]
  output: Encoded
  grad: Encoded
}
export interface Run {
  kind: string
  options: Record<string, number | boolean | number[]>
  schedule: { name: string; options: Record<string, number> } | null
  clip: number | null
  dtype: DType
  steps: number[][]
  lrs: number[]
  norms: number[]
}

export const NN = JSON.parse(readFileSync(new URL('./fixtures/nn.json', import.meta.url), 'utf8')) as {
  losses: LossCase[]
  activations: { name: string; output: Encoded; grad: Encoded }[]
  z: Encoded
  optim: { X: Encoded; Y: Encoded; init: Encoded[]; runs: Run[] }
}

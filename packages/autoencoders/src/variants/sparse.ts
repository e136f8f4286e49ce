/**
 * Sparse autoencoder: most code units are inactive for any one input. Two penalties on the code h:
 *
 *   l1   λ · mean over samples of Σⱼ |hⱼ|                                   (L1 activity penalty)
 *   kl   β · Σⱼ KL(ρ ‖ ρ̂ⱼ),  ρ̂ⱼ = mean of hⱼ over the batch                (UFLDL; Ng 2011,
 *        "Sparse autoencoder", CS294A lecture notes; h must lie in (0, 1), e.g. sigmoid units)
 */
import { Value } from '@latent/autodiff'
import * as A from '@latent/autodiff'
import { bernoulliKl, l1Activity, type Module } from '@latent/nn'
import type { Tensor } from '@latent/tensor'
import { Autoencoder, type AutoencoderOptions, reconstructionLoss, type LossParts } from '../autoencoder.js'

export type SparsityPenalty = { kind: 'l1'; lambda: number } | { kind: 'kl'; rho: number; beta: number }

/**
 * The penalty a sparse autoencoder gets unless told: KL to a rate of 0.05, weight 0.5.
 * @example formatSparsity(DEFAULT_SPARSITY) // 'kl:0.05:0.5'
 */
export const DEFAULT_SPARSITY: SparsityPenalty = { kind: 'kl', rho: 0.05, beta: 0.5 }

/**
 * Throws unless the penalty is L1 with λ >= 0 or KL with ρ in (0, 1) and β >= 0.
 * @example checkSparsity({ kind: 'l1', lambda: 1e-3 })
 */
export function checkSparsity(s: SparsityPenalty): void {
  if (s?.kind === 'l1') {
    if (!(s.lambda >= 0)) throw new RangeError(`sparsity: lambda must be >= 0, got ${s.lambda}`)
  } else if (s?.kind === 'kl') {
    if (!(s.rho > 0 && s.rho < 1 && s.beta >= 0)) {
      throw new RangeError(`sparsity: rho must be in (0, 1) and beta >= 0, got ${s.rho}, ${s.beta}`)
    }
  } else throw new RangeError(`sparsity: unknown kind '${String((s as { kind?: string })?.kind)}' (l1 or kl)`)
}

/**
 * A penalty from its short form: kl:RHO:BETA or l1:LAMBDA (as the command line takes it).
 * @example parseSparsity('kl:0.05:0.5') // { kind: 'kl', rho: 0.05, beta: 0.5 }
 */
export function parseSparsity(text: string): SparsityPenalty {
  const [kind, a, b] = text.split(':')
  const number = (v: string | undefined): boolean => v !== undefined && v.trim() !== '' && Number.isFinite(Number(v))
  const s: SparsityPenalty | undefined = kind === 'l1' && number(a) && b === undefined ? { kind, lambda: Number(a) }
    : kind === 'kl' && number(a) && number(b) ? { kind, rho: Number(a), beta: Number(b) } : undefined
  if (!s) {
    throw new RangeError('sparsity: expected kl:RHO:BETA (like kl:0.05:0.5) or l1:LAMBDA (like l1:0.001), ' +
      `got '${text}'`)
  }
  checkSparsity(s)
  return s
}

/**
 * The short form of a penalty (parseSparsity's inverse).
 * @example formatSparsity({ kind: 'l1', lambda: 0.001 }) // 'l1:0.001'
 */
export function formatSparsity(s: SparsityPenalty): string {
  return s.kind === 'l1' ? `l1:${s.lambda}` : `kl:${s.rho}:${s.beta}`
}

export class SparseAutoencoder extends Autoencoder {
  /**
   * @example
   *   new SparseAutoencoder(encoder, decoder, { sparsity: { kind: 'kl', rho: 0.05, beta: 3 } })
   */
  constructor(encoder: Module, decoder: Module, options: AutoencoderOptions & { sparsity?: SparsityPenalty }) {
    super(encoder, decoder, options)
    this.options = { ...options, sparsity: options.sparsity ?? DEFAULT_SPARSITY }
    checkSparsity(this.options.sparsity)
  }

  readonly options: AutoencoderOptions & { sparsity: SparsityPenalty }

  /**
   * { total: reconstruction + sparsity, reconstruction, sparsity } (the L1 or the KL penalty).
   * @example sae.loss(batch).sparsity.item()
   */
  override loss(x: Tensor): LossParts {
    const h = this.encodeValue(x)
    const reconstruction = reconstructionLoss(this.lossKind, this.decodeValue(h), x)
    const s = this.options.sparsity
    const sparsity = s.kind === 'l1' ? l1Activity(h, s.lambda) : A.mul(bernoulliKl(s.rho, h), s.beta)
    return { total: A.add(reconstruction, sparsity), reconstruction, sparsity }
  }

  /**
   * The mean activation of every code unit over the data (ρ̂), to compare with ρ.
   * @example const rates = sae.meanActivation(x)
   */
  meanActivation(x: Tensor): Tensor {
    return A.mean(new Value(this.encode(x)), { axis: 0 }).data
  }
}

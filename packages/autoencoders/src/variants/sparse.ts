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

export class SparseAutoencoder extends Autoencoder {
  /**
   * @example
   *   new SparseAutoencoder(encoder, decoder, { sparsity: { kind: 'kl', rho: 0.05, beta: 3 } })
   */
  constructor(encoder: Module, decoder: Module, readonly options: AutoencoderOptions & { sparsity: SparsityPenalty }) {
    super(encoder, decoder, options)
    const s = options.sparsity
    if (s.kind === 'l1' && !(s.lambda >= 0)) throw new RangeError(`SparseAutoencoder: lambda must be >= 0, got ${s.lambda}`)
    if (s.kind === 'kl' && !(s.rho > 0 && s.rho < 1 && s.beta >= 0)) throw new RangeError(`SparseAutoencoder: rho must be in (0, 1) and beta >= 0, got ${s.rho}, ${s.beta}`)
    if (s.kind !== 'l1' && s.kind !== 'kl') throw new RangeError(`SparseAutoencoder: unknown sparsity '${String((s as { kind: string }).kind)}' (l1 or kl)`)
  }

  /** { total: reconstruction + sparsity, reconstruction, sparsity } (the L1 or the KL penalty). @example sae.loss(batch).sparsity.item() */
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

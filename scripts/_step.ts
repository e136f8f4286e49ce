import * as A from '@latent/autodiff'
import { Rng, setNumThreads, Tensor } from '@latent/tensor'
import { Adam, Dense, mseLoss, ReLU, Sequential, Sigmoid } from '@latent/nn'
setNumThreads(Number(process.env.TH ?? 1))
const rng = new Rng(1), batch = 256, sizes = [784, 256, 64, 256, 784]
const data = rng.uniform([batch * 8, 784])
const model = new Sequential(...sizes.slice(1).flatMap((s, i) => [new Dense(sizes[i], s, { rng }), i === 3 ? new Sigmoid() : new ReLU()]))
const opt = new Adam(model.namedParameters(), { lr: 1e-3 })
const batches = Array.from({ length: 8 }, (_, b) => new A.Value(new Tensor(data.data.subarray(b * batch * 784, (b + 1) * batch * 784), [batch, 784])))
const t = { f: 0, b: 0, s: 0 }
for (let i = 0; i < 300; i++) {
  const x = batches[i % 8]
  const t0 = performance.now(); opt.zeroGrad(); const loss = mseLoss(model.forward(x), x)
  const t1 = performance.now(); A.backward(loss)
  const t2 = performance.now(); opt.step()
  const t3 = performance.now()
  if (i >= 50) { t.f += t1 - t0; t.b += t2 - t1; t.s += t3 - t2 }
}
const tot = t.f + t.b + t.s
console.log(`fwd ${(t.f / 250).toFixed(2)} ms bwd ${(t.b / 250).toFixed(2)} step ${(t.s / 250).toFixed(2)} → ${(250 * batch / (tot / 1000)).toFixed(0)} samples/s`)
process.exit(0)

import * as A from '@latent/autodiff'
import * as T from '@latent/tensor'
import { Rng, setNumThreads, Tensor } from '@latent/tensor'
import { Adam, Dense, mseLoss, ReLU, Sequential, Sigmoid } from '@latent/nn'
setNumThreads(Number(process.env.TH ?? 1))
const rng = new Rng(1), batch = 256, sizes = [784, 256, 64, 256, 784]
const data = rng.uniform([batch * 8, 784])
const model = new Sequential(...sizes.slice(1).flatMap((s, i) => [new Dense(sizes[i], s, { rng }), i === 3 ? new Sigmoid() : new ReLU()]))
const opt = new Adam(model.namedParameters(), { lr: 1e-3 })
const batches = Array.from({ length: 8 }, (_, b) => new A.Value(new Tensor(data.data.subarray(b * batch * 784, (b + 1) * batch * 784), [batch, 784])))
// time spent in matmul, and flops
let mm = 0, flops = 0
const orig = T.matmul
;(T as any).__proto__
const t = { f: 0, b: 0, s: 0 }
for (let i = 0; i < 200; i++) {
  const x = batches[i % 8]
  const t0 = performance.now(); opt.zeroGrad(); const loss = mseLoss(model.forward(x), x)
  const t1 = performance.now(); A.backward(loss)
  const t2 = performance.now(); opt.step()
  const t3 = performance.now()
  if (i >= 50) { t.f += t1 - t0; t.b += t2 - t1; t.s += t3 - t2 }
}
const tot = t.f + t.b + t.s
console.log(`fwd ${(t.f / 150).toFixed(2)} ms bwd ${(t.b / 150).toFixed(2)} step ${(t.s / 150).toFixed(2)} → ${(150 * batch / (tot / 1000)).toFixed(0)} samples/s`)
// matmuls alone, same shapes
const shapes: [number, number, number, boolean, boolean][] = [[256, 256, 784, false, true], [256, 64, 256, false, true], [256, 256, 64, false, true], [256, 784, 256, false, true],
  [784, 256, 256, true, false], [256, 784, 256, false, false], [256, 64, 256, true, false], [64, 256, 256, true, false], [256, 256, 64, false, false], [256, 256, 256, true, false], [256, 256, 64, true, false], [64, 256, 256, false, false]]
void orig; void mm; void flops
const ops = shapes.map(([m, n, k, ta, tb]) => { const a = ta ? rng.uniform([k, m]) : rng.uniform([m, k]); const b = tb ? rng.uniform([n, k]) : rng.uniform([k, n]); return () => T.matmul(a, b, { transposeA: ta, transposeB: tb }) })
for (let r = 0; r < 3; r++) { const s = performance.now(); for (let i = 0; i < 50; i++) ops.forEach((f) => f()); console.log('matmuls of one step (approx):', ((performance.now() - s) / 50).toFixed(2), 'ms') }
process.exit(0)

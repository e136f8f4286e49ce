// The browser smoke test's scenario, run the same way in headless Chromium (the page imports the
// built packages through an import map) and in Node (scripts/browser-smoke.mjs), which compares
// the two. Plain ESM with bare '@latent/...' imports, so that it is what a project would write.
import * as T from '@latent/tensor'
import { Adam } from '@latent/nn'
import { buildAutoencoder, fit } from '@latent/autoencoders'

const waitFor = async (ok) => {
  for (let t = 0; t < 250 && !ok(); t++) await new Promise((r) => setTimeout(r, 20))
  return ok()
}

/**
 * A product on each path, a threaded product (where the platform has threads: Node, or a
 * cross-origin-isolated page), and a short training run; returns what it saw.
 */
export async function scenario() {
  const defaultThreads = T.getDefaultThreads()
  const rng = new T.Rng(7)
  const a = rng.uniform([67, 131])
  const b = rng.uniform([45, 131])
  T.setBackend('js')
  const js = T.matmul(a, b, { transposeB: true })
  T.setBackend('auto')
  T.setNumThreads(1)
  const one = T.matmul(a, b, { transposeB: true })
  const worst = one.data.reduce((w, v, i) => Math.max(w, Math.abs(v - js.data[i])), 0)

  // Two threads: the worker must come up, and results must equal one thread's bit for bit.
  // Without shared memory, asking for them must fail with a clear error.
  let threadsAgree = null
  let elementwiseAgree = null
  let workerReady = false
  let refusal = null
  try {
    T.setNumThreads(2)
    workerReady = await waitFor(() => T.getBackendInfo().readyWorkers === 1)
    const big = [rng.uniform([200, 300]), rng.uniform([300, 180])]
    const two = T.matmul(...big)
    // Elementwise kernels on arena tensors this long are split between the threads.
    const arena = new T.Arena(4 << 20)
    const z = arena.copy(rng.normal([256, 784]))
    const activate = () => T.withArena(arena, () => T.add(T.sigmoid(z), z))
    const splitUp = activate()
    T.setNumThreads(1)
    const single = T.matmul(...big)
    threadsAgree = two.data.every((v, i) => Object.is(v, single.data[i]))
    const whole = activate()
    elementwiseAgree = splitUp.data.every((v, i) => Object.is(v, whole.data[i]))
    T.setNumThreads(2)
  } catch (e) {
    refusal = e.message
    T.setNumThreads(1)
  }
  const info = T.getBackendInfo()

  // A few epochs of a small autoencoder on seeded data (resident training, SIMD kernels).
  const x = T.sigmoid(T.matmul(new T.Rng(1).normal([512, 4]), new T.Rng(2).normal([4, 32])))
  const model = buildAutoencoder({ sizes: [32, 16, 4], loss: 'mse', rng: new T.Rng(3) })
  const history = fit(model, x, {
    epochs: 4, batchSize: 64, optimizer: new Adam(model.namedParameters(), { lr: 0.01 }), rng: new T.Rng(4),
  })
  return {
    defaultThreads,
    refusal,
    arenasResident: new T.Arena(1024).resident,
    kernel: info.kernel,
    simd: info.simd,
    relaxedSimd: info.relaxedSimd,
    threads: info.threads,
    workerReady,
    threadError: info.threadError ?? null,
    worstVsJs: worst,
    threadsAgree,
    elementwiseAgree,
    losses: history.epochs.map((e) => e.train.total),
  }
}

/**
 * The neighbour embeddings on the t-SNE issue's input: the first --n (10,000) Fashion-MNIST test
 * images reduced to 32 dimensions by a PCA fitted on the 60,000 training images. For each method
 * it reports the time, t-SNE's final KL divergence, trustworthiness (k = 10, against the 32-d
 * input) and the 5-NN accuracy in 2-D (each point classified by its 5 nearest others).
 *
 * With --peer, in the same run and on the same input: scikit-learn's TSNE (Barnes-Hut, perplexity
 * 30, 1000 iterations, PCA init, learning rate 'auto', one thread; bench/sklearn/tsne.py) and
 * umap-js 1.4 (15 neighbours, min_dist 0.1, its defaults; in this process, seeded). Every round runs
 * every method once, interleaved; the ratios are per round, and their median is printed.
 *
 *   pnpm bench embed [--n 10000] [--methods tsne,umap] [--peer] [--rounds 1] [--python PATH] [--data-dir DIR]
 *
 * Needs Fashion-MNIST (Debian: apt-get install dataset-fashion-mnist) and, for the t-SNE peer,
 * scikit-learn (Debian: python3-sklearn); says so and skips what is missing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Rng, Tensor } from '@latent/tensor'
import { knnAccuracy, PCA, trustworthiness, tsne, umap } from '@latent/autoencoders'
import { DEBIAN_FASHION_MNIST, loadMnistLike } from '@latent/autoencoders/node'
import { UMAP } from 'umap-js'
import { args, machine, median, printTable, writeJsonLines } from './harness.js'

const opts = args()
const dataDir = opts.get('data-dir') ?? DEBIAN_FASHION_MNIST
if (!existsSync(dataDir)) {
  console.log(`Fashion-MNIST not found in ${dataDir} `
    + '(apt-get install dataset-fashion-mnist, or --data-dir DIR): skipped')
  process.exit(0)
}
const n = Number(opts.get('n') ?? 10000)
const rounds = Number(opts.get('rounds') ?? 1)
const methods = (opts.get('methods') ?? 'tsne,umap').split(',')

const python = ((): string | undefined => {
  if (!opts.has('peer') || !methods.includes('tsne')) return undefined
  const candidate = opts.get('python') ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')
  const probe = spawnSync(candidate, ['-c', 'import sklearn.manifold'], { encoding: 'utf8' })
  if (!probe.error && probe.status === 0) return candidate
  console.log(`scikit-learn not found for ${candidate} (Debian: apt-get install python3-sklearn): `
    + "scikit-learn's TSNE is skipped")
  return undefined
})()

process.stdout.write('PCA to 32 dimensions, fitted on the training images...')
const { train, test } = loadMnistLike(dataDir)
const pca = new PCA(32).fit(train.x)
const labels = test.labels.subarray(0, n)
const input = pca.transform(new Tensor(test.x.data.subarray(0, n * 784), [n, 784]))
console.log(` ${n} points`)

interface Result { method: string; seconds: number; kl?: number; trust: number; knn5: number }

/** The measures of an embedding of `input`. */
function judge(method: string, seconds: number, embedding: Tensor, kl?: number): Result {
  const trust = trustworthiness(input, embedding, 10)
  const knn5 = knnAccuracy(embedding, labels, embedding, labels, { k: 5, exclude: 'self' })
  const r = { method, seconds, ...(kl === undefined ? {} : { kl }), trust, knn5 }
  console.log(`  ${method}: ${seconds.toFixed(1)} s${kl === undefined ? '' : `, KL ${kl.toFixed(3)}`}, `
    + `trustworthiness ${trust.toFixed(4)}, 5-NN ${knn5.toFixed(3)}`)
  return r
}

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const start = performance.now()
  const value = fn()
  return { value, seconds: (performance.now() - start) / 1000 }
}

const runners: Record<string, () => Result> = {
  'latent t-SNE': () => {
    const { value, seconds } = timed(() => tsne(input, { seed: 0 }))
    return judge('latent t-SNE', seconds, value.embedding, value.kl)
  },
  'scikit-learn TSNE': () => {
    const dir = mkdtempSync(join(tmpdir(), 'latent-embed-'))
    try {
      writeFileSync(join(dir, 'x.f32'), new Uint8Array(Float32Array.from(input.data).buffer))
      const script = fileURLToPath(new URL('../sklearn/tsne.py', import.meta.url))
      const child = spawnSync(python!, [script, join(dir, 'x.f32'), String(n), '32', join(dir, 'y.f64')],
        { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } })
      if (child.error || child.status !== 0) {
        throw new Error(`scikit-learn failed:\n${child.error?.message ?? child.stderr}`)
      }
      const { seconds, kl } = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { seconds: number; kl: number }
      const y = new Float64Array(readFileSync(join(dir, 'y.f64')).buffer.slice(0))
      return judge('scikit-learn TSNE', seconds, new Tensor(Float32Array.from(y), [n, 2]), kl)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
  'latent UMAP': () => {
    const { value, seconds } = timed(() => umap(input, { seed: 0 }))
    return judge(`latent UMAP (${value.init} start)`, seconds, value.embedding)
  },
  'umap-js': () => {
    const rows = Array.from({ length: n }, (_, i) => Array.from(input.data.subarray(32 * i, 32 * i + 32)))
    const rng = new Rng(0)
    const { value, seconds } = timed(() =>
      new UMAP({ nComponents: 2, nNeighbors: 15, minDist: 0.1, random: () => rng.float() }).fit(rows))
    return judge('umap-js', seconds, new Tensor(Float32Array.from(value.flat()), [n, 2]))
  },
}
const order = [
  ...(methods.includes('tsne') ? ['latent t-SNE', ...(python ? ['scikit-learn TSNE'] : [])] : []),
  ...(methods.includes('umap') ? ['latent UMAP', ...(opts.has('peer') ? ['umap-js'] : [])] : []),
]

const rows: string[][] = []
const records: object[] = []
const ratios = { 'latent t-SNE': [] as number[], 'latent UMAP': [] as number[] }
const peerOf = { 'latent t-SNE': 'scikit-learn TSNE', 'latent UMAP': 'umap-js' } as const
for (let round = 1; round <= rounds; round++) {
  console.log(`round ${round}`)
  const results = new Map<string, Result>()
  for (const name of order) {
    const r = runners[name]()
    results.set(name, r)
    records.push({ bench: 'embed', round, n, ...r, ...machine() })
  }
  for (const [ours, peer] of Object.entries(peerOf) as [keyof typeof peerOf, string][]) {
    const a = results.get(ours)
    const b = results.get(peer)
    if (a && b) ratios[ours].push(a.seconds / b.seconds)
  }
  for (const [name, r] of results) {
    const peer = peerOf[name as keyof typeof peerOf]
    const p = peer && results.get(peer)
    rows.push([String(round), r.method, r.seconds.toFixed(1), r.kl?.toFixed(3) ?? '-', r.trust.toFixed(4),
      r.knn5.toFixed(3), p ? (r.seconds / p.seconds).toFixed(2) : '',
      p && r.kl && p.kl ? (r.kl / p.kl).toFixed(3) : ''])
  }
}
const inputKnn = knnAccuracy(input, labels, input, labels, { k: 5, exclude: 'self' })
console.log(`\n${n} Fashion-MNIST test images, PCA to 32-d (fitted on the training set); 5-NN in the 32-d input `
  + `${inputKnn.toFixed(3)}`)
printTable(['round', 'method', 'seconds', 'KL', 'trustworthiness (k=10)', '5-NN in 2-D', 'time / peer',
  'KL / peer'], rows)
for (const [name, v] of Object.entries(ratios)) {
  if (v.length > 0) {
    console.log(`${name} / ${peerOf[name as keyof typeof peerOf]} time: median ${median(v).toFixed(2)} `
      + `(${v.map((x) => x.toFixed(2)).join(', ')})`)
  }
}
writeJsonLines(opts.get('out') ?? 'results/embed.jsonl', records)

/**
 * `latent embed`: the codes of a data split laid out in 2-D by t-SNE, UMAP or PCA, as a scatter
 * coloured by class (SVG) and the coordinates (CSV beside it).
 */
import * as T from '@latent/tensor'
import { latent2d } from '../../applications.js'
import { tsne } from '../../embed/tsne.js'
import { umap } from '../../embed/umap.js'
import { knnAccuracy } from '../../embeddings.js'
import { trustworthiness } from '../../metrics.js'
import { scatter } from '../../plots/svg.js'
import { cap, writeAll } from '../experiment/index.js'
import {
  CHECKPOINT_DATA_OPTIONS, CHECKPOINT_OPTION, CliError, type Command, int, oneOf, OUTPUT_OPTIONS, progressMode,
  required,
} from '../parser.js'
import { textTable } from '../report.js'
import { openRun } from './shared.js'

const METHODS = ['tsne', 'umap', 'pca'] as const
/** Trustworthiness is measured on at most this many points (about 2 s; it grows with n²). */
const TRUST_ROWS = 5000

/** The file names of the picture and its CSV: `out.svg` and `out.csv`, whatever `--output` ends with. */
function outputs(path: string): { dir: string; svg: string; csv: string } {
  const slash = path.lastIndexOf('/')
  const [dir, file] = slash < 0 ? ['.', path] : [path.slice(0, slash) || '/', path.slice(slash + 1)]
  const stem = file.replace(/\.(svg|csv)$/, '')
  if (stem === '') throw new CliError(`--output needs a file name, got '${path}'`)
  return { dir, svg: `${stem}.svg`, csv: `${stem}.csv` }
}

/**
 * `latent embed`: the codes of up to --n images in 2-D, by t-SNE (default), UMAP or PCA.
 * @example await main(['embed', '--checkpoint', 'runs/dae', '--method', 'tsne', '--output', 'runs/tsne.svg'], io)
 */
export const embedCommand: Command = {
  summary: 'lay the codes out in 2-D by t-SNE, UMAP or PCA: a scatter coloured by class (SVG) and a CSV',
  example: 'latent embed --checkpoint runs/dae --method tsne --n 5000 --output runs/tsne.svg',
  options: {
    ...CHECKPOINT_OPTION,
    ...CHECKPOINT_DATA_OPTIONS,
    method: { type: 'string', default: 'tsne', help: METHODS.join(', ') },
    n: { type: 'string', default: '5000', help: 'embed the first N images of the split' },
    split: { type: 'string', default: 'test', help: 'train or test' },
    perplexity: { type: 'string', default: '30', help: 't-SNE: perplexity (about the neighbours each point weighs)' },
    neighbors: { type: 'string', default: '15', help: 'UMAP: neighbours of each point' },
    seed: { type: 'string', default: '0', help: "seed of UMAP's start and sampling (t-SNE starts from PCA)" },
    output: { type: 'string', help: 'SVG file to write (and a CSV of the coordinates beside it)', short: 'o' },
    quiet: OUTPUT_OPTIONS.quiet,
    json: OUTPUT_OPTIONS.json,
  },
  run(v, io, given) {
    const mode = progressMode(v, io.stdout)
    const files = outputs(required(v, 'output'))
    const method = oneOf(v, 'method', METHODS, 'tsne')
    const n = int(v, 'n', 5000)!
    if (n < 3) throw new CliError(`--n must be at least 3, got ${n}`)
    const seed = int(v, 'seed', 0)!
    const { model, splits } = openRun(v, given)
    const d = cap(splits[oneOf(v, 'split', ['train', 'test'] as const, 'test')], n)
    const codes = model.encode(d.x)
    const started = performance.now()
    const say = (line: string): void => {
      if (mode === 'lines' || mode === 'bar') io.stderr.write(`${line}\n`)
    }
    let points: T.Tensor
    let kl: number | undefined
    if (method === 'tsne') {
      const perplexity = Number(v.perplexity)
      if (!(perplexity > 0)) throw new CliError(`--perplexity must be a number > 0, got ${String(v.perplexity)}`)
      const r = tsne(codes, { perplexity, seed, onProgress: (it, value) => {
        if (it % 50 === 0) say(`t-SNE iteration ${it}: KL ${value.toFixed(4)}`)
      } })
      ;({ embedding: points, kl } = r)
    } else if (method === 'umap') {
      const nNeighbors = int(v, 'neighbors', 15)!
      points = umap(codes, { nNeighbors, seed, onProgress: (epoch) => {
        if (epoch % 50 === 0) say(`UMAP epoch ${epoch}`)
      } }).embedding
    } else {
      points = latent2d(model, d.x)
    }
    const seconds = (performance.now() - started) / 1000
    const name = { tsne: 't-SNE', umap: 'UMAP', pca: 'PCA' }[method]
    const svg = scatter(points, d.labels, {
      title: `${name} of the codes of ${d.labels.length} ${d.name} images`, classes: d.classes,
    })
    const rows = Array.from({ length: d.labels.length },
      (_, i) => `${points.data[2 * i].toPrecision(6)},${points.data[2 * i + 1].toPrecision(6)},${d.labels[i]}`)
    writeAll(files.dir, { [files.svg]: svg, [files.csv]: ['x,y,label', ...rows].join('\n') + '\n' })
    // Trustworthiness costs O(n²): it is measured on the first TRUST_ROWS points (their own
    // neighbourhoods). It needs k < n / 2 (its normalisation): 10 from 21 points on.
    const m = Math.min(d.labels.length, TRUST_ROWS)
    const k = Math.max(1, Math.min(10, Math.ceil(m / 2) - 1))
    const first = (t: T.Tensor): T.Tensor => T.slice(t, 0, 0, m)
    const stats: Record<string, number> = {
      points: d.labels.length, seconds, ...(kl === undefined ? {} : { kl }),
      trustworthiness: trustworthiness(first(codes), first(points), k), trustworthinessPoints: m,
      knn5: knnAccuracy(points, d.labels, points, d.labels, { k: Math.min(5, d.labels.length - 1), exclude: 'self' }),
    }
    if (mode === 'json') io.stdout.write(JSON.stringify({ method, ...stats }) + '\n')
    else if (mode !== 'quiet') {
      const table = Object.entries(stats).map(([key, x]) => [key, Number.isInteger(x) ? String(x) : x.toPrecision(4)])
      io.stdout.write(textTable([['measure', 'value'], ...table]))
      io.stdout.write(`${files.dir}/${files.svg} and ${files.csv}: ${name} of ${d.labels.length} codes\n`)
    }
    return 0
  },
}

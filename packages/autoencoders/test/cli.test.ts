import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeSafetensors, encodeSafetensors } from '@latent/nn'
import * as T from '@latent/tensor'
import { getDefaultThreads, setNumThreads } from '@latent/tensor'
import { loadSplits } from '../src/cli/experiment/index.js'
import { main, type Io } from '../src/cli/main.js'
import { loadModel } from '../src/node/index.js'
import { Progress } from '../src/cli/progress.js'
import * as plots from '../src/plots/svg.js'
import { parseXml } from './xml.js'

const root = mkdtempSync(join(tmpdir(), 'latent-cli-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Runs the CLI in-process, capturing its output. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: Io = {
    stdout: { write: (s) => void (out += s) }, stderr: { write: (s) => void (err += s) }, signal: { aborted: false },
  }
  const code = await main(argv, io)
  return { code, out, err }
}

const TINY = ['--data', 'digits', '--limit', '200', '--sizes', '64,16,4', '--batch-size', '25', '--quiet']

/** The tensors of a checkpoint, by name, as byte strings (metadata aside). */
function tensors(path: string): Record<string, string> {
  const { tensors: t } = decodeSafetensors(readFileSync(path))
  return Object.fromEntries([...t].map(([k, v]) =>
    [k, Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength).toString('base64')]))
}

function expectOneLineError(r: { code: number; out: string; err: string }, pattern: RegExp): void {
  expect(r.code).not.toBe(0)
  expect(r.err.trim().split('\n')).toHaveLength(1)
  expect(r.err).toMatch(pattern)
  expect(r.err).not.toMatch(/\n\s+at /) // no stack trace
}

describe('latent train, eval, encode, reconstruct, anomalies, compare-pca', () => {
  const run = join(root, 'dae')

  it('trains with a checkpoint, summary, pictures and report', async () => {
    const r = await cli('train', '--variant', 'denoising', '--epochs', '3', '--holdout', '9', '--out', run, ...TINY)
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const files = readdirSync(run).sort()
    expect(files).toEqual([
      'checkpoint.safetensors', 'index.html', 'latent.svg', 'loss.svg', 'reconstructions.svg', 'summary.json',
    ])
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'))
    expect(summary.history).toHaveLength(3)
    expect(Object.keys(summary.history[0].validation)).toEqual(['total', 'reconstruction'])
    expect(summary.auroc).toBeGreaterThan(0)
    for (const f of files.filter((f) => f.endsWith('.svg'))) {
      expect(parseXml(readFileSync(join(run, f), 'utf8'))[0]).toBe('svg')
    }
    const html = readFileSync(join(run, 'index.html'), 'utf8')
    for (const f of files.filter((f) => f.endsWith('.svg'))) expect(html).toContain(`src="${f}"`)
  })

  it('eval reports test MSE, kNN accuracy and AUROC as JSON', async () => {
    const r = await cli('eval', '--checkpoint', run, '--json')
    expect(r.code).toBe(0)
    const m = JSON.parse(r.out)
    expect(m.epoch).toBe(3)
    expect(m.testMse).toBeGreaterThan(0)
    expect(m.testMse).toBeLessThan(0.2)
    expect(m.knn).toBeGreaterThan(0.3)
    expect(m.auroc).toBeGreaterThan(0)
  })

  it('encode writes one row of codes and a label per test image', async () => {
    const file = join(root, 'codes.csv')
    expect((await cli('encode', '-c', run, '--output', file, '--quiet')).code).toBe(0)
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('z0,z1,z2,z3,label')
    expect(lines).toHaveLength(1 + 359) // the 20% test split of 1797 digits
    expect(lines.slice(1).every((l) =>
      l.split(',').length === 5 && l.split(',').every((c) => Number.isFinite(Number(c))))).toBe(true)
  })

  it('reconstruct, anomalies and compare-pca write parseable pictures', async () => {
    const svg = join(root, 'recon.svg')
    expect((await cli('reconstruct', '-c', run, '--n', '5', '--output', svg, '--quiet')).code).toBe(0)
    expect(parseXml(readFileSync(svg, 'utf8')).filter((n) => n === 'g'))
      .toHaveLength(10) // 5 originals + 5 reconstructions
    const dir = join(root, 'anomalies')
    const a = await cli('anomalies', '-c', run, '--contamination', '0.05', '--output', dir, '--json')
    expect(a.code).toBe(0)
    expect(a.err).toBe('') // trained with --holdout 9, the class scored
    const stats = JSON.parse(a.out)
    expect(stats.tested).toBe(359)
    expect(stats.auroc).toBeGreaterThan(0)
    expect(readdirSync(dir).sort()).toEqual(['anomaly-scores.svg', 'roc.svg', 'scores.csv'])
    expect(parseXml(readFileSync(join(dir, 'anomaly-scores.svg'), 'utf8'))).toContain('line')
    expect(readFileSync(join(dir, 'anomaly-scores.svg'), 'utf8')).toContain('class="threshold"')
    const bars = join(root, 'pca.svg')
    const c = await cli('compare-pca', '-c', run, '--output', bars, '--json')
    expect(c.code).toBe(0)
    expect(JSON.parse(c.out).components).toBe(4)
    expect(parseXml(readFileSync(bars, 'utf8')).filter((n) => n === 'rect').length)
      .toBeGreaterThanOrEqual(5) // background, frame, 4 bars
  })

  it('anomalies warns when the class scored as anomalous was in the training data', async () => {
    const r = await cli('anomalies', '-c', run, '--holdout', '3', '--output', join(root, 'seen'), '--json')
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/^latent anomalies: warning: .* with class 3 in it, .*train with --holdout 3/)
  })

  it('eval on data of another width says so as train does; --output naming a folder is refused by name',
    async () => {
      const csv = join(root, 'three.csv')
      writeFileSync(csv, 'a,b,c\n' + Array.from({ length: 20 }, (_, i) => `${i},${i % 3},1`).join('\n') + '\n')
      const r = await cli('eval', '-c', run, '--data', csv)
      expectOneLineError(r, /three.csv has 3 features but the model's input size is 64 \(.*dae was trained on digits\)/)
      expect(r.code).toBe(2)
      expectOneLineError(await cli('encode', '-c', run, '--output', root), /is a folder: name a file to write/)
      const file = join(root, 'codes.csv')
      for (const argv of [['anomalies', '-c', run, '--output', file], ['train', ...TINY, '--out', file]]) {
        const r = await cli(...argv)
        expectOneLineError(r, /codes.csv is a file: name a folder for the output/)
        expect(r.code).toBe(2)
      }
    })

  it('a checkpoint whose weights hold NaN is refused, naming the weight; loadModel gives the model the CLI uses',
    async () => {
      const file = join(run, 'checkpoint.safetensors')
      const { model, spec, epoch } = loadModel(run)
      expect(spec.sizes).toEqual([64, 16, 4])
      expect(epoch).toBe(3)
      const codes = readFileSync(join(root, 'codes.csv'), 'utf8').split('\n')[1].split(',').slice(0, 4).map(Number)
      const test = loadSplits({ data: 'digits', limit: 200, holdout: 9 }).test.x // encode's default split
      const mine = model.encode(T.slice(test, 0, 0, 1)).data
      codes.forEach((c, j) => expect(Math.abs(mine[j] - c)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(c))))
      const content = decodeSafetensors(readFileSync(file))
      const [name, weight] = [...content.tensors].find(([k]) => !k.startsWith('optimizer'))!
      weight.data[7] = NaN
      const bad = join(root, 'nan-weights')
      mkdirSync(bad)
      writeFileSync(join(bad, 'checkpoint.safetensors'), encodeSafetensors(content))
      const r = await cli('eval', '-c', bad)
      expectOneLineError(r, new RegExp(`weight '${name}' holds NaN at index 7 \\(the file is damaged, or was saved ` +
        'from a run that diverged\\)'))
      expect(r.code).toBe(1)
      expect(() => loadModel(bad)).toThrow(/holds NaN/)
    })

  it('reconstruct and sample take --n up to one picture row', async () => {
    const r = await cli('reconstruct', '-c', run, '--n', '100000', '--output', join(root, 'big.svg'))
    expectOneLineError(r, /--n must be from 1 to 256 \(the images of one picture row\), got 100000/)
    expect(r.code).toBe(2)
    expect(existsSync(join(root, 'big.svg'))).toBe(false)
  })

  it('embed lays the codes out by t-SNE, UMAP or PCA: a scatter by class and a CSV, with the measures', async () => {
    for (const method of ['tsne', 'umap', 'pca']) {
      const out = join(root, `embed-${method}.svg`)
      const r = await cli('embed', '-c', run, '--method', method, '--n', '150', '--output', out, '--json')
      expect(r.code).toBe(0)
      const stats = JSON.parse(r.out)
      expect(stats.points).toBe(150)
      expect(stats.trustworthiness).toBeGreaterThan(0.8)
      if (method === 'tsne') expect(stats.kl).toBeGreaterThan(0)
      expect(parseXml(readFileSync(out, 'utf8')).filter((n) => n === 'circle').length).toBeGreaterThanOrEqual(150)
      const csv = readFileSync(join(root, `embed-${method}.csv`), 'utf8').trim().split('\n')
      expect(csv[0]).toBe('x,y,label')
      expect(csv).toHaveLength(151)
    }
    const again = await cli('embed', '-c', run, '--n', '150', '--output', join(root, 'again.svg'), '--quiet')
    expect(again.code).toBe(0)
    expect(readFileSync(join(root, 'again.csv'), 'utf8')).toBe(readFileSync(join(root, 'embed-tsne.csv'), 'utf8'))
    expectOneLineError(await cli('embed', '-c', run, '--method', 'mds', '--output', join(root, 'x.svg')),
      /--method: unknown value 'mds' \(expected tsne, umap, pca\)/)
    const few = await cli('embed', '-c', run, '--method', 'umap', '--n', '21', '--output', join(root, 'few.svg'),
      '--json')
    expect(few.code).toBe(0)
    expect(JSON.parse(few.out).points).toBe(21)
    expectOneLineError(await cli('embed', '-c', run, '--n', '2', '--output', join(root, 'x.svg')),
      /--n must be at least 3, got 2/)
    expectOneLineError(await cli('embed', '-c', run, '--n', '20', '--output', join(root, 'x.svg')),
      /the perplexity \(30\) must be less than the number of rows \(20\)/)
    expect(existsSync(join(root, 'x.svg'))).toBe(false)
  })

  it('sample draws from a VAE, and refuses other models', async () => {
    const vae = join(root, 'vae')
    expect((await cli('train', '--variant', 'variational', '--epochs', '2', '--out', vae, ...TINY)).code).toBe(0)
    expect(readdirSync(vae)).toContain('samples.svg')
    const svg = join(root, 'samples.svg')
    expect((await cli('sample', '-c', vae, '--n', '6', '--seed', '3', '--output', svg, '--quiet')).code).toBe(0)
    expect(parseXml(readFileSync(svg, 'utf8')).filter((n) => n === 'g'))
      .toHaveLength(16) // 6 samples + 10 interpolation steps
    expectOneLineError(await cli('sample', '-c', run, '--output', join(root, 'no.svg')),
      /needs a variational autoencoder/)
    expect(existsSync(join(root, 'no.svg'))).toBe(false)
  })
})

describe('no lost work', () => {
  it('--resume continues to the same result as an uninterrupted run', async () => {
    const straight = join(root, 'straight')
    const split = join(root, 'split')
    const args = ['--variant', 'denoising', '--seed', '7', ...TINY]
    expect((await cli('train', '--epochs', '4', '--out', straight, ...args)).code).toBe(0)
    expect((await cli('train', '--epochs', '2', '--out', split, ...args)).code).toBe(0)
    expect(tensors(join(split, 'checkpoint.safetensors')))
      .not.toEqual(tensors(join(straight, 'checkpoint.safetensors')))
    expect((await cli('train', '--out', split, '--resume', '--epochs', '4', '--quiet')).code).toBe(0)
    expect(tensors(join(split, 'checkpoint.safetensors'))).toEqual(tensors(join(straight, 'checkpoint.safetensors')))
    // --epochs is the new total: fewer than the checkpoint holds is refused, and changes nothing.
    const before = readFileSync(join(split, 'checkpoint.safetensors'))
    expectOneLineError(await cli('train', '--out', split, '--resume', '--epochs', '3'),
      /--epochs 3: .*checkpoint.safetensors already holds epoch 4 \(with --resume, --epochs is the new total\)/)
    expect(readFileSync(join(split, 'checkpoint.safetensors'))).toEqual(before)
    const h = (dir: string): number[] => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
      .history.map((e: { train: { total: number } }) => e.train.total)
    expect(h(split)).toEqual(h(straight))
  })

  it('--arch conv trains a convolutional autoencoder on the data\'s images, ' +
    'and its checkpoint serves the other commands', async () => {
    const out = join(root, 'conv')
    const r = await cli('train', '--arch', 'conv', '--channels', '4,8', '--sizes', '6', '--epochs', '2',
      '--out', out, '--quiet')
    expect(r.code).toBe(0)
    const meta = JSON.parse(decodeSafetensors(readFileSync(join(out, 'checkpoint.safetensors'))).metadata.latent!)
    expect(meta.config.spec.conv).toEqual({ image: [1, 8, 8], channels: [4, 8], kernel: 3, stride: 2 })
    expect(meta.config.spec.sizes).toEqual([64, 6])
    const codes = join(root, 'conv-codes.csv')
    expect((await cli('encode', '-c', out, '--output', codes, '--quiet')).code).toBe(0)
    expect(readFileSync(codes, 'utf8').split('\n')[0]).toBe('z0,z1,z2,z3,z4,z5,label')
    expectOneLineError(await cli('train', '--arch', 'conv', '--tied', '--out', join(root, 'conv-tied')),
      /--tied is not available with --arch conv/)
  })

  it('--resume applies a new --lr and --epochs, and refuses, by name, ' +
    'every option that would make another run', async () => {
    const out = join(root, 'resume-options')
    expect((await cli('train', '--epochs', '1', '--out', out, '--seed', '3', ...TINY)).code).toBe(0)
    const before = readFileSync(join(out, 'checkpoint.safetensors'))
    for (const extra of [
      ['--variant', 'sparse'], ['--sizes', '64,16,4'], ['--data', 'digits'], ['--batch-size', '32'], ['--seed', '4'],
    ]) {
      const r = await cli('train', '--out', out, '--resume', '--epochs', '2', ...extra)
      expectOneLineError(r, new RegExp(`--resume continues the run in .* as it was configured: ${extra[0]} ` +
        'cannot change \\(only --epochs and --lr can\\)'))
      expect(r.code).toBe(2)
    }
    expect(readFileSync(join(out, 'checkpoint.safetensors'))).toEqual(before)
    const r = await cli('train', '--out', out, '--resume', '--epochs', '2', '--lr', '0.0005')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/resuming from epoch 1 of 2, learning rate 0.0005 \(was 0.001\)/)
    const meta = JSON.parse(decodeSafetensors(readFileSync(join(out, 'checkpoint.safetensors'))).metadata.latent!)
    expect(meta.config.lr).toBe(0.0005)
    expect(meta.epoch).toBe(2)
  })

  it('Ctrl-C stops after the current batch with the checkpoint intact; resuming finishes the run', async () => {
    const out = join(root, 'sigint')
    const bin = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url))
    const args = [
      'train', '--variant', 'vanilla', '--epochs', '150', '--seed', '3', '--out', out,
      '--data', 'digits', '--limit', '200', '--sizes', '64,16,4', '--batch-size', '25',
    ]
    const child = spawn(process.execPath, ['--conditions=@latent/source', '--import', 'tsx', bin, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const code = await new Promise<number | null>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(join(out, 'checkpoint.safetensors'))) {
          clearInterval(poll)
          child.kill('SIGINT')
        }
      }, 10)
      child.on('exit', (c) => {
        clearInterval(poll)
        resolve(c)
      })
    })
    expect(code).toBe(130)
    expect(stderr)
      .toMatch(/interrupted: the checkpoint in .* holds epoch \d+; continue with: latent train --out .* --resume/)
    const epoch = Number(/holds epoch (\d+)/.exec(stderr)![1])
    expect(epoch).toBeGreaterThanOrEqual(1)
    expect(epoch).toBeLessThan(150)
    expect(JSON.parse(decodeSafetensors(readFileSync(join(out, 'checkpoint.safetensors'))).metadata.latent).epoch)
      .toBe(epoch)
    expect(existsSync(join(out, 'summary.json'))).toBe(false) // nothing but the checkpoint yet
    // Resume to the end and compare with a run that was never interrupted.
    expect((await cli('train', '--out', out, '--resume', '--quiet')).code).toBe(0)
    const straight = join(root, 'sigint-straight')
    expect((await cli(...args.map((a) => (a === out ? straight : a)), '--quiet')).code).toBe(0)
    expect(tensors(join(out, 'checkpoint.safetensors'))).toEqual(tensors(join(straight, 'checkpoint.safetensors')))
  }, 60_000)

  it('never overwrites a good checkpoint: a second train into the same folder fails, ' +
    'and so does a corrupted resume', async () => {
    const out = join(root, 'guard')
    expect((await cli('train', '--epochs', '1', '--out', out, ...TINY)).code).toBe(0)
    const file = join(out, 'checkpoint.safetensors')
    const before = readFileSync(file)
    expectOneLineError(await cli('train', '--epochs', '1', '--out', out, ...TINY),
      /exists: pass --resume to continue it/)
    expect(readFileSync(file).equals(before)).toBe(true)
    const bad = join(root, 'bad')
    await cli('train', '--epochs', '1', '--out', bad, ...TINY)
    writeFileSync(join(bad, 'checkpoint.safetensors'), before.subarray(0, before.length - 10))
    expectOneLineError(await cli('train', '--out', bad, '--resume'), /truncated|corrupt|expected/i)
  })
})

describe('bad input: one clear line, exit code, no partial output', () => {
  it.each([
    [['frobnicate'], /^latent: unknown command 'frobnicate'/],
    [['train', '--bogus'], /unknown option '--bogus'/],
    [['train', '--sizes', '64,x'], /--sizes: expected at least two positive integers/],
    [['train', '--variant', 'magic'],
      /--variant must be vanilla, denoising, sparse, contractive, variational, got magic/],
    [['train', '--epochs', 'two'], /--epochs: 'two' is not a number/],
    [['train', '--epochs', '-1'], /--epochs needs a value; for a value that starts with '-', write --epochs=VALUE\n/],
    [['train', '--epochs=-1'], /--epochs must be an integer >= 1, got -1/],
    [['train', '--batch-size', '0'], /--batch-size must be an integer >= 1, got 0/],
    [['train', '--validation', '1'], /--validation must be in \[0, 1\), got 1/],
    [['train', '--lr', '-0.1'], /--lr needs a value/],
    [['train', '--lr=-0.1', '--optimizer', 'sgd'], /--lr must be >= 0, got -0.1/],
    [['train', '--noise', 'masking:2', '--variant', 'denoising'], /--noise: p must be in \[0, 1\], got 2/],
    [['train', '--lambda', 'x', '--variant', 'contractive'], /--lambda: 'x' is not a number/],
    [['train', '--noise', 'pink:1', '--variant', 'denoising'], /--noise: unknown kind 'pink'/],
    [['train', '--data', 'nowhere.csv'], /cannot read nowhere.csv: no such file/],
    [['train', '--data', 'digits', '--sizes', '10,4'],
      /UCI digits has 64 features but the model's input size is 10 \(first of --sizes; leave --sizes out/],
    [['eval', '--checkpoint', '/nonexistent/run'], /no such checkpoint/],
    [['train', '--noise', 'masking:0.2'], /--noise applies to --variant denoising only/],
    [['train', '--variant', 'sparse', '--lambda', '0.1'], /--lambda applies to --variant contractive only/],
    [['train', '--kernel', '5'], /--kernel applies to --arch conv only/],
    [['encode', '--checkpoint', '/nonexistent/run'], /--output is required/],
    [['anomalies', '--checkpoint', 'x', '--quantile', '0.9', '--contamination', '0.1'], /not both/],
    [['anomalies', '--checkpoint', 'x', '--contamination', '1'], /--contamination must be in \(0, 1\), got 1/],
    [['anomalies', '--checkpoint', 'x', '--quantile', '0'], /--quantile must be in \(0, 1\), got 0/],
  ])('%j', async (argv, pattern) => {
    const out = join(root, `bad-${argv.join('-').replace(/[^\w-]/g, '')}`)
    const r = await cli(...argv, '--out', out)
    const result = r.err.includes('unknown option \'--out\'') ? await cli(...argv) : r
    expectOneLineError(result, pattern)
    // Usage errors exit with 2; a file that cannot be read is a failure while running (1), as for cat.
    expect(result.code).toBe(/no such/.test(result.err) ? 1 : 2)
    expect(existsSync(out)).toBe(false)
  })

  it('a CSV with a bad cell names its line and column, and writes nothing', async () => {
    const csv = join(root, 'bad.csv')
    writeFileSync(csv, 'a,b,c\n1,2,3\n4,oops,6\n')
    const out = join(root, 'csv-run')
    expectOneLineError(await cli('train', '--data', csv, '--sizes', '3,2', '--out', out),
      /bad.csv: line 3, column 2 \('b'\): 'oops' is not a number/)
    expect(existsSync(out)).toBe(false)
  })

  it('without --sizes the model takes its input width from the data (then 32 and 8, or less for narrow data)',
    async () => {
      const csv = join(root, 'four.csv')
      writeFileSync(csv, 'a,b,c,d\n' + Array.from({ length: 30 }, (_, i) => `${i % 5},${i % 3},${i % 2},1`).join('\n'))
      const out = join(root, 'four-run')
      expect((await cli('train', '--data', csv, '--epochs', '1', '--out', out, '--quiet')).code).toBe(0)
      expect(loadModel(out).spec.sizes).toEqual([4, 4, 2])
      const digits = join(root, 'digits-default')
      expect((await cli('train', '--data', 'digits', '--limit', '100', '--epochs', '1', '--out', digits, '--quiet'))
        .code).toBe(0)
      expect(loadModel(digits).spec.sizes).toEqual([64, 32, 8])
    })

  it('--delimiter reads a CSV with another separator (and a tab as \\t), and the run remembers it', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i % 5, i % 3, (i * 7) % 4, i % 2])
    for (const [name, sep, flag] of [['semi.csv', ';', ';'], ['tabs.csv', '\t', '\\t']]) {
      const csv = join(root, name)
      writeFileSync(csv, ['a', 'b', 'c', 'y'].join(sep) + '\n' + rows.map((r) => r.join(sep)).join('\n') + '\n')
      const out = join(root, `${name}-run`)
      const r = await cli('train', '--data', csv, '--delimiter', flag, '--label', 'y', '--epochs', '1', '--out', out,
        '--quiet')
      expect(r.err).toBe('')
      expect(loadModel(out).spec.sizes[0]).toBe(3)
      expect(JSON.parse((await cli('eval', '-c', out, '--json')).out).testMse).toBeGreaterThan(0)
    }
    expectOneLineError(await cli('train', '--data', join(root, 'semi.csv'), '--epochs', '1', '--out', join(root, 'no')),
      /is not a number/)
  })

  it('a CSV whose label column holds names: the names are the classes, in the pictures and in messages', async () => {
    const csv = join(root, 'named.csv')
    const species = ['setosa', 'versicolor', 'virginica']
    const rows = Array.from({ length: 60 }, (_, i) => `${i % 3},${(i * 7) % 5},${(i * 3) % 4},${species[i % 3]}`)
    writeFileSync(csv, ['a,b,c,species', ...rows].join('\n') + '\n')
    const out = join(root, 'named-run')
    expect((await cli('train', '--data', csv, '--label', 'species', '--sizes', '3,2', '--epochs', '2',
      '--out', out, '--quiet')).code).toBe(0)
    const legend = readFileSync(join(out, 'latent.svg'), 'utf8')
    for (const name of species) expect(legend).toContain(`>${name}<`)
    expectOneLineError(await cli('eval', '--checkpoint', out, '--holdout', '3'),
      /--holdout must be a class number from 0 to 2 or a class name \(0 setosa, 1 versicolor, 2 virginica\), got 3/)
    const iris = await cli('eval', '--checkpoint', out, '--holdout', 'iris')
    expectOneLineError(iris, /--holdout must be .* got iris/)
    expect(iris.code).toBe(2) // a usage error, not a failure while running
    // A class by name is the same as by number.
    const byName = JSON.parse((await cli('eval', '--checkpoint', out, '--holdout', 'virginica', '--json')).out)
    const byNumber = JSON.parse((await cli('eval', '--checkpoint', out, '--holdout', '2', '--json')).out)
    expect(byName.auroc).toBeGreaterThan(0)
    expect(byName).toEqual(byNumber)
  })

  it('too few rows for a training and a test set, or a bad --limit: one line, exit 2, nothing written', async () => {
    const cases: [string, RegExp][] = [
      ['1', /1 training and \d+ test rows are too few/],
      ['0', /--limit must be a positive/],
    ]
    for (const [limit, pattern] of cases) {
      const out = join(root, `limit-${limit}`)
      const r = await cli('train', '--data', 'digits', '--limit', limit, '--sizes', '64,4', '--out', out)
      expectOneLineError(r, pattern)
      expect(r.code).toBe(2)
      expect(existsSync(out)).toBe(false)
    }
  })

  it('a run whose loss stops being finite ends with one line saying where, and exit code 1', async () => {
    const out = join(root, 'diverged')
    const r = await cli('train', ...TINY, '--optimizer', 'sgd', '--lr', '1e6', '--output-activation', 'identity',
      '--epochs', '2', '--out', out)
    expectOneLineError(r, new RegExp('training diverged: the loss was (Infinity|NaN) at epoch 1, batch \\d+ ' +
      '\\(that update was not applied\\); nothing was saved\\. Try a lower --lr'))
    expect(r.code).toBe(1)
    expect(existsSync(out)).toBe(false)
    // A loss that stays finite (a saturated sigmoid) while the weights overflow: refused at the epoch's end.
    const lr = await cli('train', '--data', 'digits', '--limit', '200', '--lr', '1e30', '--epochs', '1', '--out', out)
    expectOneLineError(lr, /training diverged: weight 'encoder.0.weight' is not finite after epoch 1; nothing was/)
    expect(existsSync(out)).toBe(false)
  })

  it('--help for every command shows its options and an example', async () => {
    const top = await cli('--help')
    expect(top.code).toBe(0)
    const commands = ['train', 'eval', 'encode', 'embed', 'reconstruct', 'anomalies', 'sample', 'compare-pca', 'info',
      'demo', 'export', 'serve']
    for (const name of commands) {
      expect(top.out).toContain(`  ${name}`)
      const r = await cli(name, '--help')
      expect(r.code).toBe(0)
      expect(r.out).toMatch(new RegExp(`^latent ${name}: `))
      expect(r.out).toMatch(/\nexample:\n {2}latent /)
    }
    const info = JSON.parse((await cli('info', '--json')).out)
    expect(info).toHaveProperty('kernel')
    expect(info).toHaveProperty('threads')
  })

  it('info waits for the workers it reports (the pool starts them in the background)', async () => {
    try {
      const info = JSON.parse((await cli('info', '--threads', '2', '--json')).out)
      expect(info.threads).toBe(2)
      expect(info.readyWorkers).toBe(1)
    } finally {
      setNumThreads(getDefaultThreads())
    }
  })

  it('--threads above the core count is capped at it, with a warning (threads waiting for a core stall the rest)',
    async () => {
      const cores = availableParallelism()
      try {
        const r = await cli('info', '--threads', String(cores + 62), '--json')
        expect(r.err).toBe(`latent: --threads ${cores + 62} is more than the ${cores} cores here; using ${cores}\n`)
        expect(JSON.parse(r.out).threads).toBe(cores)
      } finally {
        setNumThreads(getDefaultThreads())
      }
    })
})

describe('progress', () => {
  const record = {
    epoch: 1, train: { total: 0.5, reconstruction: 0.5 }, validation: { total: 0.6, reconstruction: 0.6 }, seconds: 2,
  }
  const info = (batch: number) => ({ epoch: 1, batch, batches: 10, samples: 32, parts: { total: 0.5 } })
  const capture = (mode: 'bar' | 'lines' | 'json' | 'quiet') => {
    let t = 0
    let text = ''
    const p = new Progress(mode, { write: (s) => void (text += s), columns: 200 }, { now: () => t })
    p.totalEpochs = 3
    p.startEpoch()
    for (let b = 1; b <= 10; b++) {
      t += 1000
      p.batch(info(b))
    }
    p.epoch(record)
    return text
  }

  it('a bar redrawn in place with rate, ETA and loss on a terminal', () => {
    const text = capture('bar')
    expect(text).toContain('\rEpoch 1/3 ['.toLowerCase().replace('epoch', 'epoch'))
    expect(text).toMatch(/epoch 1\/3 \[#{12}\.{12}\]  50%  32 samples\/s {2}ETA 5s {2}total 0\.5000/)
    expect(text).toMatch(/epoch 1\/3 {2}total 0\.5000 {2}reconstruction 0\.5000 {2}\| validation total 0\.6000/)
  })

  it('plain periodic lines off a terminal, JSON lines for machines, nothing when quiet', () => {
    const lines = capture('lines').trim().split('\n')
    expect(lines).toHaveLength(2) // one periodic line after 5 s, one for the epoch
    expect(lines[0]).toMatch(/^epoch 1\/3 {2}batch 5\/10 /)
    expect(capture('lines')).not.toContain('\r')
    expect(JSON.parse(capture('json'))).toEqual({ event: 'epoch', ...record })
    expect(capture('quiet')).toBe('')
  })
})

describe('SVG pictures', () => {
  it('every kind parses as XML and holds its elements', () => {
    const line = plots.lineChart([
      { name: 'train <a&b>', points: [[1, 0.5], [2, 0.25], [3, 0.125]] },
      { name: 'val', points: [[1, 0.6], [2, 0.3]], dashed: true },
    ], { title: 'Loss', xLabel: 'epoch', yLabel: 'loss', logY: true })
    expect(parseXml(line).filter((n) => n === 'polyline')).toHaveLength(2)
    expect(line).toContain('train &lt;a&amp;b&gt;')
    // A log axis within one decade still gets numbers: the ticks between its ends.
    expect(plots.logTicks(0.0311, 0.0342)).toEqual([0.032, 0.034])
    expect(plots.logTicks(0.012, 0.03)).toEqual([0.02, 0.03])
    expect(plots.logTicks(0.001, 1)).toEqual([0.001, 0.01, 0.1, 1])
    const grid = plots.imageGrid([
      { label: 'a', images: { data: [0, 1, 0.5, 0], shape: [1, 4] } },
      { label: 'b', images: { data: [1, 1, 1, 1, 0, 0, 0, 0], shape: [2, 4] } },
    ], [2, 2], { title: 'grid' })
    expect(parseXml(grid).filter((n) => n === 'g')).toHaveLength(3)
    const sc = plots.scatter({ data: [0, 0, 1, 1, 2, 0], shape: [3, 2] }, [0, 1, 1],
      { title: 'latent', classes: ['zero', 'one'] })
    expect(parseXml(sc).filter((n) => n === 'circle')).toHaveLength(3 + 2) // points + legend markers
    expect(sc).toContain('>one<')
    const hist = plots.histogram([1, 2, 2, 3, 10], { title: 'scores', threshold: 5, labels: [0, 0, 0, 0, 1] })
    expect(parseXml(hist)).toContain('line')
    expect(hist).toContain('threshold 5')
    const bars = plots.barChart(['a', 'b'], [{ name: 'AE', values: [1, 2] }, { name: 'PCA', values: [2, 3] }],
      { title: 'bars', yLabel: 'mse' })
    expect(bars.match(/class="bar"/g)).toHaveLength(4)
    expect(() => parseXml(bars)).not.toThrow()
    expect(() => parseXml('<svg><g></svg>')).toThrow(/closes the wrong element/)
    expect(() => plots.imageGrid([{ label: 'a', images: { data: [0, 1, 0], shape: [1, 3] } }], [2, 2], { title: 't' }))
      .toThrow(/has 3 features, images are 2x2/)
    expect(plots.ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
  })
})

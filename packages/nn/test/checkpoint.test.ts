import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as T from '@latent/tensor'
import { Rng, tensor } from '@latent/tensor'
import * as A from '@latent/autodiff'
import {
  Adam, decodeSafetensors, Dense, encodeSafetensors, ReLU, restoreCheckpoint, Sequential, serializeCheckpoint,
} from '../src/index.js'
import { loadCheckpoint, removeStaleTemporaries, saveCheckpoint, writeFileAtomic } from '../src/node/index.js'

const dir = mkdtempSync(join(tmpdir(), 'latent-nn-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('safetensors', () => {
  it("writes the reference implementation's layout byte for byte", () => {
    // The reference serializer's own test: one F32 tensor "attn.0" of shape [1, 2, 3] holding 0..5
    // gives a 64-byte header (no padding needed) then the 24 data bytes.
    const bytes = encodeSafetensors(new Map([['attn.0', tensor([0, 1, 2, 3, 4, 5], { shape: [1, 2, 3] })]]))
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}'
    expect(header.length).toBe(64)
    expect([...bytes.subarray(0, 8)]).toEqual([64, 0, 0, 0, 0, 0, 0, 0])
    expect(new TextDecoder().decode(bytes.subarray(8, 72))).toBe(header)
    expect([...new Float32Array(bytes.slice(72).buffer)]).toEqual([0, 1, 2, 3, 4, 5])
    // An empty file with metadata pads its header with spaces to 8 bytes.
    const empty = encodeSafetensors(new Map(), { framework: 'pt' })
    expect(new TextDecoder().decode(empty.subarray(8))).toBe('{"__metadata__":{"framework":"pt"}}     ')
  })

  it('loads the file written by the committed Python script and re-encodes it identically', () => {
    const file = readFileSync(new URL('./fixtures/reference.safetensors', import.meta.url))
    const expected = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8'))
    const { tensors, metadata } = decodeSafetensors(file)
    expect(metadata).toEqual(expected.metadata)
    for (const [name, e] of Object.entries<{ dtype: string; shape: number[]; data: number[] }>(expected.tensors)) {
      const t = tensors.get(name)!
      expect(t.dtype).toBe(e.dtype === 'torch.float64' ? 'float64' : 'float32')
      expect(t.shape).toEqual(e.shape)
      expect([...t.data]).toEqual(e.data.map((v) => (t.dtype === 'float32' ? Math.fround(v) : v)))
    }
    expect(Buffer.from(encodeSafetensors(tensors, metadata)).equals(file)).toBe(true)
  })

  it('round-trips float32 and float64 tensors, integer-like names and metadata', () => {
    const tensors = new Map([['b', new Rng(1).normal([3, 2])], ['a', new Rng(2).normal([4], 0, 1, 'float64')],
      ['12', T.zeros([0])]])
    const back = decodeSafetensors(encodeSafetensors(tensors, { note: 'héllo' }))
    expect(back.metadata).toEqual({ note: 'héllo' })
    for (const [k, t] of tensors) expect(back.tensors.get(k)!.toArray()).toEqual(t.toArray())
  })

  it('detects truncation and corruption with a clear message', () => {
    const good = encodeSafetensors(new Map([['w', T.ones([4])]]), { k: 'v' })
    expect(() => decodeSafetensors(good.subarray(0, 5)))
      .toThrow('safetensors: truncated: 5 bytes, fewer than the 8 of the header length')
    expect(() => decodeSafetensors(good.subarray(0, 20))).toThrow(/truncated: the header needs/)
    expect(() => decodeSafetensors(good.subarray(0, good.length - 3)))
      .toThrow(/truncated: tensor 'w' ends at byte 16 of the data, which has 13/)
    const extra = new Uint8Array(good.length + 4)
    extra.set(good)
    expect(() => decodeSafetensors(extra)).toThrow(/the data has 20 bytes but the tensors cover 16/)
    const badJson = good.slice()
    badJson[9] = 0xff
    expect(() => decodeSafetensors(badJson)).toThrow('safetensors: the header is not valid UTF-8 JSON')
    const huge = good.slice()
    huge[7] = 1
    expect(() => decodeSafetensors(huge)).toThrow(/larger than 100 MB/)
    const wrongDtype = encodeAndEdit(good, (h) => h.replace('F32', 'I32'))
    expect(() => decodeSafetensors(wrongDtype))
      .toThrow(`safetensors: tensor 'w' has dtype "I32"; only F32 and F64 are supported`)
    const wrongShape = encodeAndEdit(good, (h) => h.replace('[4]', '[5]'))
    expect(() => decodeSafetensors(wrongShape))
      .toThrow("safetensors: tensor 'w' of shape [5] needs 20 bytes, its offsets give 16")
  })
})

/** Edits the header text of a file, keeping its length (the edits here replace like for like). */
function encodeAndEdit(bytes: Uint8Array, edit: (header: string) => string): Uint8Array {
  const n = bytes[0]
  const header = edit(new TextDecoder().decode(bytes.subarray(8, 8 + n)))
  const out = bytes.slice()
  out.set(new TextEncoder().encode(header), 8)
  return out
}

describe('checkpoints', () => {
  const model = (seed: number): Sequential =>
    new Sequential(new Dense(5, 4, { rng: new Rng(seed) }), new ReLU(), new Dense(4, 3, { rng: new Rng(seed + 1) }))
  const trainSteps = (m: Sequential, opt: Adam, n: number, rng: Rng): void => {
    for (let i = 0; i < n; i++) {
      opt.zeroGrad()
      const x = rng.uniform([8, 5])
      A.backward(A.mean(A.square(m.call(x))))
      opt.step()
    }
  }

  it('save and restore model and optimizer: training continues exactly as without the interruption', () => {
    const a = model(1)
    const optA = new Adam(a.namedParameters(), { lr: 0.01 })
    trainSteps(a, optA, 5, new Rng(9))
    const path = join(dir, 'ckpt.safetensors')
    saveCheckpoint(path, a, { optimizer: optA, metadata: { epoch: '5' } })
    const rngA = new Rng(10)
    trainSteps(a, optA, 5, rngA)

    const b = model(100)
    const optB = new Adam(b.namedParameters(), { lr: 0.5 })
    const { metadata } = loadCheckpoint(path, b, { optimizer: optB })
    expect(metadata).toEqual({ epoch: '5' })
    trainSteps(b, optB, 5, new Rng(10))
    b.parameters().forEach((p, i) => expect([...p.data.data]).toEqual([...a.parameters()[i].data.data]))
    // the file is a plain safetensors file with the PyTorch names
    expect([...decodeSafetensors(readFileSync(path)).tensors.keys()].filter((k) => !k.startsWith('optimizer.')).sort())
      .toEqual(['0.bias', '0.weight', '2.bias', '2.weight'])
  })

  it('a mismatch names the tensor and leaves model and optimizer untouched', () => {
    const bytes = serializeCheckpoint(model(1), { optimizer: new Adam(model(1).namedParameters()) })
    const other = new Sequential(new Dense(5, 4, { rng: new Rng(3) }), new ReLU(), new Dense(4, 2, { rng: new Rng(4) }))
    const before = other.parameters().map((p) => [...p.data.data])
    const opt = new Adam(other.namedParameters(), { lr: 0.7 })
    expect(() => restoreCheckpoint(other, bytes, { optimizer: opt }))
      .toThrow("loadStateDict: '2.weight' is float32 [3, 4], the model has float32 [2, 4]")
    other.parameters().forEach((p, i) => expect([...p.data.data]).toEqual(before[i]))
    expect(opt.lr).toBe(0.7)
    expect(() => restoreCheckpoint(model(1), serializeCheckpoint(model(1)),
      { optimizer: new Adam(model(1).namedParameters()) })).toThrow(/has no optimizer state/)
  })

  it('writes atomically: a failed write leaves the previous file intact and no temporary file behind', () => {
    const path = join(dir, 'atomic.safetensors')
    writeFileAtomic(path, new Uint8Array([1, 2, 3]))
    // Writing into a directory that does not exist fails before anything is renamed.
    expect(() => writeFileAtomic(join(dir, 'missing', 'x.safetensors'), new Uint8Array([9]))).toThrow()
    // A folder at the path is refused by name before anything is written.
    const target = join(dir, 'is-a-directory')
    mkdirSync(target)
    expect(() => writeFileAtomic(target, new Uint8Array([7, 7]))).toThrow(/is-a-directory is a folder: name a file/)
    expect([...readFileSync(path)]).toEqual([1, 2, 3])
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('removeStaleTemporaries deletes what a killed writer left, and nothing of a live one', () => {
    const path = join(dir, 'stale', 'checkpoint.safetensors')
    mkdirSync(join(dir, 'stale'))
    const dead = spawnSync(process.execPath, ['-e', '0']).pid // a process that has exited
    const left = `.checkpoint.safetensors.${dead}.1700000000000.0.tmp`
    const live = `.checkpoint.safetensors.${process.pid}.1700000000000.1.tmp`
    const other = `.summary.json.${dead}.1700000000000.0.tmp`
    for (const f of [left, live, other, 'checkpoint.safetensors']) writeFileSync(join(dir, 'stale', f), 'x')
    expect(removeStaleTemporaries(path)).toEqual([left])
    expect(readdirSync(join(dir, 'stale')).sort()).toEqual([live, other, 'checkpoint.safetensors'].sort())
  })

  it('encodeSafetensors takes what decodeSafetensors gives (the same bytes), and refuses a header readers refuse',
    () => {
      const bytes = serializeCheckpoint(model(1), { metadata: { note: 'x' } })
      expect([...encodeSafetensors(decodeSafetensors(bytes))]).toEqual([...bytes])
      expect(() => encodeSafetensors(new Map(), { big: 'x'.repeat(100_000_001) }))
        .toThrow(/over the 100000000 that readers accept/)
    })

  it('loading a corrupted file throws and changes nothing', () => {
    const path = join(dir, 'corrupt.safetensors')
    const bytes = serializeCheckpoint(model(1))
    writeFileSync(path, bytes.subarray(0, bytes.length - 10))
    const m = model(2)
    const before = m.parameters().map((p) => [...p.data.data])
    expect(() => loadCheckpoint(path, m)).toThrow(/safetensors: truncated/)
    m.parameters().forEach((p, i) => expect([...p.data.data]).toEqual(before[i]))
  })
})

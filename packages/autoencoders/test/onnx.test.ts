/**
 * ONNX export against an outside oracle: ONNX Runtime (its WASM build, one thread) loads the
 * exported bytes and computes, on 100 rows, what latent computes, within 1e-5.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-web'
import { afterAll, describe, expect, it } from 'vitest'
import * as A from '@latent/autodiff'
import {
  Activation, AvgPool2d, Conv2d, ConvTranspose2d, decodeSafetensors, Dense, Dropout, ELU, Flatten, GELU, Identity,
  LeakyReLU, MaxPool2d, type Module, ReLU, Sequential, Sigmoid, Softplus, Tanh, Unflatten, Upsample,
} from '@latent/nn'
import { Rng, type Tensor } from '@latent/tensor'
import {
  type Autoencoder, autoencoderToOnnx, buildAutoencoder, buildConvAutoencoder, buildVariational, exportOnnx,
  type OnnxPart,
} from '../src/index.js'
import { main, type Io } from '../src/cli/main.js'
import { loadModel } from '../src/node/index.js'
import { ProtoWriter } from '../src/onnx/protobuf.js'

ort.env.wasm.numThreads = 1
const root = mkdtempSync(join(tmpdir(), 'latent-onnx-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** ONNX Runtime's output for the rows of x. */
async function onnxRun(bytes: Uint8Array, x: Tensor): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes)
  try {
    const input = new ort.Tensor('float32', Float32Array.from(x.data), [...x.shape])
    const out = await session.run({ [session.inputNames[0]]: input })
    return out[session.outputNames[0]]
  } finally {
    await session.release()
  }
}

async function expectSame(bytes: Uint8Array, x: Tensor, expected: Tensor): Promise<void> {
  const y = await onnxRun(bytes, x)
  expect(y.dims).toEqual(expected.shape)
  const data = y.data as Float32Array
  const worst = Array.from(expected.data).reduce((m, v, i) => Math.max(m, Math.abs(v - data[i])), 0)
  expect(worst).toBeLessThanOrEqual(1e-5)
}

/** The three parts of an autoencoder against encode, decode and reconstruct on 100 rows. */
async function expectParts(model: Autoencoder, width: number, parts: OnnxPart[] = ['encoder', 'decoder', 'model'])
  : Promise<void> {
  const x = new Rng(7).uniform([100, width])
  const codes = model.encode(x)
  const expected: Record<OnnxPart, [Tensor, Tensor]> =
    { encoder: [x, codes], decoder: [codes, model.decode(codes)], model: [x, model.reconstruct(x)] }
  for (const part of parts) await expectSame(autoencoderToOnnx(model, part), ...expected[part])
}

describe('the protobuf writer', () => {
  it('writes the wire format of the protobuf documentation examples', () => {
    // 150 = 0b1_0010110: low 7 bits 0x16 with the continuation bit (0x96), then 1; key 1 << 3 | 0.
    expect([...new ProtoWriter().varint(1, 150).finish()]).toEqual([0x08, 0x96, 0x01])
    // 'testing' in field 2: key 2 << 3 | 2 = 0x12, length 7.
    expect([...new ProtoWriter().string(2, 'testing').finish()])
      .toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67])
    // Packed [3, 270, 86942] in field 4: 270 = 0x8e 0x02, 86942 = 0x9e 0xa7 0x05.
    expect([...new ProtoWriter().packed(4, [3, 270, 86942]).finish()])
      .toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05])
    // An int64 below zero is ten bytes of two's complement; 1.0f is 0x3f800000 little-endian.
    expect([...new ProtoWriter().varint(1, -1).finish()]).toEqual([0x08, ...Array(9).fill(0xff), 0x01])
    expect([...new ProtoWriter().float(2, 1).finish()]).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f])
    expect(() => new ProtoWriter().varint(1, 2 ** 53)).toThrow(/safe integer/)
  })
})

describe('ONNX export, checked by ONNX Runtime', () => {
  it('a dense autoencoder: encoder, decoder and the whole model', async () => {
    const model = buildAutoencoder({ sizes: [64, 32, 8], activation: 'elu', rng: new Rng(1) })
    await expectParts(model, 64)
  })

  it('a tied autoencoder: the decoder multiplies by the encoder\'s weight', async () => {
    const model = buildAutoencoder({ sizes: [64, 16, 4], activation: 'leakyRelu', tied: true, rng: new Rng(2) })
    await expectParts(model, 64)
    // The shared weight is one initializer in the whole model: 64·16 + 16·4 floats, once each.
    const floats = 64 * 16 + 16 + 16 * 4 + 4 + 16 + 64
    expect(autoencoderToOnnx(model, 'model').length).toBeLessThan(4 * floats + 2000)
  })

  it('a variational autoencoder: the encoder gives the posterior mean μ', async () => {
    const model = buildVariational({ sizes: [64, 32, 8], activation: 'gelu', rng: new Rng(3) })
    await expectParts(model, 64, ['encoder', 'model'])
  })

  it('a convolutional autoencoder takes rows of c·h·w pixels', async () => {
    const model = buildConvAutoencoder({ image: [2, 8, 8], channels: [4, 6], dense: [12, 5], rng: new Rng(4) })
    await expectParts(model, 128, ['encoder', 'decoder'])
  })

  it('every layer with a rule, including the activations and windows the builders do not use', async () => {
    const rng = new Rng(5)
    const net = new Sequential(
      new Unflatten([2, 6, 6]), new Conv2d(2, 3, [3, 1], { padding: [1, 0], rng }), new Tanh(),
      new MaxPool2d(2), new Upsample([2, 3]), new AvgPool2d(3, { stride: 1, padding: 1 }),
      new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1, rng }), new Flatten(),
      new Dense(2 * 12 * 18, 10, { rng }), new GELU(), new Dense(10, 10, { rng, bias: false }), new GELU('tanh'),
      new Dense(10, 10, { rng }), new Sigmoid(), new Dense(10, 10, { rng }), new ReLU(), new Softplus(),
      new Dense(10, 10, { rng }), new Softplus(2, 1), new Dense(10, 10, { rng }), new LeakyReLU(0.2),
      new Dense(10, 10, { rng }), new ELU(0.5), new Dropout(0.5, { rng }), new Identity(),
    )
    const x = new Rng(6).normal([100, 72], 0, 2)
    await expectSame(exportOnnx(net), x, net.inEval(() => net.call(x).data))
  })

  it('refuses a layer without a rule, naming it and its path', () => {
    const rng = new Rng(0)
    const square = new Activation('Square', (x) => A.square(x))
    const net = new Sequential(new Dense(4, 4, { rng }), new Sequential(new ReLU(), square))
    expect(() => exportOnnx(net)).toThrow("exportOnnx: cannot export Square (class Activation) at '1.1'")
    class Twice extends Dense {
      override forward(x: A.Value): A.Value { return A.mul(super.forward(x), 2) }
    }
    expect(() => exportOnnx(new Twice(4, 4, { rng })))
      .toThrow(/cannot export Dense\(4 -> 4\) \(class Twice\) at 'the root'/)
    expect(() => exportOnnx(new Sequential(new Conv2d(1, 1, 3, { rng })) as Module)).toThrow(/pass \{ inputSize \}/)
  })
})

describe('latent export', () => {
  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = ''
    let err = ''
    const io: Io = {
      stdout: { write: (s) => void (out += s) }, stderr: { write: (s) => void (err += s) }, signal: { aborted: false },
    }
    return { code: await main(argv, io), out, err }
  }
  const run = join(root, 'run')

  it('writes a trained checkpoint\'s encoder as ONNX and its weights as safetensors', async () => {
    const train = await cli('train', '--data', 'digits', '--limit', '200', '--sizes', '64,16,4', '--epochs', '1',
      '--batch-size', '50', '--out', run, '--quiet')
    expect(train.err).toBe('')
    const file = join(root, 'out', 'encoder.onnx')
    const r = await cli('export', '--checkpoint', run, '--format', 'onnx', '--part', 'encoder', '--output', file)
    expect(r.err).toBe('')
    expect(r.out).toMatch(/the encoder as ONNX written to .*encoder\.onnx/)
    const { model } = loadModel(run)
    const x = new Rng(8).uniform([100, 64])
    await expectSame(readFileSync(file), x, model.encode(x))

    const weights = join(root, 'out', 'weights.safetensors')
    expect((await cli('export', '-c', run, '--format', 'safetensors', '-o', weights, '--quiet')).code).toBe(0)
    const { tensors } = decodeSafetensors(readFileSync(weights))
    expect([...tensors.keys()].sort()).toEqual([...model.stateDict().keys()].sort())
  })

  it('is listed, with its help', async () => {
    expect((await cli('--help')).out).toMatch(/\n {2}export +write a trained model as ONNX/)
    expect((await cli('export', '--help')).out)
      .toMatch(/^latent export: [^]*--part VALUE[^]*\nexample:\n {2}latent export /)
  })

  it('says what is wrong in one line', async () => {
    for (const [args, pattern] of [
      [['--checkpoint', run], /--output is required/],
      [['--checkpoint', run, '--part', 'middle', '-o', 'x.onnx'], /--part: unknown value 'middle'/],
      [['--checkpoint', run, '--format', 'pt', '-o', 'x.pt'], /--format: unknown value 'pt'/],
      [['--checkpoint', run, '--format', 'safetensors', '--part', 'encoder', '-o', 'x'], /--part applies to/],
      [['--checkpoint', join(root, 'nothing'), '-o', 'x.onnx'], /no such checkpoint/],
    ] as const) {
      const r = await cli('export', ...args)
      expect(r.code).not.toBe(0)
      expect(r.err.trim().split('\n')).toHaveLength(1)
      expect(r.err).toMatch(pattern)
    }
  })
})

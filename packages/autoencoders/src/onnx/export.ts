/**
 * ONNX export: a latent model as an ONNX ModelProto (IR version 8, opset 17, as ONNX 1.12 and
 * later accept; https://onnx.ai/onnx/repo-docs/IR.html and https://onnx.ai/onnx/operators/), so
 * that ONNX Runtime, a browser or another framework computes the same codes. The file is written
 * by ./protobuf.ts with the field numbers of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto);
 * the weights are initializers holding float32 little-endian raw_data, named by the model's
 * parameter names ('encoder.0.weight').
 *
 * Each layer is one rule that appends the nodes computing its forward pass in evaluation mode
 * (Dropout is the identity). The rules are keyed by the layer's exact class, so a subclass with a
 * forward of its own is refused by name rather than exported as its parent. Activations without
 * an operator of their own are composed the way @latent/nn composes them: GELU from Erf (opset 20's
 * Gelu is not in 17), Softplus with PyTorch's β and threshold through Where.
 */
import {
  AvgPool2d, Conv2d, ConvTranspose2d, Dense, Dropout, ELU, Flatten, GELU, Identity, LeakyReLU, MaxPool2d, Module,
  ReLU, Sequential, Sigmoid, Softplus, Tanh, Unflatten, Upsample,
} from '@latent/nn'
import { type Tensor, zeros } from '@latent/tensor'
import { Autoencoder, TiedDense } from '../autoencoder.js'
import { VariationalAutoencoder } from '../variants/variational.js'
import { ProtoWriter } from './protobuf.js'

/** onnx.proto: TensorProto.DataType and AttributeProto.AttributeType values used here. */
const FLOAT = 1
const INT64 = 7
const ATTRIBUTE = { float: 1, int: 2, string: 3, ints: 7 } as const
const IR_VERSION = 8
const OPSET = 17

type Size2 = number | readonly [number, number]
const pair = (v: Size2): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]])
const join = (path: string, name: string): string => (path ? `${path}.${name}` : name)

/** An AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20. */
function attribute(name: string, kind: keyof typeof ATTRIBUTE, value: number | string | readonly number[])
  : ProtoWriter {
  const w = new ProtoWriter().string(1, name).varint(20, ATTRIBUTE[kind])
  if (kind === 'float') return w.float(2, value as number)
  if (kind === 'int') return w.varint(3, value as number)
  if (kind === 'string') return w.string(4, value as string)
  return w.packed(8, value as number[])
}

/** A TensorProto initializer: dims 1, data_type 2, name 8, raw_data 9 (little-endian). */
function initializer(name: string, dims: readonly number[], type: typeof FLOAT | typeof INT64,
  values: ArrayLike<number>): ProtoWriter {
  const width = type === FLOAT ? 4 : 8
  const raw = new Uint8Array(values.length * width)
  const view = new DataView(raw.buffer)
  for (let i = 0; i < values.length; i++) {
    if (type === FLOAT) view.setFloat32(i * 4, values[i], true)
    else view.setBigInt64(i * 8, BigInt(values[i]), true)
  }
  const w = new ProtoWriter()
  if (dims.length > 0) w.packed(1, dims)
  return w.varint(2, type).string(8, name).bytes(9, raw)
}

/** A ValueInfoProto of a float tensor: name 1, type 2 → TypeProto.tensor_type 1 → elem_type 1, shape 2. */
function valueInfo(name: string, dims: readonly (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter()
  // TensorShapeProto.dim 1 → Dimension: dim_value 1, or dim_param 2 (a symbolic size).
  for (const d of dims) {
    shape.message(1, typeof d === 'string' ? new ProtoWriter().string(2, d) : new ProtoWriter().varint(1, d))
  }
  const tensor = new ProtoWriter().varint(1, FLOAT).message(2, shape)
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor))
}

interface Node { name: string; op: string; inputs: string[]; outputs: string[]; attributes: ProtoWriter[] }

/** The graph as it is built: nodes in order, initializers, and the names used. */
class Graph {
  readonly nodes: Node[] = []
  readonly initializers: ProtoWriter[] = []
  private readonly known = new Map<unknown, string>()

  /** `used`: names taken already (the graph's input and output). */
  constructor(private readonly used: Set<string>) {}

  private fresh(base: string): string {
    let name = base
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`
    this.used.add(name)
    return name
  }

  /** Appends a node; returns the name of its output. */
  node(op: string, inputs: string[], path: string, attributes: ProtoWriter[] = []): string {
    const output = this.fresh(`${path || 'graph'}/${op}`)
    this.nodes.push({ name: output, op, inputs, outputs: [output], attributes })
    return output
  }

  /** A tensor as a float32 initializer, once however many layers use it (tied weights). */
  weight(t: Tensor, name: string): string {
    if (!this.known.has(t)) {
      this.known.set(t, this.fresh(name))
      this.initializers.push(initializer(this.known.get(t)!, t.shape, FLOAT, t.data))
    }
    return this.known.get(t)!
  }

  /** A constant: a float32 scalar, or a 1-D tensor of float32 or int64. */
  constant(values: number | readonly number[], type: typeof FLOAT | typeof INT64 = FLOAT): string {
    const key = `${type}:${String(values)}:${typeof values}`
    if (!this.known.has(key)) {
      const name = this.fresh(`constant/${String(values)}`)
      const list = typeof values === 'number' ? [values] : values
      this.initializers.push(initializer(name, typeof values === 'number' ? [] : [list.length], type, list))
      this.known.set(key, name)
    }
    return this.known.get(key)!
  }

  /** The nodes of module `m` at `path` applied to the value `x`; returns the output's name. */
  emit(m: Module, x: string, path: string): string {
    const rule = RULES.get(m.constructor as Layer)
    if (!rule) {
      const what = m.describe() === m.constructor.name ? m.describe() : `${m.describe()} (class ${m.constructor.name})`
      throw new Error(`exportOnnx: cannot export ${what} at '${path || 'the root'}': it has no ONNX rule ` +
        `(the layers exported are ${[...RULES.keys()].map((c) => c.name).join(', ')})`)
    }
    return rule(this, m, x, path)
  }
}

type Layer = abstract new (...args: never[]) => Module
type Rule = (g: Graph, m: Module, x: string, path: string) => string
const rule = <M extends Module>(layer: abstract new (...args: never[]) => M,
  emit: (g: Graph, m: M, x: string, path: string) => string): [Layer, Rule] => [layer, emit as Rule]
const unary = (op: string): Rule => (g, _m, x, path) => g.node(op, [x], path)

/** kernel_shape, strides and pads (top, left, bottom, right) of a window. */
const window = (kernel: Size2, stride: Size2, padding: Size2): ProtoWriter[] => [
  attribute('kernel_shape', 'ints', pair(kernel)),
  attribute('strides', 'ints', pair(stride)),
  attribute('pads', 'ints', [...pair(padding), ...pair(padding)]),
]
const bias = (g: Graph, b: Tensor | undefined, path: string): string[] => (b ? [g.weight(b, join(path, 'bias'))] : [])

/** Every layer that has an ONNX form, with the nodes that compute it. */
const RULES = new Map<Layer, Rule>([
  rule(Sequential, (g, m, x, path) => m.layers.reduce((h, layer, i) => g.emit(layer, h, join(path, String(i))), x)),
  // y = x·Wᵀ + b: Gemm with transB.
  rule(Dense, (g, m, x, path) => g.node('Gemm', [x, g.weight(m.weight.data, join(path, 'weight')),
    ...bias(g, m.bias?.data, path)], path, [attribute('transB', 'int', 1)])),
  // y = z·W + b with the encoder layer's W [h, d]: Gemm without transB, on the shared initializer.
  rule(TiedDense, (g, m, x, path) => g.node('Gemm', [x, g.weight(m.source().weight.data, join(path, 'weight')),
    ...bias(g, m.bias.data, path)], path)),
  rule(ReLU, unary('Relu')),
  rule(Sigmoid, unary('Sigmoid')),
  rule(Tanh, unary('Tanh')),
  rule(Identity, unary('Identity')),
  rule(Dropout, unary('Identity')),
  rule(LeakyReLU, (g, m, x, path) => g.node('LeakyRelu', [x], path, [attribute('alpha', 'float', m.slope)])),
  rule(ELU, (g, m, x, path) => g.node('Elu', [x], path, [attribute('alpha', 'float', m.alpha)])),
  // x/2 (1 + erf(x/√2)), or x/2 (1 + tanh(√(2/π)(x + 0.044715x³))).
  rule(GELU, (g, m, x, path) => {
    const inner = m.approximate === 'tanh'
      ? g.node('Tanh', [g.node('Mul', [g.node('Add', [x, g.node('Mul', [g.node('Pow', [x, g.constant(3)], path),
        g.constant(0.044715)], path)], path), g.constant(Math.sqrt(2 / Math.PI))], path)], path)
      : g.node('Erf', [g.node('Mul', [x, g.constant(Math.SQRT1_2)], path)], path)
    return g.node('Mul', [g.node('Mul', [x, g.constant(0.5)], path), g.node('Add', [inner, g.constant(1)], path)], path)
  }),
  // (1/β) log(1 + e^(βx)), and x where βx > threshold (PyTorch's Softplus; ONNX's has no β).
  rule(Softplus, (g, m, x, path) => {
    const bx = m.beta === 1 ? x : g.node('Mul', [x, g.constant(m.beta)], path)
    const smooth = m.beta === 1 ? g.node('Softplus', [x], path)
      : g.node('Div', [g.node('Softplus', [bx], path), g.constant(m.beta)], path)
    return g.node('Where', [g.node('Greater', [bx, g.constant(m.threshold)], path), x, smooth], path)
  }),
  rule(Conv2d, (g, m, x, path) => g.node('Conv', [x, g.weight(m.weight.data, join(path, 'weight')),
    ...bias(g, m.bias?.data, path)], path, window(m.kernel, m.options.stride ?? 1, m.options.padding ?? 0))),
  // The weight [in, out, kh, kw] is ONNX's layout for ConvTranspose too.
  rule(ConvTranspose2d, (g, m, x, path) => g.node('ConvTranspose', [x, g.weight(m.weight.data, join(path, 'weight')),
    ...bias(g, m.bias?.data, path)], path, [...window(m.kernel, m.options.stride ?? 1, m.options.padding ?? 0),
    attribute('output_padding', 'ints', pair(m.options.outputPadding ?? 0))])),
  // Max pooling pads with -∞, as latent does.
  rule(MaxPool2d, (g, m, x, path) => g.node('MaxPool', [x], path,
    window(m.kernel, m.options.stride ?? m.kernel, m.options.padding ?? 0))),
  rule(AvgPool2d, (g, m, x, path) => g.node('AveragePool', [x], path, [
    ...window(m.kernel, m.options.stride ?? m.kernel, m.options.padding ?? 0), attribute('count_include_pad', 'int', 1),
  ])),
  // Output pixel i takes input pixel ⌊i / scale⌋, PyTorch's nearest: asymmetric coordinates, floor.
  rule(Upsample, (g, m, x, path) => g.node('Resize', [x, '', g.constant([1, 1, ...pair(m.scale)])], path, [
    attribute('mode', 'string', 'nearest'), attribute('coordinate_transformation_mode', 'string', 'asymmetric'),
    attribute('nearest_mode', 'string', 'floor'),
  ])),
  rule(Flatten, (g, _m, x, path) => g.node('Flatten', [x], path, [attribute('axis', 'int', 1)])),
  rule(Unflatten, (g, m, x, path) => g.node('Reshape', [x, g.constant([-1, ...m.shape], INT64)], path)),
])

export interface OnnxOptions {
  /**
   * The width of an input row. Found from the first layer when it is Dense, TiedDense or
   * Unflatten (a convolutional encoder begins with one); required otherwise.
   */
  inputSize?: number
  /** The graph's name (default 'latent'). */
  name?: string
  /** The graph input's name (default 'input'). */
  inputName?: string
  /** The graph output's name (default 'output'). */
  outputName?: string
}

/** The layers of a module in the order they apply, Sequentials opened. */
const leaves = (m: Module): Module[] => (m instanceof Sequential ? m.layers.flatMap(leaves) : [m])

/** The width of the input of a chain's first layer, when the layer says it. */
function firstWidth(chain: [Module, string][]): number | undefined {
  const m = chain.flatMap(([part]) => leaves(part))[0]
  if (m instanceof Dense) return m.inFeatures
  if (m instanceof TiedDense) return m.source().weight.shape[0]
  if (m instanceof Unflatten) return m.shape.reduce((a, b) => a * b, 1)
  return undefined
}

/** The modules applied in turn, each with the path that names its parameters, as one ONNX model. */
function exportChain(chain: [Module, string][], options: OnnxOptions): Uint8Array {
  const inputName = options.inputName ?? 'input'
  const outputName = options.outputName ?? 'output'
  const inputSize = options.inputSize ?? firstWidth(chain)
  if (!(Number.isInteger(inputSize) && inputSize! >= 1)) {
    throw new RangeError(`exportOnnx: pass { inputSize } (a positive integer, the width of an input row), ` +
      `got ${inputSize}`)
  }
  const g = new Graph(new Set([inputName, outputName]))
  let last = chain.reduce((x, [m, path]) => g.emit(m, x, path), inputName)
  if (last === inputName) last = g.node('Identity', [inputName], 'graph')
  const rename = (name: string): string => (name === last ? outputName : name)
  for (const node of g.nodes) [node.inputs, node.outputs] = [node.inputs.map(rename), node.outputs.map(rename)]
  // The output's shape from latent itself, on one row of zeros (this also checks inputSize).
  const dtype = chain.flatMap(([m]) => m.parameters())[0]?.dtype ?? 'float32'
  const shape = chain.reduce((h, [m]) => m.inEval(() => m.call(h).data), zeros([1, inputSize!], { dtype })).shape

  const graph = new ProtoWriter()
  for (const n of g.nodes) {
    const node = new ProtoWriter()
    for (const i of n.inputs) node.string(1, i)
    for (const o of n.outputs) node.string(2, o)
    node.string(3, n.name).string(4, n.op)
    for (const a of n.attributes) node.message(5, a)
    graph.message(1, node)
  }
  graph.string(2, options.name ?? 'latent')
  for (const t of g.initializers) graph.message(5, t)
  graph.message(11, valueInfo(inputName, ['batch', inputSize!]))
  graph.message(12, valueInfo(outputName, ['batch', ...shape.slice(1)]))
  const opset = new ProtoWriter().string(1, '').varint(2, OPSET)
  return new ProtoWriter().varint(1, IR_VERSION).string(2, 'latent').message(7, graph).message(8, opset).finish()
}

/**
 * A module (Sequential, Dense, the activations, TiedDense, the convolution layers, or a whole
 * Autoencoder) as the bytes of an ONNX model, taking rows [batch, inputSize] (the batch size is
 * the symbolic dimension 'batch'). Weights are written as float32. A layer without an ONNX form
 * is refused with an Error naming it and its path in the model.
 * @example
 *   const bytes = exportOnnx(new Sequential(new Dense(4, 2, { rng }), new ReLU()))
 *   writeFileSync('mlp.onnx', bytes)
 */
export function exportOnnx(module: Module, options: OnnxOptions = {}): Uint8Array {
  if (module instanceof Autoencoder) return autoencoderToOnnx(module, 'model', options)
  return exportChain([[module, '']], options)
}

/** What of an autoencoder to export: the encoder (x → code), the decoder (code → x̂) or both. */
export type OnnxPart = 'encoder' | 'decoder' | 'model'

/**
 * An autoencoder's encoder, decoder or whole model (encoder then decoder) as the bytes of an
 * ONNX model, computing what `encode`, `decode` and `reconstruct` compute: for a variational
 * autoencoder the code is the posterior mean μ. Convolutional models keep latent's interface,
 * rows of c·h·w pixels (the graph reshapes them to images inside). Inputs are named 'input'
 * (the decoder's 'code'), outputs 'code' or 'reconstruction'; weights keep their checkpoint names.
 * @example
 *   const bytes = autoencoderToOnnx(model, 'encoder') // run with { input: [n, 784] } → { code }
 */
export function autoencoderToOnnx(model: Autoencoder, part: OnnxPart = 'model', options: OnnxOptions = {}): Uint8Array {
  if (!['encoder', 'decoder', 'model'].includes(part)) {
    throw new RangeError(`autoencoderToOnnx: part must be encoder, decoder or model, got '${String(part)}'`)
  }
  const variational = model instanceof VariationalAutoencoder
  const own = (name: 'encodeValue' | 'decodeValue'): boolean =>
    model[name] !== Autoencoder.prototype[name] && !(variational && name === 'encodeValue')
  if (own('encodeValue') || own('decodeValue')) {
    throw new Error(`autoencoderToOnnx: ${model.constructor.name} encodes or decodes in its own way, ` +
      'which the export cannot see; export its modules with exportOnnx')
  }
  const encoder: [Module, string][] = [[model.encoder, 'encoder']]
  if (variational) encoder.push([model.mu, 'mu'])
  const decoder: [Module, string][] = [[model.decoder, 'decoder']]
  return exportChain(part === 'encoder' ? encoder : part === 'decoder' ? decoder : [...encoder, ...decoder], {
    inputSize: options.inputSize,
    name: options.name ?? `latent ${part}`,
    inputName: options.inputName ?? (part === 'decoder' ? 'code' : 'input'),
    outputName: options.outputName ?? (part === 'encoder' ? 'code' : 'reconstruction'),
  })
}

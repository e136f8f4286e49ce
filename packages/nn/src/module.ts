/**
 * Modules: the unit of a model. A module owns parameters and child modules, found by looking at
 * its own fields (in the order they were assigned), and names them the way PyTorch's state
 * dict does: `encoder.0.weight`. So a model moves between the two by its parameter names.
 */
import { noGrad, Value } from '@latent/autodiff'
import { formatShape, type Tensor } from '@latent/tensor'

/**
 * A trainable tensor: a leaf Value that requires a gradient.
 * @example
 *   this.weight = new Parameter(rng.normal([out, inp], 0, 0.1))
 */
export class Parameter extends Value {
  constructor(data: Tensor) {
    super(data, { requiresGrad: true })
  }
}

/**
 * A layer or a model: `forward` on values, and the tree of child modules and parameters found
 * in its fields (as PyTorch's nn.Module finds them), with training mode and state dicts.
 * @example
 *   class Affine extends Module {
 *     scale = new Parameter(ones([1]))
 *     forward(x: Value): Value { return A.mul(x, this.scale) }
 *   }
 */
export abstract class Module {
  /** Training mode (dropout active) or evaluation mode. */
  training = true

  /** The computation. */
  abstract forward(x: Value): Value

  /**
   * Calls forward; accepts Tensors too.
   * @example
   *   const y = model.call(x)
   */
  call(x: Value | Tensor): Value {
    return this.forward(x instanceof Value ? x : new Value(x))
  }

  /**
   * Direct children with their names (fields holding modules, in assignment order).
   * @example model.namedChildren().map(([n]) => n) // ['encoder', 'decoder']
   */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module)
  }

  /**
   * This module's own parameters with their names (not its children's).
   * @example dense.ownParameters().map(([n]) => n) // ['weight', 'bias']
   */
  ownParameters(): [string, Parameter][] {
    return Object.entries(this).filter((e): e is [string, Parameter] => e[1] instanceof Parameter)
  }

  /**
   * Every parameter of this module and its descendants, with dotted names, own parameters first
   * (PyTorch's order).
   * @example
   *   for (const [name, p] of model.namedParameters()) console.log(name, p.shape)
   */
  namedParameters(prefix = ''): [string, Parameter][] {
    const own = this.ownParameters().map(([n, p]): [string, Parameter] => [prefix + n, p])
    return own.concat(...this.namedChildren().map(([n, m]) => m.namedParameters(`${prefix}${n}.`)))
  }

  /** The parameters alone. @example new Adam(model.parameters()) */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p)
  }

  /**
   * Every module in the tree, this one first, with dotted names.
   * @example for (const [name, m] of model.namedModules()) console.log(name, m.describe())
   */
  namedModules(prefix = ''): [string, Module][] {
    return [[prefix.replace(/\.$/, ''), this] as [string, Module]]
      .concat(...this.namedChildren().map(([n, m]) => m.namedModules(`${prefix}${n}.`)))
  }

  /** Sets training mode on the whole tree. @example model.train() */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode
    return this
  }

  /** Evaluation mode: dropout off. @example model.eval() */
  eval(): this {
    return this.train(false)
  }

  /**
   * Runs fn in evaluation mode without recording, then restores the mode the module was in,
   * even if fn throws.
   * @example const codes = model.inEval(() => model.call(x).data)
   */
  inEval<T>(fn: () => T): T {
    const was = this.training
    this.eval()
    try {
      return noGrad(fn)
    } finally {
      this.train(was)
    }
  }

  /** Forgets every parameter's gradient. @example model.zeroGrad() */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad()
  }

  /** Stops gradients for every parameter in this subtree (e.g. a pretrained encoder). @example encoder.freeze() */
  freeze(): this {
    for (const p of this.parameters()) {
      p.requiresGrad = false
      p.zeroGrad()
    }
    return this
  }

  /** Undoes freeze. @example encoder.unfreeze() */
  unfreeze(): this {
    for (const p of this.parameters()) p.requiresGrad = true
    return this
  }

  /**
   * The number of parameters (elements), optionally only the trainable ones.
   * @example model.parameterCount() // 402,496 for 784-256-784
   */
  parameterCount(options: { trainableOnly?: boolean } = {}): number {
    return this.parameters().filter((p) => !options.trainableOnly || p.requiresGrad).reduce((s, p) => s + p.size, 0)
  }

  /** The parameters' tensors by name, as PyTorch's state_dict. @example model.stateDict().get('0.weight') */
  stateDict(): Map<string, Tensor> {
    return new Map(this.namedParameters().map(([n, p]) => [n, p.data]))
  }

  /**
   * Copies tensors into the parameters of the same names. Everything is checked first (names,
   * shapes, dtypes; with `strict`, no missing or unexpected names), so a mismatch throws an error
   * naming the tensor and leaves every parameter as it was.
   * @example
   *   model.loadStateDict(other.stateDict())
   */
  loadStateDict(state: ReadonlyMap<string, Tensor>, options: { strict?: boolean } = {}): void {
    this.checkStateDict(state, options)
    for (const [name, p] of this.namedParameters()) {
      const t = state.get(name)
      if (t) p.data.data.set(t.data)
    }
  }

  /**
   * Throws, naming the tensor, unless loadStateDict would succeed; changes nothing.
   * @example model.checkStateDict(state, { strict: false })
   */
  checkStateDict(state: ReadonlyMap<string, Tensor>, options: { strict?: boolean } = {}): void {
    if (typeof (state as Partial<ReadonlyMap<string, Tensor>>)?.get !== 'function') {
      throw new TypeError('loadStateDict: expected a Map from parameter names to tensors, as stateDict() returns')
    }
    const strict = options.strict ?? true
    const params = new Map(this.namedParameters())
    for (const [name, p] of params) {
      const t = state.get(name)
      if (!t) {
        if (strict) throw new Error(`loadStateDict: '${name}' is missing (expected ${p.dtype} ${formatShape(p.shape)})`)
        continue
      }
      if (t.dtype !== p.dtype || formatShape(t.shape) !== formatShape(p.shape)) {
        throw new Error(`loadStateDict: '${name}' is ${t.dtype} ${formatShape(t.shape)}, ` +
          `the model has ${p.dtype} ${formatShape(p.shape)}`)
      }
    }
    if (strict) {
      for (const name of state.keys()) {
        if (!params.has(name)) throw new Error(`loadStateDict: unexpected tensor '${name}' ` +
          '(the model has no such parameter)')
      }
    }
  }

  /** A one-line description of this module alone (layers override it). */
  describe(): string {
    return this.constructor.name
  }

  /**
   * A readable summary: the tree of modules with their parameter shapes and counts.
   * @example console.log(String(model))
   */
  toString(): string {
    const lines: string[] = []
    const walk = (m: Module, name: string, depth: number): void => {
      const own = m.ownParameters()
      const count = own.reduce((s, [, p]) => s + p.size, 0)
      const shapes = own.map(([n, p]) => `${n} ${formatShape(p.shape)}`).join(', ')
      lines.push(`${'  '.repeat(depth)}${name ? `(${name}) ` : ''}${m.describe()}` +
        (shapes ? `  ${shapes}  ${count.toLocaleString('en-US')} params` : '') +
        (own.some(([, p]) => !p.requiresGrad) ? '  frozen' : ''))
      for (const [n, c] of m.namedChildren()) walk(c, n, depth + 1)
    }
    walk(this, '', 0)
    const total = this.parameterCount()
    const trainable = this.parameterCount({ trainableOnly: true })
    lines.push(`${total.toLocaleString('en-US')} parameters` +
      (trainable !== total ? `, ${trainable.toLocaleString('en-US')} trainable` : ''))
    return lines.join('\n')
  }
}

/**
 * Modules applied in order; children are named '0', '1', ... as in PyTorch.
 * @example
 *   const mlp = new Sequential(new Dense(4, 8, { rng }), new ReLU(), new Dense(8, 1, { rng }))
 */
export class Sequential extends Module {
  readonly layers: Module[]

  constructor(...layers: Module[]) {
    super()
    this.layers = layers
  }

  /** The layers, named by position. @example new Sequential(a, b).namedChildren() // [['0', a], ['1', b]] */
  override namedChildren(): [string, Module][] {
    return this.layers.map((m, i) => [String(i), m])
  }

  forward(x: Value): Value {
    return this.layers.reduce((h, layer) => layer.forward(h), x)
  }
}

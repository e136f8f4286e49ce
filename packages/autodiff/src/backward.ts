/**
 * Reverse mode. The graph is the parent pointers of the values; backward sorts the part of it
 * that leads to what we differentiate with respect to (iteratively: a chain of any length is
 * fine), then visits it from the root down, holding one cotangent per value in a Map. Each value
 * hands its cotangent to its parents through its primitive's VJPs, and gradients reaching the
 * same value are added.
 *
 * Without createGraph, the VJPs run with recording off: gradients are plain constants and
 * nothing is recorded. With it, they are recorded like any computation, so gradients can be
 * differentiated again. Unless retainGraph (which createGraph implies), each visited value
 * drops its record, and a second pass through it is an error.
 */
import { formatShape, ones, sameShape, zeros } from '@latent/tensor'
import { checkFinite, vjpOf, type Primitive } from './ops.js'
import { add } from './functions.js'
import { isAnomalyDetectionEnabled, lift, Value, withRecording, type Input } from './value.js'

export interface BackwardOptions {
  /** The cotangent of the root; required unless the root is a scalar (then it is 1). */
  seed?: Input
  /** Record the backward pass, so the gradients can be differentiated again. */
  createGraph?: boolean
  /** Keep the graph for another backward pass (default: createGraph). */
  retainGraph?: boolean
}

function seedFor(root: Value, seed: Input | undefined): Value {
  if (seed === undefined) {
    if (root.size !== 1) {
      throw new Error(`backward: the root has shape ${formatShape(root.shape)}; ` +
        'pass a seed (its cotangent, of that shape) or reduce it to a scalar first')
    }
    return new Value(ones(root.shape, { dtype: root.dtype }))
  }
  const s = lift(seed, root.dtype)
  if (!sameShape(s.shape, root.shape)) {
    throw new Error(`backward: the seed has shape ${formatShape(s.shape)}, the root ${formatShape(root.shape)}`)
  }
  return s
}

/**
 * The values that lead from `roots` to a value for which `wanted` holds, parents before
 * children. Iterative depth-first search: no recursion, so no stack overflow on long chains.
 */
function topologicalOrder(roots: readonly Value[], wanted: (v: Value) => boolean): Value[] {
  const order: Value[] = []
  const leads = new Map<Value, boolean>() // visited, and whether a wanted value lies below
  for (const root of roots) {
    if (leads.has(root) || !root.requiresGrad) continue
    const stack: [Value, number][] = [[root, 0]]
    leads.set(root, false)
    while (stack.length > 0) {
      const top = stack[stack.length - 1]
      const [v, next] = top
      if (v.released) {
        throw new Error(`backward: the graph behind ${v.op!.name} was freed by an earlier backward pass; ` +
          'pass { retainGraph: true } to the first one to differentiate twice')
      }
      if (next < v.parents.length) {
        top[1]++
        const p = v.parents[next]
        if (p.requiresGrad && !leads.has(p)) {
          leads.set(p, false)
          stack.push([p, 0])
        }
        continue
      }
      stack.pop()
      const below = wanted(v) || v.parents.some((p) => leads.get(p) === true)
      leads.set(v, below)
      if (below) order.push(v)
    }
  }
  return order
}

/**
 * Propagates seeds from roots through the graph. `onReach(v, g)` receives the total cotangent of
 * every value for which `wanted(v)` holds; the propagation stops at leaves.
 */
function propagate(roots: readonly Value[], seeds: readonly Value[], options: BackwardOptions,
  wanted: (v: Value) => boolean, onReach: (v: Value, g: Value) => void): void {
  const createGraph = options.createGraph ?? false
  const retain = options.retainGraph ?? createGraph
  const order = topologicalOrder(roots, wanted)
  const cotangents = new Map<Value, Value>()
  const accumulate = (v: Value, g: Value): void => {
    const previous = cotangents.get(v)
    cotangents.set(v, previous ? add(previous, g) : g)
  }
  withRecording(createGraph, () => {
    roots.forEach((r, i) => accumulate(r, seeds[i]))
    for (let at = order.length - 1; at >= 0; at--) {
      const v = order[at]
      const g = cotangents.get(v)
      if (!g) continue
      cotangents.delete(v)
      if (wanted(v)) onReach(v, g)
      const op = v.op
      if (!op) continue
      v.parents.forEach((p, i) => {
        if (!p.requiresGrad) return
        const gi = vjpWithContext(op, i, g, v)
        if (!sameShape(gi.shape, p.shape)) {
          throw new Error(`backward: the VJP of ${op.name} gave input ${i} ` +
            `a gradient of shape ${formatShape(gi.shape)}; the input has shape ${formatShape(p.shape)}`)
        }
        if (isAnomalyDetectionEnabled()) checkFinite(`the gradient of ${op.name} (input ${i})`, gi.data)
        accumulate(p, gi)
      })
      if (!retain) {
        v.parents = []
        v.params = undefined
        v.released = true
      }
    }
  })
}

/** Runs one VJP; in anomaly mode, an anomaly inside it also names the VJP being computed. */
function vjpWithContext(op: Primitive, i: number, g: Value, v: Value): Value {
  if (!isAnomalyDetectionEnabled()) return vjpOf(op, i)(g, v.parents, v, v.params, i)
  try {
    return vjpOf(op, i)(g, v.parents, v, v.params, i)
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('anomaly:')) {
      e.message += `, while computing the gradient of ${op.name} (input ${i})`
    }
    throw e
  }
}

/**
 * Differentiates `root` and adds the gradient of every leaf that requires one to its `grad`
 * (gradients accumulate over calls until zeroed, as in PyTorch).
 * @example
 *   const loss = mean(square(sub(predict(x), y)))
 *   backward(loss)
 *   w.grad // dloss/dw
 */
export function backward(root: Value, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) throw new Error('backward: the root does not depend on any value that requires a gradient')
  const seed = seedFor(root, options.seed)
  propagate([root], [seed], options, (v) => v.isLeaf, (leaf, g) => {
    leaf.grad = leaf.grad ? withRecording(options.createGraph ?? false, () => add(leaf.grad!, g)) : g
  })
}

export interface GradientsOptions {
  /** Cotangents of the outputs (default: 1 for scalar outputs). */
  seeds?: readonly Input[]
  /** Record the pass, so the results can be differentiated again. */
  createGraph?: boolean
  retainGraph?: boolean
}

/**
 * The gradients of `outputs` with respect to `inputs` (leaves or intermediate values), without
 * touching any `grad` field: like torch.autograd.grad. An input the outputs do not depend on gets
 * zeros.
 * @example
 *   const [dx] = gradients([y], [x], { seeds: [ct] })
 */
export function gradients(outputs: readonly Value[], inputs: readonly Value[],
  options: GradientsOptions = {}): Value[] {
  const roots = outputs.filter((o) => o.requiresGrad)
  const seeds = outputs.map((o, i) => seedFor(o, options.seeds?.[i])).filter((_, i) => outputs[i].requiresGrad)
  const targets = new Set(inputs)
  const found = new Map<Value, Value>()
  if (roots.length > 0) propagate(roots, seeds, options, (v) => targets.has(v), (v, g) => found.set(v, g))
  return inputs.map((x) => found.get(x) ?? new Value(zeros(x.shape, { dtype: x.dtype })))
}

/**
 * A persistent pool of worker threads over the shared WASM memory (worker_threads in Node, Web
 * Workers in browsers). The calling thread always takes part: it publishes a job (a GEMM block
 * or an elementwise kernel, tasks.ts) by bumping a generation counter, runs it itself, and waits
 * until every chunk is done. Workers spin for a short while after each job before sleeping in
 * Atomics.wait, because a sleeping worker takes tens of microseconds to wake while a spinning one
 * answers in well under one.
 *
 * Failure: a worker whose task throws sets an error flag; a worker that dies, or stalls for
 * STALL_MS, marks the pool broken. The caller then recomputes the product on one thread (or
 * the lost chunks of an elementwise job: WasmGemm.splitRange), the error is reported once
 * (console.warn and getBackendInfo().threadError), and later work runs on one thread. Workers
 * are unref'ed: the pool never keeps a Node process alive.
 */
import { CONTROL, CONTROL_BYTES, runElementwise, runTasks, type ControlLayout, type KernelExports } from './tasks.js'

/** How long workers spin after a job before sleeping, and when a silent pool counts as dead. */
const SPIN_MS = 0.2
const STALL_MS = 5000

interface WorkerData {
  module: WebAssembly.Module
  /** The elementwise kernels' module (elementwise_kernel.ts), over the same memory. */
  elementwise: WebAssembly.Module
  memory: WebAssembly.Memory
  layout: ControlLayout
  spinMs: number
  epoch: number
  controlInts: number
}

/** The body of every worker. Self-contained: it is sent to the worker as source text. */
function workerMain(data: WorkerData, run: typeof runTasks, runEw: typeof runElementwise,
  report: (message: string) => void): void {
  const L = data.layout
  const imports = { env: { memory: data.memory } }
  const ex = new WebAssembly.Instance(data.module, imports).exports as unknown as KernelExports
  const ew = new WebAssembly.Instance(data.elementwise, imports).exports as Record<string, (...args: number[]) => void>
  const functions = WebAssembly.Module.exports(data.elementwise).map((e) => ew[e.name])
  const ctl = new Int32Array(data.memory.buffer, 0, data.controlInts)
  let seen = Atomics.load(ctl, L.generation)
  // Count this worker as ready, unless its pool has been replaced meanwhile.
  for (let v = Atomics.load(ctl, L.ready); v >> 8 === data.epoch; v = Atomics.load(ctl, L.ready)) {
    if (Atomics.compareExchange(ctl, L.ready, v, v + 1) === v) break
  }
  for (;;) {
    const start = performance.now()
    let g = Atomics.load(ctl, L.generation)
    while (g === seen && performance.now() - start < data.spinMs) g = Atomics.load(ctl, L.generation)
    if (g === seen) {
      Atomics.wait(ctl, L.generation, seen)
      continue
    }
    seen = g
    if (Atomics.load(ctl, L.epoch) !== data.epoch) return
    if (Atomics.load(ctl, L.crashTest) === 1) throw new Error('worker crash requested by a test')
    // Announce ourselves, then check that the job is still open: the caller closes it before
    // waiting for `inside` to drain, so it never rewrites a job that a worker is reading.
    Atomics.add(ctl, L.inside, 1)
    if (Atomics.load(ctl, L.open) === g) {
      try {
        if (ctl[L.kind] === 0) run(ctl, ex, L)
        else if (Atomics.load(ctl, L.crashTest) === 2) {
          // Tests: die holding a chunk of an elementwise job, as a worker that was lost mid-task.
          Atomics.add(ctl, L.nextChunk, 1)
          throw new Error('worker crash inside a job, requested by a test')
        } else runEw(ctl, functions, L)
      } catch (e) {
        Atomics.store(ctl, L.error, 1)
        report(String((e as Error)?.stack ?? e))
      }
    }
    Atomics.sub(ctl, L.inside, 1)
  }
}

interface PoolWorker {
  terminate(): void
}

type NodeWorkerThreads = typeof import('node:worker_threads')

function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  type Proc = { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } }
  const proc = (globalThis as { process?: Proc }).process
  return proc?.versions?.node
    ? (proc.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined) : undefined
}

/** Whether this platform can run the pool: shared memory, and workers that can use it. */
export function threadsAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false
  if (nodeWorkerThreads()) return true
  return typeof Worker !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
}

export class ThreadPool {
  private readonly workers: PoolWorker[] = []
  private readonly ctl: Int32Array
  private closing = false
  private readonly epoch: number
  /** The first failure, once the pool is unusable. */
  broken: Error | undefined

  /**
   * Starts `size - 1` workers; the calling thread is the size-th. Workers of an earlier pool on
   * the same memory may still finish the task in hand (same kernel, so that work is correct);
   * they exit at their next wake-up, when they see the new epoch.
   */
  constructor(
    module: WebAssembly.Module,
    elementwise: WebAssembly.Module,
    memory: WebAssembly.Memory,
    readonly size: number,
    private readonly onBroken: (error: Error) => void,
  ) {
    this.ctl = new Int32Array(memory.buffer, 0, CONTROL_BYTES / 4)
    const epoch = Atomics.add(this.ctl, CONTROL.epoch, 1) + 1
    this.epoch = epoch
    Atomics.store(this.ctl, CONTROL.ready, epoch << 8)
    Atomics.store(this.ctl, CONTROL.error, 0)
    Atomics.store(this.ctl, CONTROL.crashTest, 0)
    const data: WorkerData = { module, elementwise, memory, layout: CONTROL, spinMs: SPIN_MS, epoch,
      controlInts: CONTROL_BYTES / 4 }
    const fail = (e: unknown): void => this.fail(e instanceof Error ? e : new Error(String(e)))
    // NOTE: dev-time transpilers (esbuild with keepNames, as in tsx and Vitest) wrap inner
    // functions in a `__name` helper that only exists in the original module; define it.
    const prelude = 'var __name = (f) => f;\n'
    const main = `(${workerMain.toString()})`
    const node = nodeWorkerThreads()
    for (let i = 1; i < size; i++) {
      if (node) {
        // getBuiltinModule works whether the worker's code is run as a script or as a module
        // (a parent started with --input-type=module passes that on to eval workers).
        const code = `${prelude}const { workerData, parentPort } = process.getBuiltinModule('node:worker_threads');\n` +
          `${main}(workerData, ${runTasks.toString()}, ${runElementwise.toString()}, (m) => parentPort.postMessage(m))`
        const w = new node.Worker(code, { eval: true, workerData: data })
        w.on('message', (m: string) => fail(new Error(`a worker's task failed: ${m}`)))
        w.on('error', fail)
        w.on('exit', (code: number) => { if (!this.closing) fail(new Error(`a worker exited (code ${code})`)) })
        w.unref()
        this.workers.push(w)
      } else {
        const code = `${prelude}onmessage = (e) => ${main}(e.data, ${runTasks.toString()}, ` +
          `${runElementwise.toString()}, (m) => postMessage(m))`
        const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })))
        w.onmessage = (e: MessageEvent<string>) => fail(new Error(`a worker's task failed: ${e.data}`))
        w.onerror = (e: ErrorEvent) => fail(new Error(e.message))
        w.postMessage(data)
        this.workers.push(w)
      }
    }
  }

  /** Workers that have instantiated the kernel and can take tasks. */
  get ready(): number {
    const v = Atomics.load(this.ctl, CONTROL.ready)
    return v >> 8 === this.epoch ? v & 255 : 0
  }

  /**
   * Closes the current job and waits until no worker is inside it, so the caller may write the
   * next job's parameters. Returns false if the pool is unusable.
   */
  prepare(): boolean {
    if (this.broken) return false
    Atomics.store(this.ctl, CONTROL.open, 0)
    return this.waitUntil(() => Atomics.load(this.ctl, CONTROL.inside) === 0)
  }

  /**
   * Publishes the prepared job: workers start claiming its tasks. The caller may still finish
   * preparing it (staging A, which the tasks wait for) before calling `finish`.
   */
  start(): void {
    const ctl = this.ctl
    const g = Atomics.load(ctl, CONTROL.generation) + 1
    Atomics.store(ctl, CONTROL.open, g)
    Atomics.store(ctl, CONTROL.generation, g)
    Atomics.notify(ctl, CONTROL.generation)
  }

  /**
   * Takes part in the published job (`work` runs this thread's share: runTasks or
   * runElementwise) and waits for it; false if the pool broke meanwhile.
   */
  finish(work: () => void): boolean {
    const ctl = this.ctl
    const L = CONTROL
    work()
    const chunks = ctl[L.chunks]
    // A worker whose task threw will not complete its chunk: stop waiting at once.
    const settled = (): boolean => Atomics.load(ctl, L.doneChunk) >= chunks || Atomics.load(ctl, L.error) !== 0
    if (!this.waitUntil(settled)) return false
    if (Atomics.load(ctl, L.error)) {
      this.fail(new Error("a worker's task failed"))
      return false
    }
    return true
  }

  /** Spins until `done()`, giving up (and breaking the pool) after STALL_MS without it. */
  private waitUntil(done: () => boolean): boolean {
    if (done()) return true
    const start = performance.now()
    while (!done()) {
      if (this.broken) return false
      if (performance.now() - start > STALL_MS) {
        this.fail(new Error(`the worker pool made no progress for ${STALL_MS} ms`))
        return false
      }
    }
    return true
  }

  private fail(error: Error): void {
    if (this.broken || this.closing) return
    this.broken = error
    this.close()
    // A broken pool's workers may hold claimed tasks: stop them outright.
    for (const w of this.workers) w.terminate()
    this.onBroken(error)
  }

  /**
   * Tests only: makes every worker throw at its next wake-up, or (`insideElementwise`) when it
   * joins an elementwise job, after claiming a chunk it will never complete.
   */
  crashWorkersForTesting(insideElementwise = false): void {
    Atomics.store(this.ctl, CONTROL.crashTest, insideElementwise ? 2 : 1)
    if (insideElementwise) return
    Atomics.add(this.ctl, CONTROL.generation, 1)
    Atomics.notify(this.ctl, CONTROL.generation)
  }

  /** Asks the workers to exit (at their next wake-up, which this triggers). */
  close(): void {
    if (this.closing) return
    this.closing = true
    Atomics.add(this.ctl, CONTROL.epoch, 1)
    Atomics.add(this.ctl, CONTROL.generation, 1)
    Atomics.notify(this.ctl, CONTROL.generation)
  }
}

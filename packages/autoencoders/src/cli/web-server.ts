/**
 * The local web server of `latent serve`, on node:http alone. It serves three things and nothing
 * else: the training page (the static files in packages/autoencoders/web/), the built ESM of the
 * four packages (their dist/ folders, under /modules/<name>/), and the data the page trains on
 * (/data.json describes it, /data.bin holds it). Every response carries the cross-origin isolation
 * headers, so that the page, its training worker and the kernels' own workers get shared WASM
 * memory: threads, and relaxed SIMD where the browser has it (README, "In a browser").
 *
 * /data.bin is little-endian: the training rows' pixels (float32, row after row), the test rows'
 * pixels (float32), the training labels (int32), the test labels (int32). /data.json gives the
 * row counts, the width, the image shape, the class names, where the data came from (so that the
 * page's checkpoint names it as `latent train` would) and the defaults of `latent train`.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { type AddressInfo } from 'node:net'
import { dirname, extname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ADAM_OPTIONS } from '@latent/nn'
import { MODEL_OPTIONS } from '../spec.js'
import { type DataOptions, RUN_OPTIONS, type Splits } from './experiment/index.js'

/**
 * The packages the page imports, lowest layer first; each is served under /modules/<name>/.
 * @example WEB_PACKAGES.map((name) => `/modules/${name}/index.js`)
 */
export const WEB_PACKAGES = ['tensor', 'autodiff', 'nn', 'autoencoders'] as const

/** This package's folder: this file is in its src/cli/ (or, built, dist/cli/). */
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url))

/** The page's static files. */
const WEB_DIR = join(PACKAGE_DIR, 'web')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

/** Sent with every response. COOP and COEP make the page cross-origin isolated (SharedArrayBuffer). */
const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  // A rebuilt package shows on the next reload.
  'Cache-Control': 'no-cache',
}

/**
 * The dist/ folder of one of the packages, found as Node finds a package: in node_modules beside
 * this package or in a folder above it (the workspace links them there; an install puts them there).
 * @example distDir('tensor') // '/work/latent/packages/tensor/dist'
 */
export function distDir(name: (typeof WEB_PACKAGES)[number]): string {
  if (name === 'autoencoders') return join(PACKAGE_DIR, 'dist')
  for (let dir = PACKAGE_DIR; ; dir = dirname(dir)) {
    const installed = join(dir, 'node_modules', '@latent', name)
    if (existsSync(join(installed, 'package.json'))) return join(realpathSync(installed), 'dist')
    if (dirname(dir) === dir) throw new Error(`@latent/${name} is not installed beside @latent/autoencoders`)
  }
}

/**
 * Throws, saying how to build them, unless the packages' built ESM is there to serve.
 * @example checkBuilt()
 */
export function checkBuilt(): void {
  const missing = WEB_PACKAGES.filter((name) => !existsSync(join(distDir(name), 'index.js')))
  if (missing.length > 0) {
    throw new Error(`the page needs the built packages (${missing.map((n) => `@latent/${n}`).join(', ')} ` +
      'have no dist/index.js): run pnpm build first')
  }
}

/**
 * A module's text with the bare '@latent/<name>' imports made into the URLs the page's import map
 * gives them. NOTE: module workers do not read the page's import map (Chromium 156 neither), so the
 * training worker could not load the packages otherwise; the page's own imports resolve to the same
 * URLs, so each package is one module either way.
 * @example webImports("import { Tensor } from '@latent/tensor'") // "... from '/modules/tensor/index.js'"
 */
export function webImports(code: string): string {
  const bare = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])@latent\/(tensor|autodiff|nn|autoencoders)\2/g
  return code.replace(bare, (_, lead: string, q: string, name: string) => `${lead}${q}/modules/${name}/index.js${q}`)
}

/** The file at `segments` under `root`, or undefined: no '..', no hidden files, nothing outside `root`. */
function fileUnder(root: string, segments: string[]): string | undefined {
  if (segments.length === 0 || segments.some((s) => s === '' || s.startsWith('.') || /[\\/\0]/.test(s))) {
    return undefined
  }
  const file = join(root, ...segments)
  try {
    const real = realpathSync(file)
    return real.startsWith(realpathSync(root) + sep) && statSync(real).isFile() ? real : undefined
  } catch {
    return undefined
  }
}

/** What /data.json and /data.bin hold: the splits' description and their bytes, made once. */
function dataPayload(splits: Splits, source: DataOptions): { json: string; bin: Uint8Array[] } {
  const { train, test } = splits
  const features = train.x.shape[1]
  const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
  const pixels = (x: Splits['train']['x']): Uint8Array =>
    bytes(x.dtype === 'float32' ? x.data : Float32Array.from(x.data))
  const code = Math.max(1, Math.min(8, Math.floor(features / 2)))
  const json = JSON.stringify({
    name: train.name,
    rows: { train: train.x.shape[0], test: test.x.shape[0] },
    features,
    image: train.image,
    classes: train.classes,
    source,
    // `latent train`'s defaults (its sizes for data of this width: withData in experiment/run.ts).
    defaults: {
      sizes: [features, Math.min(32, features), code],
      lr: ADAM_OPTIONS.lr.default,
      epochs: RUN_OPTIONS.epochs.default,
      batchSize: RUN_OPTIONS.batchSize.default,
      validation: RUN_OPTIONS.validation.default,
      seed: MODEL_OPTIONS.seed.default,
    },
  })
  return { json, bin: [pixels(train.x), pixels(test.x), bytes(train.labels), bytes(test.labels)] }
}

export interface WebServerOptions {
  /** The splits to serve: their training and test sets (the page holds a class out itself). */
  splits: Splits
  /** Where the splits came from, for the checkpoints the page exports. */
  source: DataOptions
  /** 0 for any free port. */
  port: number
  host?: string
}

export interface WebServer {
  /** The page's address, like http://127.0.0.1:8080/. */
  url: string
  server: Server
  /** Stops listening and closes the open connections. */
  close(): Promise<void>
}

/**
 * Starts the server; resolves once it listens. A port in use is an error that says so.
 * @example
 *   const web = await startWebServer({ splits: loadSplits({ data: 'digits' }), source: { data: 'digits' }, port: 0 })
 *   console.log(web.url); await web.close()
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1'
  const data = dataPayload(options.splits, options.source)
  const roots: Record<string, string> = Object.fromEntries(WEB_PACKAGES.map((n) => [n, distDir(n)]))

  const send = (res: ServerResponse, status: number, type: string, body: string | Uint8Array[]): void => {
    const parts = typeof body === 'string' ? [Buffer.from(body)] : body
    res.writeHead(status, {
      ...HEADERS, 'Content-Type': type, 'Content-Length': parts.reduce((n, p) => n + p.byteLength, 0),
    })
    if (res.req.method === 'HEAD') res.end()
    else {
      for (const p of parts) res.write(p)
      res.end()
    }
  }
  const notFound = (res: ServerResponse): void => send(res, 404, 'text/plain; charset=utf-8', 'not found\n')
  const sendFile = (res: ServerResponse, file: string | undefined): void => {
    if (!file) return notFound(res)
    const type = TYPES[extname(file)] ?? 'application/octet-stream'
    const body = type.startsWith('text/javascript') ? webImports(readFileSync(file, 'utf8')) : readFileSync(file)
    send(res, 200, type, typeof body === 'string' ? body : [body])
  }

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'only GET and HEAD\n')
    }
    let segments: string[]
    try {
      // Dot segments are resolved by the URL parser; encoded ones (%2e%2e, %2f) are refused below.
      segments = new URL(req.url ?? '/', 'http://localhost').pathname.split('/').slice(1).map(decodeURIComponent)
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'bad request\n')
    }
    const [first, ...rest] = segments
    if (segments.length === 1 && (first === '' || first === 'index.html')) {
      return sendFile(res, fileUnder(WEB_DIR, ['index.html']))
    }
    if (segments.length === 1 && first === 'data.json') return send(res, 200, TYPES['.json'], data.json)
    if (segments.length === 1 && first === 'data.bin') return send(res, 200, 'application/octet-stream', data.bin)
    if (first === 'web') return sendFile(res, fileUnder(WEB_DIR, rest))
    if (first === 'modules' && Object.hasOwn(roots, rest[0] ?? '')) {
      return sendFile(res, fileUnder(roots[rest[0]], rest.slice(1)))
    }
    notFound(res)
  }

  const server = createServer((req, res) => {
    try {
      handle(req, res)
    } catch (e) {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `${(e as Error).message}\n`)
      else res.destroy()
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const where = `${host}:${options.port}`
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${options.port} is in use on ${host}: choose another with --port`
        : e.code === 'EACCES' ? `no permission to listen on ${where}: choose a port above 1023 with --port`
          : `cannot listen on ${where}: ${e.message}`))
    })
    server.listen(options.port, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const shown = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shown}:${port}/`,
    server,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}

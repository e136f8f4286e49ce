/**
 * `latent serve` without a browser: the page and every module it loads (followed from the HTML,
 * the import map and each module's imports) are served with the cross-origin isolation headers
 * and their content types; the data endpoints hold the digits; anything else is a 404, and no
 * path reaches outside the served folders. scripts/browser-serve.mjs runs the page in Chromium.
 * The modules are the packages' dist/: `pnpm check` builds them before the tests; without a
 * build, the tests that need them are skipped.
 */
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import { request } from 'node:http'
import { type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSplits } from '../src/cli/experiment/index.js'
import { main, type Io } from '../src/cli/main.js'
import { distDir, startWebServer, WEB_PACKAGES, webImports, type WebServer } from '../src/cli/web-server.js'

const built = WEB_PACKAGES.every((name) => existsSync(join(distDir(name), 'index.js')))

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** A request with the path sent exactly as written (fetch would resolve '..' before sending it). */
function get(web: WebServer, path: string, method = 'GET'): Promise<Reply> {
  const { port } = web.server.address() as AddressInfo
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The URLs a page or module refers to: scripts, styles, the import map's targets, imports, workers. */
function references(path: string, text: string, importMap: Record<string, string>): string[] {
  const found: string[] = []
  if (path.endsWith('.js')) {
    // Comments hold examples, not imports.
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
    // Statements (import/export ... from, bare import) at a line's start, dynamic imports, workers' URLs.
    const statement = /^\s*(?:import|export)\b[^'"]*?\bfrom\s*|^\s*import\s*/.source
    const imports = new RegExp(`(?:${statement}|\\bimport\\(\\s*|new URL\\(\\s*)['"]([^'"]+)['"]`, 'gm')
    for (const m of code.matchAll(imports)) found.push(m[1])
  } else {
    for (const m of text.matchAll(/\s(?:src|href)="([^"#][^"]*)"/g)) if (!m[1].startsWith('data:')) found.push(m[1])
    const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(text)
    if (map) Object.assign(importMap, (JSON.parse(map[1]) as { imports: Record<string, string> }).imports)
    found.push(...Object.values(importMap))
  }
  return found.map((spec) => importMap[spec] ?? new URL(spec, `http://x${path}`).pathname)
}

describe('latent serve', () => {
  const splits = loadSplits({ data: 'digits' })
  let web: WebServer
  beforeAll(async () => {
    web = await startWebServer({ splits, source: { data: 'digits' }, port: 0 })
  })
  afterAll(() => web.close())

  it('listens on 127.0.0.1 and gives the page with its headers', async () => {
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const page = await get(web, '/')
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin')
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp')
    expect(page.body.toString()).toContain('<script type="importmap">')
    const head = await get(web, '/', 'HEAD')
    expect([head.status, head.body.length, head.headers['content-length']]).toEqual([200, 0, String(page.body.length)])
    expect((await get(web, '/', 'POST')).status).toBe(405)
  })

  it.skipIf(!built)('serves every asset the page refers to, transitively, isolated and typed', async () => {
    const types: Record<string, string> = {
      '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
    }
    const importMap: Record<string, string> = {}
    const seen = new Set<string>()
    const queue = ['/']
    while (queue.length > 0) {
      const path = queue.shift()!
      if (seen.has(path)) continue
      seen.add(path)
      const r = await get(web, path)
      expect(r.status, path).toBe(200)
      expect(r.headers['cross-origin-opener-policy'], path).toBe('same-origin')
      expect(r.headers['cross-origin-embedder-policy'], path).toBe('require-corp')
      const ext = path === '/' ? '.html' : /\.\w+$/.exec(path)?.[0] ?? ''
      expect(r.headers['content-type'], path).toBe(types[ext])
      const text = r.body.toString()
      // Module workers have no import map: no bare name may be left for them.
      if (ext === '.js') expect(text, path).not.toMatch(/\bfrom\s*['"]@latent\//)
      queue.push(...references(path, text, importMap))
    }
    expect(Object.keys(importMap).sort()).toEqual(WEB_PACKAGES.map((n) => `@latent/${n}`).sort())
    expect([...seen]).toEqual(expect.arrayContaining([
      '/web/style.css', '/web/page.js', '/web/worker.js', ...WEB_PACKAGES.map((n) => `/modules/${n}/index.js`),
      '/modules/nn/train/loop.js', '/modules/autoencoders/plots/svg.js', '/modules/autodiff/ops.js',
    ]))
    // The kernels' modules, which the worker reaches through the packages' own imports.
    expect([...seen].filter((p) => p.startsWith('/modules/tensor/kernels/wasm/')).length).toBeGreaterThan(5)
  })

  it('sends the digits: /data.json describes them, /data.bin holds the splits', async () => {
    const meta = JSON.parse((await get(web, '/data.json')).body.toString())
    expect(meta).toMatchObject({
      name: 'UCI digits', features: 64, image: [8, 8], classes: [...'0123456789'], source: { data: 'digits' },
      defaults: { sizes: [64, 32, 8], lr: 0.001, epochs: 20, batchSize: 64, validation: 0.1, seed: 0 },
    })
    const { train, test } = splits
    expect(meta.rows).toEqual({ train: train.x.shape[0], test: test.x.shape[0] })
    expect(meta.rows.train + meta.rows.test).toBe(1797)
    const r = await get(web, '/data.bin')
    expect(r.headers['content-type']).toBe('application/octet-stream')
    expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp')
    const bytes = new Uint8Array(r.body).slice().buffer
    const pixels = new Float32Array(bytes, 0, 1797 * 64)
    const labels = new Int32Array(bytes, 1797 * 64 * 4)
    expect(bytes.byteLength).toBe(1797 * 65 * 4)
    expect(pixels.subarray(0, train.x.size)).toEqual(train.x.data)
    expect(pixels.subarray(train.x.size)).toEqual(test.x.data)
    expect(labels).toEqual(Int32Array.from([...train.labels, ...test.labels]))
  })

  it('answers 404 to anything else, and never reaches outside its folders', async () => {
    const paths = [
      '/nothing', '/index.htm', '/web/', '/web/nothing.js', '/modules/tensor/', '/modules/tensor/nothing.js',
      '/modules/vitest/index.js', '/modules/', '/package.json', '/data.json/x', '/web/.hidden',
      // traversal, plain and encoded
      '/../../package.json', '/web/../../package.json', '/web/../web/../../../package.json',
      '/web/%2e%2e/package.json', '/web/%2e%2e/%2e%2e/package.json', '/web/..%2f..%2fpackage.json',
      '/web/..%5c..%5cpackage.json', '/modules/tensor/%2e%2e/package.json', '/modules/tensor/..%2fpackage.json',
      '/modules/tensor/..%2f..%2f..%2fpackage.json', '/modules/..%2f..%2fpackage.json', '/web/%00page.js',
      '/web//etc/passwd', '/modules/tensor//etc/passwd', '/modules/tensor/%2fetc%2fpasswd',
    ]
    for (const path of paths) {
      const r = await get(web, path)
      expect(r.status, path).toBe(404)
      expect(r.body.toString(), path).not.toMatch(/"name"|root:/)
      expect(r.headers['cross-origin-embedder-policy'], path).toBe('require-corp')
    }
    expect((await get(web, '/web/%E0%A4%A')).status).toBe(400) // not UTF-8
  })
})

describe('webImports', () => {
  it('gives bare package names the import map\'s URLs, and leaves the rest', () => {
    const code = [
      "import * as T from '@latent/tensor'", 'export { Adam } from "@latent/nn"', "import '@latent/autodiff'",
      "const m = await import('@latent/autoencoders')", "import { x } from '@latent/nn/node'",
      "throw new Error('@latent/tensor: a message')", "import { y } from './local.js'",
    ].join('\n')
    expect(webImports(code).split('\n')).toEqual([
      "import * as T from '/modules/tensor/index.js'", 'export { Adam } from "/modules/nn/index.js"',
      "import '/modules/autodiff/index.js'", "const m = await import('/modules/autoencoders/index.js')",
      "import { x } from '@latent/nn/node'", "throw new Error('@latent/tensor: a message')",
      "import { y } from './local.js'",
    ])
  })
})

describe.skipIf(!built)('the serve command', () => {
  function io(): Io & { out: () => string; err: () => string } {
    let out = ''
    let err = ''
    return {
      stdout: { write: (s) => void (out += s) }, stderr: { write: (s) => void (err += s) }, signal: { aborted: false },
      out: () => out, err: () => err,
    }
  }

  it('prints the URL, serves until the signal, and stops', async () => {
    const session = io()
    const running = main(['serve', '--port', '0'], session)
    for (let t = 0; t < 200 && !session.out().includes('http://'); t++) await new Promise((r) => setTimeout(r, 25))
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(session.out())?.[0]
    expect(url, session.err()).toBeDefined()
    expect((await fetch(url!)).headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(session.signal.notice).toBe('stopping the server')
    session.signal.aborted = true
    expect(await running).toBe(0)
    await expect(fetch(url!)).rejects.toThrow()
  })

  it('says in one line that a port is taken, and refuses a bad one', async () => {
    const other = createServer()
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const { port } = other.address() as AddressInfo
    try {
      const session = io()
      expect(await main(['serve', '--port', String(port)], session)).toBe(1)
      expect(session.err()).toBe(`latent serve: port ${port} is in use on 127.0.0.1: choose another with --port\n`)
    } finally {
      other.close()
    }
    const session = io()
    expect(await main(['serve', '--port', '70000'], session)).toBe(2)
    expect(session.err()).toMatch(/^latent serve: --port must be from 0 to 65535, got 70000\n$/)
    expect(await main(['serve', '--holdout', '9'], session)).toBe(2)
  })
})

// What the browser scripts (browser-smoke.mjs, browser-serve.mjs) share about headless Chromium:
// finding it, starting it in a process group of its own with a temporary profile, stopping the
// whole group and removing the profile, and a timeout that names what took too long.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The Chromium to run ($CHROMIUM first), or undefined when there is none. */
export function findChromium() {
  return [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome']
    .find((c) => c && spawnSync(c, ['--version']).status === 0)
}

/**
 * Starts headless Chromium with `args` and a fresh profile, in a process group of its own so that
 * its helper processes stop with it; `stop()` ends the group and removes the profile (`label`
 * names the script in the warning when a helper still holds the profile: not a test failure).
 */
export function startChromium(browser, args, stdio, label) {
  const profile = mkdtempSync(join(tmpdir(), 'latent-chromium-'))
  const chrome = spawn(browser, ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
    `--user-data-dir=${profile}`, ...args], { stdio, detached: true })
  const stop = async () => {
    const exited = new Promise((r) => chrome.once('exit', r))
    try {
      process.kill(-chrome.pid, 'SIGTERM') // the whole group: the browser and its helpers
    } catch {
      chrome.kill() // the group is gone already
    }
    await exited
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })
    } catch (e) {
      console.warn(`${label}: could not remove the temporary profile ${profile}: ${e.message}`)
    }
  }
  return { chrome, stop }
}

/** `promise` within `ms`, or an error naming what took too long. */
export function within(ms, what, promise) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Checkpoint files (Node only). Writes are atomic: the bytes go to a temporary file in the
 * same directory, which is flushed to disk and then renamed over the target, so a crash at any
 * moment leaves either the previous checkpoint or the new one, never a damaged file.
 */
import {
  closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Module } from '../module.js'
import type { Optimizer } from '../optim/optimizer.js'
import { restoreCheckpoint, serializeCheckpoint } from '../checkpoint.js'

let counter = 0

/**
 * Writes `bytes` to `path` atomically (temporary file, fsync, rename). A folder at `path` is
 * refused by name (rename would say EISDIR).
 * @example writeFileAtomic('model.safetensors', bytes)
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`${path} is a folder: name a file to write`)
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`)
  let fd: number | undefined
  try {
    fd = openSync(tmp, 'w')
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(tmp, path)
  } catch (e) {
    if (fd !== undefined) closeSync(fd)
    rmSync(tmp, { force: true })
    throw e
  }
  // Make the rename itself durable (not supported on every platform; best effort).
  try {
    const dir = openSync(dirname(path), 'r')
    try {
      fsyncSync(dir)
    } finally {
      closeSync(dir)
    }
  } catch {
    // ignored: some systems cannot fsync a directory
  }
}

/**
 * Deletes the temporary files that writeFileAtomic left beside `path` when its process was killed
 * mid-write (SIGKILL, a power cut): those of processes no longer running. Returns their names.
 * @example removeStaleTemporaries('runs/dae/checkpoint.safetensors')
 */
export function removeStaleTemporaries(path: string): string[] {
  const name = basename(path)
  // .<name>.<pid>.<time>.<counter>.tmp, as writeFileAtomic names them
  const ours = (n: string): number | undefined => {
    const parts = n.startsWith(`.${name}.`) && n.endsWith('.tmp') ? n.slice(name.length + 2, -4).split('.') : []
    return parts.length === 3 && parts.every((p) => /^\d+$/.test(p)) ? Number(parts[0]) : undefined
  }
  let names: string[]
  try {
    names = readdirSync(dirname(path))
  } catch {
    return [] // no folder yet: nothing left behind
  }
  const alive = (pid: number): boolean => {
    if (pid === process.pid) return true
    try {
      process.kill(pid, 0)
      return true
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM' // running, as another user
    }
  }
  const stale = names.filter((n) => {
    const pid = ours(n)
    return pid !== undefined && !alive(pid)
  })
  for (const n of stale) rmSync(join(dirname(path), n), { force: true })
  return stale
}

/**
 * Saves a checkpoint of `model` (and `optimizer`) to a safetensors file, atomically.
 * @example
 *   saveCheckpoint('out/checkpoint.safetensors', model, { optimizer, metadata: { epoch: '3' } })
 */
export function saveCheckpoint(path: string, model: Module,
  options: { optimizer?: Optimizer; metadata?: Record<string, string> } = {}): void {
  writeFileAtomic(path, serializeCheckpoint(model, options))
}

/**
 * Loads a checkpoint file into `model` (and `optimizer`); returns its metadata. On any problem
 * (missing file, corruption, mismatch) it throws and changes nothing.
 * @example
 *   const { metadata } = loadCheckpoint('out/checkpoint.safetensors', model, { optimizer })
 */
export function loadCheckpoint(path: string, model: Module,
  options: { optimizer?: Optimizer; strict?: boolean } = {}): { metadata: Record<string, string> } {
  return restoreCheckpoint(model, readFileSync(path), options)
}

import type { FileEntry, FileStore } from './files'
import { normalizeSitePath } from './paths'
import { VServerError } from './types'

const encoder = new TextEncoder()
const TWO_32 = 0x1_0000_0000

/**
 * FNV-1a 64 of the bytes as 16 hex digits: synchronous and free of
 * crypto.subtle, which an insecure context (a host page on a LAN IP) lacks.
 * The 64-bit state is two 32-bit halves; prime 2^40 + 0x1b3, so h * prime is
 * h * 0x1b3 plus the low half shifted 8 into the high half.
 */
export function fnv1a64(data: Uint8Array): string {
  let hi = 0xCBF29CE4
  let lo = 0x84222325
  for (let i = 0; i < data.byteLength; i++) {
    lo ^= data[i] ?? 0
    const low = (lo >>> 0) * 0x1B3
    hi = (Math.imul(hi, 0x1B3) + Math.floor(low / TWO_32) + (lo << 8)) >>> 0
    lo = low >>> 0
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0')
}

/** The strong ETag of some content: its size and FNV-1a 64, quoted, e.g. `"d-85944171f73967e8"`. */
export function contentEtag(data: Uint8Array): string {
  return `"${data.byteLength.toString(16)}-${fnv1a64(data)}"`
}

/** Options of `MemoryFileStore`. */
export interface MemoryFileStoreOptions {
  /** The clock that stamps `mtime` (default `Date.now`); tests pass a fixed one. */
  now?: () => number
}

/** A store path: site-relative and normalised; a leading slash is refused rather than dropped (400). */
function storePath(path: string): string {
  if (path.startsWith('/')) throw new VServerError(400, `a file path must be site-relative, without a leading slash: ${JSON.stringify(path)}`)
  return normalizeSitePath(path)
}

/**
 * A FileStore in a Map: a tab's site until the Yjs-backed store lands, and
 * the store of tests. Invalid paths (absolute, `..`, `.`, empty segments,
 * backslash, NUL) throw `VServerError(400)` from every method but `list`.
 * Reads return a copy, so a caller that transfers or mutates the buffer
 * cannot change the stored file.
 */
export class MemoryFileStore implements FileStore {
  private readonly files = new Map<string, { entry: FileEntry, data: Uint8Array }>()
  private readonly now: () => number

  constructor(options: MemoryFileStoreOptions = {}) {
    this.now = options.now ?? Date.now
  }

  async stat(path: string): Promise<FileEntry | null> {
    const file = this.files.get(storePath(path))
    return file ? { ...file.entry } : null
  }

  async read(path: string): Promise<Uint8Array | null> {
    return (await this.view(path))?.slice() ?? null
  }

  async view(path: string): Promise<Uint8Array | null> {
    return this.files.get(storePath(path))?.data ?? null
  }

  async list(prefix = ''): Promise<FileEntry[]> {
    return [...this.files.values()]
      .map(file => ({ ...file.entry }))
      .filter(entry => entry.path.startsWith(prefix))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  async write(path: string, data: Uint8Array | string): Promise<FileEntry> {
    const normalized = storePath(path)
    const bytes = typeof data === 'string' ? encoder.encode(data) : data.slice()
    const entry: FileEntry = { path: normalized, size: bytes.byteLength, etag: contentEtag(bytes), mtime: this.now() }
    this.files.set(normalized, { entry, data: bytes })
    return { ...entry }
  }

  async delete(path: string): Promise<boolean> {
    return this.files.delete(storePath(path))
  }
}

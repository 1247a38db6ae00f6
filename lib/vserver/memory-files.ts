import type { FileEntry, FileStore } from './files'
import { normalizeSitePath } from './paths'

const encoder = new TextEncoder()

/** FNV-1a over the bytes, 32-bit, twice with different offsets: a cheap, content-derived validator. */
function fingerprint(data: Uint8Array): string {
  let a = 0x811C9DC5
  let b = 0x01000193 ^ data.byteLength
  for (let i = 0; i < data.byteLength; i++) {
    const byte = data[i] ?? 0
    a = Math.imul(a ^ byte, 0x01000193)
    b = Math.imul(b ^ byte, 0x5BD1E995)
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36)
}

/** A FileStore in memory: a tab's site until the Yjs-backed store lands. */
export class MemoryFileStore implements FileStore {
  private readonly files = new Map<string, { entry: FileEntry, data: Uint8Array }>()

  async stat(path: string): Promise<FileEntry | null> {
    const file = this.files.get(normalizeSitePath(path))
    return file ? { ...file.entry } : null
  }

  async read(path: string): Promise<Uint8Array | null> {
    return this.files.get(normalizeSitePath(path))?.data ?? null
  }

  async list(prefix = ''): Promise<FileEntry[]> {
    return [...this.files.values()]
      .map(file => ({ ...file.entry }))
      .filter(entry => entry.path.startsWith(prefix))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  async write(path: string, data: Uint8Array | string): Promise<FileEntry> {
    const normalized = normalizeSitePath(path)
    const bytes = typeof data === 'string' ? encoder.encode(data) : data.slice()
    const entry: FileEntry = { path: normalized, size: bytes.byteLength, etag: `"${bytes.byteLength.toString(36)}-${fingerprint(bytes)}"`, mtime: Date.now() }
    this.files.set(normalized, { entry, data: bytes })
    return { ...entry }
  }

  async delete(path: string): Promise<boolean> {
    return this.files.delete(normalizeSitePath(path))
  }
}

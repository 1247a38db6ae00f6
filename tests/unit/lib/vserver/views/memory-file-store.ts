import type { FileEntry, FileStore } from '../../../../../lib/vserver/files'

/** A tiny FileStore for view tests (until lib/vserver/memory-files.ts lands); counts reads so tests can see the cache. */
export class TestFileStore implements FileStore {
  private readonly files = new Map<string, { data: Uint8Array, entry: FileEntry }>()
  private version = 0
  reads = 0

  constructor(initial: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(initial)) void this.write(path, text)
  }

  async stat(path: string): Promise<FileEntry | null> {
    const file = this.files.get(path)
    return file ? { ...file.entry } : null
  }

  async read(path: string): Promise<Uint8Array | null> {
    this.reads++
    return this.files.get(path)?.data.slice() ?? null
  }

  async list(prefix = ''): Promise<FileEntry[]> {
    return [...this.files.values()].map(file => file.entry).filter(entry => entry.path.startsWith(prefix)).sort((a, b) => a.path.localeCompare(b.path))
  }

  async write(path: string, data: Uint8Array | string): Promise<FileEntry> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice()
    const entry: FileEntry = { path, size: bytes.byteLength, etag: `"v${++this.version}"`, mtime: Date.now() }
    this.files.set(path, { data: bytes, entry })
    return entry
  }

  async delete(path: string): Promise<boolean> {
    return this.files.delete(path)
  }
}

/** Metadata of one file of a site. `path` is site-relative with no leading slash, e.g. `public/index.html`. */
export interface FileEntry {
  path: string
  size: number
  /** A strong validator that changes whenever the content changes (quoted, as sent in `ETag`). */
  etag: string
  /** Last modification, milliseconds since the epoch. */
  mtime: number
}

/**
 * Where a site's files live. The in-memory store implements it now; the
 * Yjs-backed site document implements it later. Paths are site-relative.
 */
export interface FileStore {
  /** Metadata of a file, or null when there is none at `path`. */
  stat(path: string): Promise<FileEntry | null>
  /** Content of a file, or null when there is none at `path`. */
  read(path: string): Promise<Uint8Array | null>
  /**
   * The stored content itself, with no copy, for a caller that only reads it
   * and never mutates or transfers it (serving a large file); or null. Stores
   * without it are read with `read`.
   */
  view?(path: string): Promise<Uint8Array | null>
  /** Every file whose path starts with `prefix` (all files when omitted), sorted by path. */
  list(prefix?: string): Promise<FileEntry[]>
  /** Create or replace a file; strings are stored as UTF-8. */
  write(path: string, data: Uint8Array | string): Promise<FileEntry>
  /** Remove a file; false when there was none. */
  delete(path: string): Promise<boolean>
  /** Hear which paths changed, whoever changed them; returns the unsubscribe function. Stores that cannot tell leave it out. */
  onChange?(listener: (paths: string[]) => void): () => void
}

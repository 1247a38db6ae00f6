import * as Y from 'yjs'
import { normalizeSitePath } from '../vserver/paths'
import { VServerError } from '../vserver/types'

/** The largest file a site may hold. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024

/** One file as the `files` map holds it: its entry map, and the text or the bytes. */
export type FileRecord =
  /** `text` is the shared draft the editors bind to; `saved` is what visitors get (null: an entry from before drafts, serve `text`). */
  | { kind: 'text', map: Y.Map<unknown>, text: Y.Text, saved: string | null, mtime: number }
  | { kind: 'binary', map: Y.Map<unknown>, data: Uint8Array, mtime: number }

/**
 * Read an entry of the `files` map. Entries may come from a remote peer, so
 * the shape is checked; anything else (an older or broken peer) reads as no file.
 */
export function readRecord(value: unknown): FileRecord | null {
  if (!(value instanceof Y.Map)) return null
  const map: Y.Map<unknown> = value
  const stamp = map.get('mtime')
  const mtime = typeof stamp === 'number' && Number.isFinite(stamp) ? stamp : 0
  const kind = map.get('kind')
  const text = map.get('text')
  const saved = map.get('saved')
  if (kind === 'text' && text instanceof Y.Text) return { kind, map, text, saved: typeof saved === 'string' ? saved : null, mtime }
  const data = map.get('data')
  if (kind === 'binary' && data instanceof Uint8Array) return { kind, map, data, mtime }
  return null
}

/** The text visitors get: the last saved version. */
export function servedText(record: FileRecord & { kind: 'text' }): string {
  return record.saved ?? record.text.toString()
}

/**
 * A new entry for the `files` map: a string becomes a Y.Text (saved as it
 * is, unless a different `saved` version is given), bytes are kept as they
 * are (not copied).
 */
export function newEntry(content: string | Uint8Array, mtime: number, saved?: string): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  if (typeof content === 'string') {
    map.set('kind', 'text')
    map.set('text', new Y.Text(content))
    map.set('saved', saved ?? content)
  }
  else {
    map.set('kind', 'binary')
    map.set('data', content)
  }
  map.set('mtime', mtime)
  return map
}

/** A copy of an entry for a new place (a Y.Text cannot move between parents), draft and saved version alike. */
export function copyEntry(record: FileRecord): Y.Map<unknown> {
  return record.kind === 'text'
    ? newEntry(record.text.toString(), record.mtime, servedText(record))
    : newEntry(record.data, record.mtime)
}

/** A store path: site-relative and normalised; a leading slash is refused rather than dropped (400). */
export function storePath(path: string): string {
  if (path.startsWith('/')) throw new VServerError(400, `a file path must be site-relative, without a leading slash: ${JSON.stringify(path)}`)
  return normalizeSitePath(path)
}

/** Refuse a file over `MAX_FILE_BYTES` (413). */
export function checkFileSize(path: string, size: number): void {
  if (size <= MAX_FILE_BYTES) return
  // Rounded up, so a file just over the limit does not read as "50.0 MiB".
  const mib = (Math.ceil(size / 1024 / 1024 * 10) / 10).toFixed(1)
  throw new VServerError(413, `${path} is ${mib} MiB; a file may be at most ${MAX_FILE_BYTES / 1024 / 1024} MiB`)
}

/** Byte-wise equality. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

/** Every proper ancestor folder of a path, outermost first: `a/b/c` → `a`, `a/b`. */
export function ancestors(path: string): string[] {
  const parts = path.split('/')
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'))
}

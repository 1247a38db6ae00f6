import type { FileEntry } from '../vserver/files'

// The studio's file list and its unsaved-files list change as files do, and
// every change re-renders the file tree and the page around it. A keystroke
// in a draft fires a change for its file but leaves both lists as they were:
// these keep the list a component already has, so nothing re-renders (with
// 200 files, that re-render doubled a keystroke's cost in both co-authors'
// tabs; `npm run bench`, co-editing).

/** Whether two listings hold the same files, in the same order, with the same size, ETag and time. */
export function sameListing(a: readonly FileEntry[], b: readonly FileEntry[]): boolean {
  if (a.length !== b.length) return false
  return a.every((entry, i) => {
    const other = b[i]!
    return entry.path === other.path && entry.size === other.size && entry.etag === other.etag && entry.mtime === other.mtime
  })
}

/** Whether two lists of names are equal, in order. */
export function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i])
}

/** `list` with `path` in it (at the end) or not, as `dirty` says; `list` itself when it already is. */
export function withDirty(list: string[], path: string, dirty: boolean): string[] {
  if (list.includes(path) === dirty) return list
  return dirty ? [...list, path] : list.filter(candidate => candidate !== path)
}

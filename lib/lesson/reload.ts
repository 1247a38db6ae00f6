import type { LessonEvent } from '../../shared/protocol/lesson'

/** The reload event for files whose served content changed: stylesheets swap in place, anything else reloads the page. */
export function reloadEvent(paths: string[]): Extract<LessonEvent, { type: 'reload' }> {
  const css = paths.filter(path => /^public\/.+\.css$/.test(path)).map(path => `/${path.slice('public/'.length)}`)
  const page = css.length < paths.length
  return { type: 'reload', css: page ? [] : css, page }
}

/** What the watcher needs of the site's files: the served version's ETag of each path, and change events. */
export interface ServedFiles {
  listSync(): Array<{ path: string, etag: string }>
  statSync(path: string): { etag: string } | null | undefined
  onChange(listener: (paths: string[]) => void): () => void
}

/**
 * Call `listener` with the paths whose served version changed. Keystrokes
 * change only drafts, so the ETag visitors get is compared, not the event:
 * a save, an upload, a delete or a co-author's save counts; typing does not.
 * Returns the unsubscribe function.
 */
export function watchServedFiles(files: ServedFiles, listener: (paths: string[]) => void): () => void {
  const served = new Map(files.listSync().map(entry => [entry.path, entry.etag]))
  return files.onChange((paths) => {
    const changed = paths.filter((path) => {
      const etag = files.statSync(path)?.etag
      if (etag === served.get(path)) return false
      if (etag) served.set(path, etag)
      else served.delete(path)
      return true
    })
    if (changed.length > 0) listener(changed)
  })
}

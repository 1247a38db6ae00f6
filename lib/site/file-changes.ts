import * as Y from 'yjs'
import { Listeners } from './listeners'
import type { TreeMaps } from './tree'

/** An edit of a text file's draft only: the Y.Text changed and the entry keeps a saved version apart from it. */
function isDraftEdit(event: Y.YEvent<Y.AbstractType<unknown>>): boolean {
  const entry = event.target.parent
  return event.target instanceof Y.Text && entry instanceof Y.Map && typeof entry.get('saved') === 'string'
}

/**
 * Watches a site's `files` and `folders` maps: tells the store which paths
 * to forget from its caches, and tells listeners the changed paths once per
 * transaction (at `afterTransaction`, which follows every observer of it),
 * local or remote. Draft edits count as changes (editors show them live).
 */
export class FileChanges {
  private readonly listeners = new Listeners<string[]>('site')
  private pending = new Set<string>()

  constructor(
    private readonly doc: Y.Doc,
    private readonly maps: TreeMaps,
    private readonly forget: (path: string) => void,
  ) {
    maps.files.observeDeep(this.onFilesEvents)
    maps.folders.observe(this.onFoldersEvent)
    doc.on('afterTransaction', this.flush)
  }

  /** Add a listener of changed paths; returns the function that removes it. */
  onChange(listener: (paths: string[]) => void): () => void {
    return this.listeners.add(listener)
  }

  /** Stop observing. */
  destroy(): void {
    this.maps.files.unobserveDeep(this.onFilesEvents)
    this.maps.folders.unobserve(this.onFoldersEvent)
    this.doc.off('afterTransaction', this.flush)
    this.listeners.clear()
  }

  private readonly onFilesEvents = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
    for (const event of events) {
      // Below `files`, the first step of the path is the file's path; on `files` itself, the changed keys are.
      const [first] = event.path
      const paths = typeof first === 'string' ? [first] : [...event.changes.keys.keys()]
      for (const path of paths) {
        // A keystroke in a draft leaves what is served (`saved`) as it was: its cached bytes and ETag stay.
        if (!isDraftEdit(event)) this.forget(path)
        this.pending.add(path)
      }
    }
  }

  private readonly onFoldersEvent = (event: Y.YMapEvent<unknown>): void => {
    for (const path of event.keysChanged) this.pending.add(path)
  }

  private readonly flush = (): void => {
    if (this.pending.size === 0) return
    const paths = [...this.pending].sort()
    this.pending = new Set()
    this.listeners.emit(paths)
  }
}

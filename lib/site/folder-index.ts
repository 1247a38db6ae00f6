import type * as Y from 'yjs'
import { ancestors } from './records'

type Kind = 'files' | 'folders'

/**
 * Which folders exist, and how many files and empty-folder markers each
 * holds (at any depth), so that "is this a folder" costs the path's depth
 * rather than a scan of the whole site: adding n files to a site was n scans
 * of every key, which froze the studio on a 100,000-entry zip.
 *
 * `sync` is idempotent (it compares the map with what the index last saw), so
 * the store calls it right after its own changes, which makes the index exact
 * inside a transaction too, and the observers call it again for every key a
 * transaction changed, local or remote, once the transaction ends.
 */
export class FolderIndex {
  private readonly seen: Record<Kind, Set<string>> = { files: new Set(), folders: new Set() }
  /** Folder → how many indexed paths are below it. */
  private readonly below = new Map<string, number>()
  private readonly onFiles = (event: Y.YMapEvent<unknown>) => this.syncAll('files', event.keysChanged)
  private readonly onFolders = (event: Y.YMapEvent<unknown>) => this.syncAll('folders', event.keysChanged)

  constructor(private readonly maps: Record<Kind, Y.Map<unknown>>) {
    this.syncAll('files', maps.files.keys())
    this.syncAll('folders', maps.folders.keys())
    maps.files.observe(this.onFiles)
    maps.folders.observe(this.onFolders)
  }

  /** Bring the index in step with the map's entry at `path`. */
  sync(kind: Kind, path: string): void {
    const present = this.maps[kind].has(path)
    if (present === this.seen[kind].has(path)) return
    if (present) this.seen[kind].add(path)
    else this.seen[kind].delete(path)
    for (const folder of ancestors(path)) {
      const count = (this.below.get(folder) ?? 0) + (present ? 1 : -1)
      if (count > 0) this.below.set(folder, count)
      else this.below.delete(folder)
    }
  }

  /** Whether a file or an empty-folder marker is somewhere below `path`. */
  holdsAnything(path: string): boolean {
    return this.below.has(path)
  }

  /** Every folder that holds something (unsorted). */
  parents(): IterableIterator<string> {
    return this.below.keys()
  }

  /** Stop observing the maps. */
  destroy(): void {
    this.maps.files.unobserve(this.onFiles)
    this.maps.folders.unobserve(this.onFolders)
  }

  private syncAll(kind: Kind, paths: Iterable<string>): void {
    for (const path of paths) this.sync(kind, path)
  }
}

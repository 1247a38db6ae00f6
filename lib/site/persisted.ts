import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { openSiteDoc, type SiteDoc } from './index'
import { siteDatabaseName } from '../../shared/storage-keys'

/** A site's document, kept in this browser's IndexedDB. */
export interface PersistedSite {
  site: SiteDoc
  /** True when the browser held nothing for this site: it is new here. */
  fresh: boolean
  /** Wait until every change so far is written to IndexedDB. */
  flush(): Promise<void>
  /** Whether changes are still on their way to IndexedDB (leaving now could lose the last keystrokes). */
  writing(): boolean
  close(): Promise<void>
}

/**
 * Open site `name` from IndexedDB (y-indexeddb): every change is written as
 * it happens, so a reload or a browser restart finds the site as it was.
 */
export async function openPersistedSite(name: string): Promise<PersistedSite> {
  const doc = new Y.Doc()
  const persistence = new IndexeddbPersistence(siteDatabaseName(name), doc)
  await persistence.whenSynced
  const site = openSiteDoc(doc)
  const fresh = (await site.files.list()).length === 0 && site.files.folders().length === 0 && site.documents.collections().length === 0
  // y-indexeddb stores each update in its own transaction as it happens; a
  // read transaction queued after them completes only once they have.
  const flush = () => new Promise<void>((resolve, reject) => {
    const db = persistence.db
    if (!db) return resolve()
    const tx = db.transaction(['updates'], 'readonly')
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB flush failed'))
  })
  // One flush at a time, repeated while updates keep coming: a keystroke costs no extra IndexedDB transaction.
  let unwritten = false
  let flushing = false
  const drain = async () => {
    flushing = true
    try {
      while (unwritten) {
        unwritten = false
        await flush()
      }
    }
    catch (error) {
      console.error('[site] IndexedDB write failed', error)
    }
    finally {
      flushing = false
    }
  }
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin === persistence) return
    unwritten = true
    if (!flushing) void drain()
  })
  return {
    site,
    fresh,
    writing: () => unwritten || flushing,
    flush,
    async close() {
      await persistence.destroy()
      site.destroy()
      doc.destroy()
    },
  }
}

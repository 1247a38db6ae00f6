/**
 * A site is one Y.Doc, so co-authors can sync it (y-webrtc) and a tab can
 * keep it (y-indexeddb). Its top-level types:
 *
 * - `files`    Y.Map: site-relative path (`public/index.html`) → Y.Map entry
 *              `{ kind: 'text', text: Y.Text, mtime }` for text types with valid
 *              UTF-8 (edited in place, so concurrent edits merge), or
 *              `{ kind: 'binary', data: Uint8Array, mtime }` (replaced whole).
 * - `folders`  Y.Map: path → true, for folders an author created empty (a
 *              folder that holds files exists implicitly).
 * - `db`       Y.Map, flat: `<collection>/<id>` → `{ seq, doc }`, a plain JSON
 *              document and its place in the collection's order (db-entries.ts).
 *              Flat rather than a Y.Map per collection: two peers creating the
 *              same collection at once would each make a Y.Map under one key,
 *              and all documents of the losing one would vanish.
 * - `sessions` Y.Map: session id → `{ data, expires }`.
 * - `settings` Y.Map: `timeLimitSeconds`, `liveReload`.
 * - `cookieJars` Y.Map: visitor id → `{ jar, seen }`, each visitor's HttpOnly
 *              cookies (cookie-jars.ts), which its browser never holds.
 *
 * Every value read from the doc is checked, as a remote peer may have written it.
 */
import * as Y from 'yjs'
import { YjsDocumentStore } from './db-store'
import { YjsFileStore } from './files'
import { YjsCookieJars } from './cookie-jars'
import { YjsSessionStore } from './sessions'
import { SiteSettings } from './settings'
import { SiteLesson } from '../lesson/site-lesson'

/** A site's Y.Doc with its typed views. */
export interface SiteDoc {
  doc: Y.Doc
  files: YjsFileStore
  documents: YjsDocumentStore
  sessions: YjsSessionStore
  cookies: YjsCookieJars
  settings: SiteSettings
  lesson: SiteLesson
  /** Stop the stores' observers; destroys the Y.Doc too when `openSiteDoc` created it. */
  destroy(): void
}

/** Options of `openSiteDoc`. */
export interface SiteDocOptions {
  /** The clock of file mtimes and session expiry (default `Date.now`). */
  now?: () => number
}

/** Open the typed views of a site's Y.Doc (a new, empty one by default). */
export function openSiteDoc(doc?: Y.Doc, options: SiteDocOptions = {}): SiteDoc {
  const owned = doc === undefined
  const ydoc = doc ?? new Y.Doc()
  const files = new YjsFileStore(ydoc, { now: options.now })
  const documents = new YjsDocumentStore(ydoc)
  const sessions = new YjsSessionStore(ydoc, { now: options.now })
  const cookies = new YjsCookieJars(ydoc, options.now)
  const settings = new SiteSettings(ydoc)
  const lesson = new SiteLesson(ydoc)
  return {
    doc: ydoc,
    files,
    documents,
    sessions,
    cookies,
    settings,
    lesson,
    destroy() {
      files.destroy()
      documents.destroy()
      if (owned) ydoc.destroy()
    },
  }
}

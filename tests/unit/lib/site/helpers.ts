import * as Y from 'yjs'
import { openSiteDoc, type SiteDoc } from '../../../../lib/site'

const REMOTE = Symbol('remote')

/** Send every update of `a` to `b` and back, as a provider would; returns the function that disconnects them. */
export function connect(a: Y.Doc, b: Y.Doc): () => void {
  const toB = (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) Y.applyUpdate(b, update, REMOTE)
  }
  const toA = (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) Y.applyUpdate(a, update, REMOTE)
  }
  a.on('update', toB)
  b.on('update', toA)
  return () => {
    a.off('update', toB)
    b.off('update', toA)
  }
}

/** Bring two docs level once: each gets what it lacks from the other. */
export function exchange(a: Y.Doc, b: Y.Doc): void {
  const forB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b))
  const forA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))
  Y.applyUpdate(b, forB, REMOTE)
  Y.applyUpdate(a, forA, REMOTE)
}

/** Two sites on two docs, connected live. */
export function sitePair(now: () => number = () => 1_000): { a: SiteDoc, b: SiteDoc, disconnect: () => void } {
  const a = openSiteDoc(undefined, { now })
  const b = openSiteDoc(undefined, { now })
  return { a, b, disconnect: connect(a.doc, b.doc) }
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

/** A snapshot of everything a site holds (but sessions), to compare sites or check that nothing changed. */
export async function snapshot(site: SiteDoc): Promise<unknown> {
  const files = await site.files.list()
  const contents = await Promise.all(files.map(async entry => [entry.path, site.files.isText(entry.path), await site.files.read(entry.path)]))
  const db = site.documents.collections().map(name => [name, [...site.documents.list(name)]])
  return { contents, folders: site.files.folders(), db, settings: site.settings.values() }
}

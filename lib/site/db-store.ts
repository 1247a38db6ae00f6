import type * as Y from 'yjs'
import type { ChangeListener, DbDocument, DocumentChange, DocumentStore } from '../vserver/db/types'
import { deepFreeze, docKey, parseStoredDoc, splitDocKey } from './db-entries'
import { Listeners } from './listeners'

interface Slot {
  seq: number
  doc: DbDocument
  /** The value in the `db` map this slot was read from: the same object means nothing to re-check. */
  raw: unknown
}

interface CollectionIndex {
  docs: Map<string, Slot>
  maxSeq: number
  sorted: readonly DbDocument[] | null
}

function bySeqThenId(a: Slot, b: Slot): number {
  if (a.seq !== b.seq) return a.seq - b.seq
  return a.doc._id < b.doc._id ? -1 : a.doc._id > b.doc._id ? 1 : 0
}

/**
 * A `DocumentStore` in the site's Y.Doc (the flat `db` map, see db-entries.ts).
 * An index of deep-frozen documents per collection answers reads; local
 * writes update it at once, remote ones when their transaction lands. Change
 * listeners hear every transaction once, local or remote. A remote `drop`
 * arrives as one `delete` per document (the update does not say "drop").
 */
export class YjsDocumentStore implements DocumentStore {
  private readonly map: Y.Map<unknown>
  private readonly index = new Map<string, CollectionIndex>()
  private readonly listeners = new Listeners<DocumentChange[]>('db')
  /** Collections dropped locally in the running transaction: reported as `drop`, not per document. */
  private readonly dropping = new Set<string>()

  constructor(readonly doc: Y.Doc) {
    this.map = doc.getMap<unknown>('db')
    for (const key of this.map.keys()) this.sync(key)
    this.map.observe(this.onEvent)
  }

  get(collection: string, id: string): DbDocument | undefined {
    return this.index.get(collection)?.docs.get(id)?.doc
  }

  list(collection: string): Iterable<DbDocument> {
    const docs = this.index.get(collection)
    if (!docs) return []
    docs.sorted ??= Object.freeze([...docs.docs.values()].sort(bySeqThenId).map(slot => slot.doc))
    return docs.sorted
  }

  set(collection: string, doc: DbDocument): void {
    const frozen = deepFreeze(doc)
    // An update keeps its place; a new document goes last.
    const seq = this.slot(collection, frozen._id)?.seq ?? (this.index.get(collection)?.maxSeq ?? 0) + 1
    const raw = { seq, doc: frozen }
    this.put(collection, { ...raw, raw })
    this.map.set(docKey(collection, frozen._id), raw)
  }

  delete(collection: string, id: string): boolean {
    if (!this.unindex(collection, id)) return false
    this.map.delete(docKey(collection, id))
    return true
  }

  collections(): string[] {
    return [...this.index.keys()].sort()
  }

  drop(collection: string): boolean {
    const docs = this.index.get(collection)
    if (!docs) return false
    this.index.delete(collection)
    this.dropping.add(collection)
    this.doc.transact(() => {
      for (const id of docs.docs.keys()) this.map.delete(docKey(collection, id))
    })
    return true
  }

  transact(fn: () => void): void {
    this.doc.transact(fn)
  }

  onChange(listener: ChangeListener): () => void {
    return this.listeners.add(listener)
  }

  /** Stop observing the Y.Doc. */
  destroy(): void {
    this.map.unobserve(this.onEvent)
    this.listeners.clear()
  }

  private slot(collection: string, id: string): Slot | undefined {
    return this.index.get(collection)?.docs.get(id)
  }

  private put(collection: string, slot: Slot): void {
    let docs = this.index.get(collection)
    if (!docs) {
      docs = { docs: new Map(), maxSeq: 0, sorted: null }
      this.index.set(collection, docs)
    }
    docs.docs.set(slot.doc._id, slot)
    docs.maxSeq = Math.max(docs.maxSeq, slot.seq)
    docs.sorted = null
  }

  private unindex(collection: string, id: string): boolean {
    const docs = this.index.get(collection)
    if (!docs?.docs.delete(id)) return false
    docs.sorted = null
    if (docs.docs.size === 0) this.index.delete(collection)
    return true
  }

  /** Bring the index in line with the map for one key (after a remote or any other change). */
  private sync(key: string): void {
    const name = splitDocKey(key)
    if (!name) return
    const raw = this.map.get(key)
    if (raw !== undefined && this.slot(name.collection, name.id)?.raw === raw) return
    this.unindex(name.collection, name.id)
    if (raw === undefined) return
    const stored = parseStoredDoc(raw, name.id)
    if (stored) this.put(name.collection, { seq: stored.seq, doc: deepFreeze(stored.doc), raw })
    else console.warn('[db] ignoring a malformed document from the site document:', key)
  }

  private readonly onEvent = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction): void => {
    const drops = new Set<string>()
    const changes: DocumentChange[] = []
    for (const key of event.changes.keys.keys()) {
      const name = splitDocKey(key)
      if (!name) continue
      this.sync(key)
      const doc = this.get(name.collection, name.id)
      if (doc) changes.push({ type: 'set', collection: name.collection, id: name.id, doc })
      else if (transaction.local && this.dropping.has(name.collection)) drops.add(name.collection)
      else changes.push({ type: 'delete', collection: name.collection, id: name.id })
    }
    this.dropping.clear()
    const dropped: DocumentChange[] = [...drops].map(collection => ({ type: 'drop', collection }))
    if (dropped.length + changes.length > 0) this.listeners.emit([...dropped, ...changes])
  }

}

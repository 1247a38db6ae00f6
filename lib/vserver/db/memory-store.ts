import type { ChangeListener, DbDocument, DocumentChange, DocumentStore } from './types'

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/**
 * A `DocumentStore` in memory (one Map per collection). Stored documents are
 * deep-frozen, so a reference that leaks to a listener cannot change them.
 */
export class MemoryDocumentStore implements DocumentStore {
  private readonly data = new Map<string, Map<string, DbDocument>>()
  private readonly listeners = new Set<ChangeListener>()
  private pending: DocumentChange[] = []
  private depth = 0

  get(collection: string, id: string): DbDocument | undefined {
    return this.data.get(collection)?.get(id)
  }

  list(collection: string): Iterable<DbDocument> {
    return this.data.get(collection)?.values() ?? []
  }

  set(collection: string, doc: DbDocument): void {
    let docs = this.data.get(collection)
    if (!docs) {
      docs = new Map()
      this.data.set(collection, docs)
    }
    const frozen = deepFreeze(doc)
    docs.set(frozen._id, frozen)
    this.record({ type: 'set', collection, id: frozen._id, doc: frozen })
  }

  delete(collection: string, id: string): boolean {
    const docs = this.data.get(collection)
    if (!docs?.delete(id)) return false
    if (docs.size === 0) this.data.delete(collection)
    this.record({ type: 'delete', collection, id })
    return true
  }

  collections(): string[] {
    return [...this.data.keys()].sort()
  }

  drop(collection: string): boolean {
    if (!this.data.delete(collection)) return false
    this.record({ type: 'drop', collection })
    return true
  }

  transact(fn: () => void): void {
    this.depth++
    try {
      fn()
    }
    finally {
      this.depth--
      if (this.depth === 0) this.flush()
    }
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  private record(change: DocumentChange): void {
    this.pending.push(change)
    if (this.depth === 0) this.flush()
  }

  private flush(): void {
    if (this.pending.length === 0) return
    const changes = this.pending
    this.pending = []
    for (const listener of this.listeners) {
      try {
        listener(changes)
      }
      catch (error) {
        // A broken listener (a studio view) must not fail the write that already happened.
        console.error('[db] change listener failed', error)
      }
    }
  }
}

import { DbCollection } from './collection'
import { dbError } from './json'
import type { Collection, Database, DocumentStore } from './types'

const COLLECTION_NAME = /^[\w-]{1,64}$/

/** Check a collection name: 1–64 characters of A–Z, a–z, 0–9, `_` and `-`. */
export function checkCollectionName(name: unknown): string {
  if (typeof name === 'string' && COLLECTION_NAME.test(name)) return name
  const got = typeof name === 'string' ? JSON.stringify(name) : typeof name
  throw dbError('db.collection', `collection name ${got} is not allowed: use 1–64 letters, digits, "_" or "-"`)
}

/** A site's database over `store` (a `MemoryDocumentStore` now, the site's Yjs document later). */
export function createDatabase(store: DocumentStore): Database {
  return {
    collection: (name: string): Collection => new DbCollection(store, checkCollectionName(name)),
    collections: async () => store.collections(),
    drop: async (name: string) => store.drop(checkCollectionName(name)),
    onChange: listener => store.onChange(listener),
  }
}

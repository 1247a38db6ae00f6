import { isPlainObject, toJsonObject } from '../vserver/db/json'
import type { DbDocument } from '../vserver/db/types'
import { VServerError } from '../vserver/types'

/**
 * The `db` map is flat: key `<collection>/<id>` (collection names never hold
 * a "/"), value `{ seq, doc }`. `seq` orders a collection's documents the
 * same way on every peer (Y.Map iteration order is per peer): a new document
 * takes the collection's highest `seq` + 1, an update keeps its `seq`, and
 * equal `seq`s (two peers inserting at once) fall back to `_id` order.
 */
export interface StoredDoc {
  seq: number
  doc: DbDocument
}

/** The key of a document in the `db` map. */
export function docKey(collection: string, id: string): string {
  return `${collection}/${id}`
}

/** The collection and id of a `db` map key, or null for a key no peer of this version writes. */
export function splitDocKey(key: string): { collection: string, id: string } | null {
  const slash = key.indexOf('/')
  if (slash < 0) return null
  const collection = key.slice(0, slash)
  const id = key.slice(slash + 1)
  if (!id || !isCollectionName(collection)) return null
  return { collection, id }
}

/**
 * Check a value of the `db` map (it may come from a remote peer): `{ seq, doc }`
 * with a JSON document whose `_id` matches the key. Null when it is not.
 */
export function parseStoredDoc(value: unknown, id: string): StoredDoc | null {
  if (!isPlainObject(value)) return null
  const { seq, doc } = value
  if (typeof seq !== 'number' || !Number.isFinite(seq)) return null
  try {
    const fields = toJsonObject(doc, 'db')
    if (fields._id !== id) return null
    return { seq, doc: { ...fields, _id: id } }
  }
  catch (error) {
    if (error instanceof VServerError) return null
    throw error
  }
}

/** Freeze a value and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** Is `name` a valid collection name: the rule of `checkCollectionName` (1–64 of A–Z a–z 0–9 _ -). */
export function isCollectionName(name: string): boolean {
  return /^[\w-]{1,64}$/.test(name)
}

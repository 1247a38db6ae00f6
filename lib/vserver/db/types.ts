/** A JSON value as the database stores it: no undefined, functions, Dates or non-finite numbers. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** A JSON object. */
export interface JsonObject { [key: string]: JsonValue }

/** A stored document: a JSON object with a string `_id`, unique in its collection. */
export interface DbDocument extends JsonObject { _id: string }

/** What `insert` accepts: any object; it is validated as JSON (see `toDocument`). */
export type DocumentInput = Record<string, unknown>

/** Operators on one field. Paths may be dotted (`author.name`, `tags.0`). */
export interface FieldOperators {
  $eq?: unknown
  $ne?: unknown
  $gt?: number | string
  $gte?: number | string
  $lt?: number | string
  $lte?: number | string
  $in?: unknown[]
  $nin?: unknown[]
  /** Substring of a string field, or an element of an array field. */
  $contains?: unknown
  $exists?: boolean
}

/** A query: field paths mapped to a value (deep equality) or to `FieldOperators`, plus `$and` / `$or`. */
export interface Filter {
  $and?: Filter[]
  $or?: Filter[]
  [field: string]: unknown
}

/** Options of `find`: `sort` keys apply in order; `fields` keeps only these paths (and `_id`). */
export interface FindOptions {
  sort?: Record<string, 1 | -1>
  limit?: number
  skip?: number
  fields?: string[]
}

/** A shallow merge (`{ title: 'x' }`), or operators (`{ $set, $unset, $inc, $push }`) — not both. */
export interface UpdatePatch {
  $set?: Record<string, unknown>
  $unset?: Record<string, unknown> | string[]
  $inc?: Record<string, number>
  $push?: Record<string, unknown>
  [field: string]: unknown
}

/** One change to stored data, as `DocumentStore.onChange` reports it. */
export type DocumentChange =
  | { type: 'set', collection: string, id: string, doc: DbDocument }
  | { type: 'delete', collection: string, id: string }
  | { type: 'drop', collection: string }

/** Called once per transaction with every change it made (local or, for a shared store, remote). */
export type ChangeListener = (changes: DocumentChange[]) => void

/**
 * Where the documents live: in memory now, in the site's Yjs document later.
 * Synchronous on purpose (Yjs is), so one database call is atomic. Documents
 * handed to `set` and returned by `get`/`list` are owned by the store: the
 * database never mutates them and copies them before they reach user code.
 * A collection exists while it holds documents.
 */
export interface DocumentStore {
  get(collection: string, id: string): DbDocument | undefined
  /** Every document of a collection, in a stable order (insertion order in memory). */
  list(collection: string): Iterable<DbDocument>
  set(collection: string, doc: DbDocument): void
  /** False when there was no such document. */
  delete(collection: string, id: string): boolean
  /** Names of the collections that hold documents. */
  collections(): string[]
  /** Remove a collection and its documents; false when it did not exist. */
  drop(collection: string): boolean
  /** Run `fn` as one transaction: listeners hear about its changes once, at the end. */
  transact(fn: () => void): void
  /** Subscribe to changes; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void
}

/** `findOne`'s options: `find`'s without `limit`. */
export type FindOneOptions = Omit<FindOptions, 'limit'>

/** One named collection of a site's database. Every method returns copies; changing them changes nothing stored. */
export interface Collection {
  readonly name: string
  /** Store a document (an `_id` is generated unless given) and return it; a duplicate `_id` is refused. */
  insert(doc: DocumentInput): Promise<DbDocument>
  /** Store several documents at once: all of them, or none when one is refused. */
  insert(docs: DocumentInput[]): Promise<DbDocument[]>
  /** The document with this `_id`, or null. */
  get(id: string): Promise<DbDocument | null>
  find(filter?: Filter, options?: FindOptions): Promise<DbDocument[]>
  findOne(filter?: Filter, options?: FindOneOptions): Promise<DbDocument | null>
  /** Patch the document with this `_id`, or the first match of a filter (every match with `multi`); returns how many changed. */
  update(target: string | Filter, patch: UpdatePatch, options?: { multi?: boolean }): Promise<number>
  /** Remove the document with this `_id`, or every match of a filter; returns how many were removed. */
  remove(target: string | Filter): Promise<number>
  count(filter?: Filter): Promise<number>
}

/** A site's database: named collections of JSON documents. */
export interface Database {
  /** A collection by name (1–64 of A–Z a–z 0–9 _ -); it exists once it holds a document. */
  collection(name: string): Collection
  /** Names of the collections that hold documents, sorted. */
  collections(): Promise<string[]>
  /** Remove a collection and all its documents; false when there was none. */
  drop(name: string): Promise<boolean>
  /** Hear about every change (for the studio's live data view); returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void
}

// The worker's copy of database answers it got from the page. Every read a
// handler makes (get, find, findOne, count, collections) was a round trip to
// the studio's main thread; a page that lists the same documents for each
// visitor asked the same question each time. The page tells the worker which
// collections changed (`db-changed`, sent while the change happens, ahead of
// the answer to a write and of any later request), and the answers about
// them are forgotten. An answer whose call was in flight when a change
// arrived is not kept: it may have been computed before the change.

/** Most answers kept; past it the least recently used goes. */
export const DB_CACHE_MAX_ENTRIES = 256
/** Most documents kept across all answers; an answer larger than this is not kept at all. */
export const DB_CACHE_MAX_DOCUMENTS = 10_000

interface Entry { collection: string | null, value: unknown, documents: number }

/** Whether `value` is plain JSON (so its JSON text names it exactly): no undefined, functions, Dates, RegExps or non-finite numbers. */
function isJson(value: unknown, depth = 0): boolean {
  if (depth > 32) return false
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(item => isJson(item, depth + 1))
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false
  return Object.values(value).every(item => isJson(item, depth + 1))
}

const documentsIn = (value: unknown) => (Array.isArray(value) ? value.length : 1)

export class DbReadCache {
  private readonly entries = new Map<string, Entry>()
  private documents = 0
  /** Bumped by every change notice: a call that saw it change under it is not kept. */
  private generation = 0

  constructor(private readonly maxEntries = DB_CACHE_MAX_ENTRIES, private readonly maxDocuments = DB_CACHE_MAX_DOCUMENTS) {}

  /** Answers kept now, and their documents. */
  get size(): { entries: number, documents: number } {
    return { entries: this.entries.size, documents: this.documents }
  }

  /**
   * The answer to `call` (a method and its arguments) about `collection`
   * (null: about which collections exist): a copy of the kept one, or what
   * `ask` gets from the page, kept when it can be.
   */
  async read<T>(collection: string | null, call: readonly unknown[], ask: () => Promise<T>): Promise<T> {
    const key = isJson(call) ? JSON.stringify([collection, ...call]) : null
    const kept = key === null ? undefined : this.entries.get(key)
    if (key !== null && kept) {
      // Most recently used last.
      this.entries.delete(key)
      this.entries.set(key, kept)
      return structuredClone(kept.value) as T
    }
    const asked = this.generation
    const value = await ask()
    if (key !== null && asked === this.generation) this.keep(key, { collection, value: structuredClone(value), documents: documentsIn(value) })
    return value
  }

  /** These collections changed on the page (null: any may have); which collections exist may have changed too. */
  changed(collections: readonly string[] | null): void {
    this.generation++
    const names = collections && new Set(collections)
    for (const [key, entry] of this.entries) {
      if (!names || entry.collection === null || names.has(entry.collection)) this.drop(key, entry)
    }
  }

  private keep(key: string, entry: Entry): void {
    if (entry.documents > this.maxDocuments) return
    const old = this.entries.get(key)
    if (old) this.drop(key, old)
    this.entries.set(key, entry)
    this.documents += entry.documents
    for (const [oldest, kept] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.documents <= this.maxDocuments) break
      this.drop(oldest, kept)
    }
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key)
    this.documents -= entry.documents
  }
}

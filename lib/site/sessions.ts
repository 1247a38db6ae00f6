import type * as Y from 'yjs'
import { isPlainObject } from '../vserver/db/json'
import { SESSION_TTL_MS, type SessionData, type SessionStore } from '../vserver/event/session/store'

/** Options of `YjsSessionStore`. */
export interface YjsSessionStoreOptions {
  /** How long an idle session lives (default `SESSION_TTL_MS`, 7 days). */
  ttlMs?: number
  now?: () => number
}

/**
 * Sessions in the site's Y.Doc (`sessions` map: id → `{ data, expires }`), so
 * they outlive a reload with the doc's persistence. Data is stored as JSON
 * (the doc syncs it), so a Date comes back as its ISO string. An entry is
 * forgotten `ttlMs` after its last write: dropped when read, or by `sweep`.
 */
export class YjsSessionStore implements SessionStore {
  private readonly map: Y.Map<unknown>
  private readonly ttlMs: number
  private readonly now: () => number

  constructor(readonly doc: Y.Doc, options: YjsSessionStoreOptions = {}) {
    this.map = doc.getMap<unknown>('sessions')
    this.ttlMs = options.ttlMs ?? SESSION_TTL_MS
    this.now = options.now ?? Date.now
  }

  async get(id: string): Promise<SessionData | undefined> {
    const entry = this.live(id)
    return entry ? structuredClone(entry.data) : undefined
  }

  async set(id: string, data: SessionData): Promise<void> {
    const json: unknown = JSON.parse(JSON.stringify(data))
    if (!isPlainObject(json)) throw new TypeError('session data must be an object')
    this.doc.transact(() => {
      this.sweep()
      this.map.set(id, { data: json, expires: this.now() + this.ttlMs })
    })
  }

  async delete(id: string): Promise<void> {
    if (this.map.has(id)) this.map.delete(id)
  }

  /** Forget every expired (or malformed) session; returns how many went. */
  sweep(): number {
    const now = this.now()
    const stale = [...this.map.keys()].filter(id => (readEntry(this.map.get(id))?.expires ?? 0) <= now)
    if (stale.length > 0) {
      this.doc.transact(() => {
        for (const id of stale) this.map.delete(id)
      })
    }
    return stale.length
  }

  /** How many live sessions are kept. */
  get size(): number {
    this.sweep()
    return this.map.size
  }

  private live(id: string): { data: SessionData, expires: number } | null {
    if (!this.map.has(id)) return null
    const entry = readEntry(this.map.get(id))
    if (entry && entry.expires > this.now()) return entry
    this.map.delete(id)
    return null
  }
}

/** A `sessions` map value, checked (a remote peer wrote it), or null. */
function readEntry(value: unknown): { data: SessionData, expires: number } | null {
  if (!isPlainObject(value)) return null
  const { data, expires } = value
  if (!isPlainObject(data) || typeof expires !== 'number') return null
  return { data, expires }
}

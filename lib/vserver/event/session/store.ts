/** What a session keeps: JSON-like data (it is structured-cloned in and out of the store). */
export type SessionData = Record<string, unknown>

/**
 * Where session data lives, by session id. Async so it can live outside the
 * handler's Worker (the host page, IndexedDB) and survive a Worker's restart.
 */
export interface SessionStore {
  get(id: string): Promise<SessionData | undefined>
  set(id: string, data: SessionData): Promise<void>
  delete(id: string): Promise<void>
}

/** Default lifetime of an idle session in `MemorySessionStore`: 7 days. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000

/** Sessions in memory, each forgotten after `ttlMs` without a write. Copies in and out, so handlers cannot change stored data by reference. */
export class MemorySessionStore implements SessionStore {
  private readonly entries = new Map<string, { data: SessionData, expires: number }>()

  constructor(private readonly ttlMs = SESSION_TTL_MS, private readonly now: () => number = Date.now) {}

  async get(id: string): Promise<SessionData | undefined> {
    const entry = this.entries.get(id)
    if (!entry) return undefined
    if (entry.expires <= this.now()) {
      this.entries.delete(id)
      return undefined
    }
    return structuredClone(entry.data)
  }

  async set(id: string, data: SessionData): Promise<void> {
    this.prune()
    this.entries.set(id, { data: structuredClone(data), expires: this.now() + this.ttlMs })
  }

  async delete(id: string): Promise<void> {
    this.entries.delete(id)
  }

  /** How many live sessions are kept. */
  get size(): number {
    this.prune()
    return this.entries.size
  }

  private prune(): void {
    const now = this.now()
    for (const [id, entry] of this.entries) {
      if (entry.expires <= now) this.entries.delete(id)
    }
  }
}

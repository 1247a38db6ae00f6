import type * as Y from 'yjs'

/** Most visitors whose HttpOnly cookies a site keeps; past it the one unseen longest is forgotten. */
export const MAX_VISITOR_JARS = 2000
/** A visitor unseen this long loses its HttpOnly cookies here (persistent ones included: a browser clears an origin it never visits, too). */
export const JAR_IDLE_MS = 30 * 24 * 3600_000

/** One visitor's HttpOnly cookies as the site keeps them: tough-cookie's serialized jar, and when the visitor was last seen (ms since the epoch). */
export interface StoredJar {
  jar: unknown
  seen: number
}

function readJar(value: unknown): StoredJar | null {
  if (typeof value !== 'object' || value === null) return null
  const seen: unknown = Reflect.get(value, 'seen')
  return typeof seen === 'number' ? { jar: Reflect.get(value, 'jar'), seen } : null
}

/**
 * Visitors' HttpOnly cookies in the site's Y.Doc (`cookieJars` map: visitor
 * id → StoredJar), so every author's tab answers a visitor with the same
 * cookies and a reload keeps them. The visitor's browser never holds them
 * (lib/host/visitor-cookies.ts). Read values are checked: a co-author wrote them.
 */
export class YjsCookieJars {
  private readonly map: Y.Map<unknown>

  constructor(readonly doc: Y.Doc, private readonly now: () => number = Date.now) {
    this.map = doc.getMap<unknown>('cookieJars')
  }

  /** The jar of `visitor`, or null (none, idle past JAR_IDLE_MS, or malformed). */
  get(visitor: string): StoredJar | null {
    const stored = readJar(this.map.get(visitor))
    return stored && this.now() - stored.seen < JAR_IDLE_MS ? stored : null
  }

  /** Keep `jar` for `visitor`, seen now; the least recently seen jar goes when there are more than MAX_VISITOR_JARS. */
  set(visitor: string, jar: unknown): void {
    this.doc.transact(() => {
      this.map.set(visitor, { jar, seen: this.now() })
      if (this.map.size <= MAX_VISITOR_JARS) return
      let oldest: [string, number] | null = null
      for (const [id, value] of this.map.entries()) {
        const seen = readJar(value)?.seen ?? 0
        if (!oldest || seen < oldest[1]) oldest = [id, seen]
      }
      if (oldest) this.map.delete(oldest[0])
    })
  }

  /** Forget `visitor`'s cookies. */
  delete(visitor: string): void {
    if (this.map.has(visitor)) this.map.delete(visitor)
  }

  /** Hear of jars changed by anyone (a co-author's tab included); returns the unsubscribe function. */
  onChange(listener: (visitors: string[]) => void): () => void {
    const observer = (event: Y.YMapEvent<unknown>) => listener([...event.keysChanged])
    this.map.observe(observer)
    return () => this.map.unobserve(observer)
  }

  /** How many visitors' jars are kept. */
  get size(): number {
    return this.map.size
  }
}

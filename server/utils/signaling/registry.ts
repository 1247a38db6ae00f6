import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'

/** The outcome of claiming a site name: its owner token, or a refusal. */
export type SiteClaim = { ok: true, token: string } | { ok: false }

/** Who owns which site name. */
export interface SiteRegistry {
  /** Claim `site`: the first claim mints its owner token, later ones must present it. */
  claim(site: string, token?: string): Promise<SiteClaim>
  /** Whether someone already holds the owner token of `site`. */
  isClaimed(site: string): Promise<boolean>
}

/** The part of unstorage's `Storage` the registry uses (Nitro's `useStorage('data')` fits). */
export interface SiteStore {
  getItem(key: string): Promise<unknown>
  setItem(key: string, value: StoredSite): Promise<void>
}

const StoredSiteSchema = z.object({
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
})
/** What the store keeps per site: a SHA-256 of the owner token, never the token. */
export type StoredSite = z.infer<typeof StoredSiteSchema>

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

async function claimIn(store: SiteStore, key: string, token?: string): Promise<SiteClaim> {
  const raw = await store.getItem(key)
  if (raw === null || raw === undefined) {
    const minted = randomBytes(32).toString('base64url')
    await store.setItem(key, { tokenHash: hashToken(minted).toString('hex'), createdAt: new Date().toISOString() })
    return { ok: true, token: minted }
  }
  const stored = StoredSiteSchema.safeParse(raw)
  if (!stored.success) throw new Error(`corrupt registry entry ${key}`)
  if (token === undefined) return { ok: false }
  const same = timingSafeEqual(Buffer.from(stored.data.tokenHash, 'hex'), hashToken(token))
  return same ? { ok: true, token } : { ok: false }
}

/** A site registry over a key-value store; claims of one name are serialised in this process. */
export function createStorageSiteRegistry(store: SiteStore, prefix = 'signaling:sites:'): SiteRegistry {
  const queues = new Map<string, Promise<unknown>>()
  return {
    claim(site, token) {
      // Two first claims of a name must not both mint a token: run one claim of a name at a time.
      const previous = queues.get(site) ?? Promise.resolve()
      const next = previous.then(() => claimIn(store, `${prefix}${site}`, token))
      // The caller gets `next` with its error; the queue only waits for it to settle.
      const settled = next.then(() => undefined, () => undefined)
      queues.set(site, settled)
      void settled.then(() => {
        if (queues.get(site) === settled) queues.delete(site)
      })
      return next
    },
    async isClaimed(site) {
      const raw = await store.getItem(`${prefix}${site}`)
      return raw !== null && raw !== undefined
    },
  }
}

/** A key-value store in memory (tests, and single-process use without persistence). */
export function createMemorySiteStore(): SiteStore & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>()
  return {
    entries,
    async getItem(key) {
      return entries.get(key) ?? null
    },
    async setItem(key, value) {
      entries.set(key, value)
    },
  }
}

/** A site registry in memory, for tests. */
export function createMemorySiteRegistry(): SiteRegistry {
  return createStorageSiteRegistry(createMemorySiteStore())
}

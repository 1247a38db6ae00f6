import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { JoinCodeSchema } from '../../../shared/protocol/lesson'
import { randomJoinCode, readCodeEntry, reserveJoinCode, type JoinCodeSource, type StoredCode } from '../lesson/join-codes'

/** The outcome of claiming a site name: its owner token and join code, or a refusal. */
export type SiteClaim = { ok: true, token: string, code: string } | { ok: false }

/** Who owns which site name, and which join code opens which site. */
export interface SiteRegistry {
  /** Claim `site`: the first claim mints its owner token, later ones must present it. Either way the site gets its join code. */
  claim(site: string, token?: string): Promise<SiteClaim>
  /** Whether someone already holds the owner token of `site`. */
  isClaimed(site: string): Promise<boolean>
  /** The site whose join code is `code` (canonical: upper case, no separators), or null. */
  siteOfCode(code: string): Promise<string | null>
}

/** The part of unstorage's `Storage` the registry uses (Nitro's `useStorage('data')` fits). */
export interface SiteStore {
  getItem(key: string): Promise<unknown>
  setItem(key: string, value: StoredSite | StoredCode): Promise<void>
}

// `code` came with join codes: entries written before have none and get one at their next claim.
const StoredSiteSchema = z.object({
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  code: JoinCodeSchema.optional(),
})
/** What the store keeps per site: a SHA-256 of the owner token, never the token; and its join code. */
export type StoredSite = z.infer<typeof StoredSiteSchema>

/** Where the registry keeps things, and where join codes come from. */
export interface SiteRegistryOptions {
  /** Key prefix of site entries. */
  sitePrefix?: string
  /** Key prefix of join code entries (code → site). */
  codePrefix?: string
  codeSource?: JoinCodeSource
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

/** Run tasks one at a time per key; a failed task does not stop the next. */
function createKeyedQueue() {
  const queues = new Map<string, Promise<unknown>>()
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = queues.get(key) ?? Promise.resolve()
    const next = previous.then(task)
    // The caller gets `next` with its error; the queue only waits for it to settle.
    const settled = next.then(() => undefined, () => undefined)
    queues.set(key, settled)
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key)
    })
    return next
  }
}

/** A site registry over a key-value store; claims of one name, and code reservations, are serialised in this process. */
export function createStorageSiteRegistry(store: SiteStore, options: SiteRegistryOptions = {}): SiteRegistry {
  const { sitePrefix = 'signaling:sites:', codePrefix = 'signaling:codes:', codeSource = () => randomJoinCode() } = options
  const serialise = createKeyedQueue()
  const codeKey = (code: string) => `${codePrefix}${code}`
  // One reservation at a time in the process, whatever the site: two sites must not take one code.
  const reserveCode = (site: string) => serialise('\0codes', () => reserveJoinCode(store, codeKey, site, codeSource))

  async function claimIn(site: string, token?: string): Promise<SiteClaim> {
    const key = `${sitePrefix}${site}`
    const raw = await store.getItem(key)
    if (raw === null || raw === undefined) {
      const minted = randomBytes(32).toString('base64url')
      // The code's entry first: a site entry never names a code that does not lead back to it.
      const code = await reserveCode(site)
      await store.setItem(key, { tokenHash: hashToken(minted).toString('hex'), createdAt: new Date().toISOString(), code })
      return { ok: true, token: minted, code }
    }
    const stored = StoredSiteSchema.safeParse(raw)
    if (!stored.success) throw new Error(`corrupt registry entry ${key}`)
    if (token === undefined) return { ok: false }
    if (!timingSafeEqual(Buffer.from(stored.data.tokenHash, 'hex'), hashToken(token))) return { ok: false }
    if (stored.data.code !== undefined) return { ok: true, token, code: stored.data.code }
    const code = await reserveCode(site)
    await store.setItem(key, { ...stored.data, code })
    return { ok: true, token, code }
  }

  return {
    // Two first claims of a name must not both mint a token: run one claim of a name at a time.
    claim: (site, token) => serialise(site, () => claimIn(site, token)),
    async isClaimed(site) {
      const raw = await store.getItem(`${sitePrefix}${site}`)
      return raw !== null && raw !== undefined
    },
    // Only a canonical code reaches the store: anything else could name another key.
    siteOfCode: async code => (JoinCodeSchema.safeParse(code).success ? readCodeEntry(store, codeKey(code)) : null),
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
export function createMemorySiteRegistry(options?: SiteRegistryOptions): SiteRegistry {
  return createStorageSiteRegistry(createMemorySiteStore(), options)
}

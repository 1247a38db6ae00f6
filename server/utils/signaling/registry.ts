import { randomBytes } from 'node:crypto'
import { JoinCodeSchema } from '../../../shared/protocol/lesson'
import { randomJoinCode, readCodeEntry, reserveJoinCode, type JoinCodeSource, type StoredCode } from '../lesson/join-codes'
import { createKeyedQueue } from './keyed-queue'
import type { RoomState } from '../../../shared/protocol/signal'
import { createAuthorBook, type AuthorRemoval } from './registry-authors'
import { createInviteBook, type EnrolOutcome, type InviteMint, type InviteRevocation } from './registry-invites'
import { admitKey, hashSecret, keyedSite, roomStateOf, StoredSiteSchema, tokenMatches, withAuthorName, type AuthorRole, type SiteEntries, type StoredAuthor, type StoredSite } from './site-entry'

/** The outcome of claiming a site name by its legacy owner token: the token and join code, or a refusal. */
export type SiteClaim = { ok: true, token: string, code: string } | { ok: false }
/** The outcome of claiming a site name by an author key: the key's role and the join code, or a refusal. */
export type KeyClaim = { ok: true, role: AuthorRole, code: string, room: RoomState } | { ok: false }

/** Who may host which site name (owner token, or author keys), its invites, and which join code opens which site. */
export interface SiteRegistry {
  /** Legacy: the first claim mints the owner token, later ones must present it. A site claimed by key has none. Either way the site gets its join code. */
  claim(site: string, token?: string): Promise<SiteClaim>
  /** Claim `site` with a proven author key (canonical): a free name makes it the owner; an author keeps its role (and `name`, when given, becomes its name); the legacy `token` makes it the owner and is then forgotten. */
  claimWithKey(site: string, key: string, token?: string, name?: string): Promise<KeyClaim>
  /** Mint an invite to `site` lasting `ttlSeconds` from `now` (ms); only an owner key may. */
  mintInvite(site: string, ownerKey: string, ttlSeconds: number, now: number): Promise<InviteMint>
  /** Make invite `code` unusable; only an owner key may. Revoking an unknown or expired invite succeeds. */
  revokeInvite(site: string, ownerKey: string, code: string, now: number): Promise<InviteRevocation>
  /** Add `key` as an author of `site` with a live invite (an author already keeps its role). */
  enrol(site: string, key: string, code: string, now: number): Promise<EnrolOutcome>
  /** Remove the author `authorId` (a key id) from `site`; only an owner key may, and not itself. The room moves to a new epoch. */
  removeAuthor(site: string, ownerKey: string, authorId: string): Promise<AuthorRemoval>
  /** The room of `site` (epoch and secret) when `key` is one of its authors, else null. */
  roomFor(site: string, key: string): Promise<RoomState | null>
  /** The site's authors (none for a free or legacy site). */
  authors(site: string): Promise<StoredAuthor[]>
  /** Whether the name is taken (by a token or a key). */
  isClaimed(site: string): Promise<boolean>
  /** The site whose join code is `code` (canonical: upper case, no separators), or null. */
  siteOfCode(code: string): Promise<string | null>
}

/** The part of unstorage's `Storage` the registry uses (Nitro's `useStorage('data')` fits). */
export interface SiteStore {
  getItem(key: string): Promise<unknown>
  setItem(key: string, value: StoredSite | StoredCode): Promise<void>
}

/** Where the registry keeps things, and where join codes come from. */
export interface SiteRegistryOptions {
  /** Key prefix of site entries. */
  sitePrefix?: string
  /** Key prefix of join code entries (code → site). */
  codePrefix?: string
  codeSource?: JoinCodeSource
}

function siteEntries(store: SiteStore, prefix: string): SiteEntries {
  return {
    async read(site) {
      const raw = await store.getItem(`${prefix}${site}`)
      if (raw === null || raw === undefined) return null
      const stored = StoredSiteSchema.safeParse(raw)
      if (!stored.success) throw new Error(`corrupt registry entry ${prefix}${site}`)
      return stored.data
    },
    write: (site, entry) => store.setItem(`${prefix}${site}`, entry),
  }
}

/** A site registry over a key-value store; operations on one name, and code reservations, are serialised in this process. */
export function createStorageSiteRegistry(store: SiteStore, options: SiteRegistryOptions = {}): SiteRegistry {
  const { sitePrefix = 'signaling:sites:', codePrefix = 'signaling:codes:', codeSource = () => randomJoinCode() } = options
  const serialise = createKeyedQueue()
  const entries = siteEntries(store, sitePrefix)
  const codeKey = (code: string) => `${codePrefix}${code}`
  // One reservation at a time in the process, whatever the site: two sites must not take one code.
  const reserveCode = (site: string) => serialise('\0codes', () => reserveJoinCode(store, codeKey, site, codeSource))

  /** Store `entry`, with a join code if it has none yet; returns the code. */
  async function keep(site: string, entry: StoredSite, changed: boolean): Promise<string> {
    if (entry.code !== undefined) {
      if (changed) await entries.write(site, entry)
      return entry.code
    }
    const code = await reserveCode(site)
    await entries.write(site, { ...entry, code })
    return code
  }

  async function claimIn(site: string, token?: string): Promise<SiteClaim> {
    const stored = await entries.read(site)
    if (stored === null) {
      const minted = randomBytes(32).toString('base64url')
      // The code's entry first: a site entry never names a code that does not lead back to it.
      const code = await reserveCode(site)
      await entries.write(site, { tokenHash: hashSecret(minted).toString('hex'), createdAt: new Date().toISOString(), code, authors: [], invites: [], epoch: 0 })
      return { ok: true, token: minted, code }
    }
    // A site that has authors registers by key only: its token just brings keys in (claimWithKey).
    if (token === undefined || stored.authors.length > 0 || !tokenMatches(stored, token)) return { ok: false }
    return { ok: true, token, code: await keep(site, stored, false) }
  }

  async function claimWithKeyIn(site: string, key: string, token?: string, name?: string): Promise<KeyClaim> {
    const stored = await entries.read(site)
    if (stored === null) {
      const code = await reserveCode(site)
      const entry = withAuthorName(keyedSite(key, code, new Date()), key, name)
      await entries.write(site, entry)
      return { ok: true, role: 'owner', code, room: roomStateOf(entry) }
    }
    const admitted = admitKey(stored, key, token, new Date())
    if (!admitted) return { ok: false }
    const entry = withAuthorName(admitted.site, key, name)
    return { ok: true, role: admitted.role, code: await keep(site, entry, entry !== stored), room: roomStateOf(entry) }
  }

  const invites = createInviteBook(entries)
  const authors = createAuthorBook(entries)
  return {
    // Two first claims of a name must not both mint a token or an owner: run one operation on a name at a time.
    claim: (site, token) => serialise(site, () => claimIn(site, token)),
    claimWithKey: (site, key, token, name) => serialise(site, () => claimWithKeyIn(site, key, token, name)),
    mintInvite: (site, ownerKey, ttlSeconds, now) => serialise(site, () => invites.mint(site, ownerKey, ttlSeconds, now)),
    revokeInvite: (site, ownerKey, code, now) => serialise(site, () => invites.revoke(site, ownerKey, code, now)),
    enrol: (site, key, code, now) => serialise(site, () => invites.enrol(site, key, code, now)),
    removeAuthor: (site, ownerKey, authorId) => serialise(site, () => authors.remove(site, ownerKey, authorId)),
    roomFor: (site, key) => authors.roomFor(site, key),
    authors: site => authors.list(site),
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

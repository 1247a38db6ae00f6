import { randomBytes } from 'node:crypto'
import { JoinCodeSchema } from '../../../shared/protocol/lesson'
import { randomJoinCode, readCodeEntry, reserveJoinCode, type JoinCodeSource, type StoredCode } from '../lesson/join-codes'
import type { RoomState } from '../../../shared/protocol/signal'
import { SITE_EXPIRY_DAYS } from '../limits/defaults'
import type { Serialiser } from '../backplane/types'
import { createKeyedQueue } from './keyed-queue'
import { createAuthorBook, type AuthorRemoval } from './registry-authors'
import { createInviteBook, type EnrolOutcome, type InviteMint, type InviteRevocation } from './registry-invites'
import { sweepSites, type SiteSweep, type SweepableStore } from './registry-expiry'
import { admitKey, hashSecret, isExpired, keyedSite, roomStateOf, StoredSiteSchema, tokenMatches, withAuthorName, withHostedAt, type AuthorRole, type SiteEntries, type StoredAuthor, type StoredSite } from './site-entry'

/** The outcome of claiming a site name by its legacy owner token: the token and join code, or a refusal. */
export type SiteClaim = { ok: true, token: string, code: string } | ClaimRefusal
/** The outcome of claiming a site name by an author key: the key's role and the join code, or a refusal. */
export type KeyClaim = { ok: true, role: AuthorRole, code: string, room: RoomState } | ClaimRefusal
/** A refused claim: the name is someone else's, or (`too-many-names`) it is free but the claimant may not take another new name now. */
export type ClaimRefusal = { ok: false, reason?: 'too-many-names' }
/** Asked before a claim takes a free name: whether the claimant may take a new one now. */
export type AdmitNewName = () => boolean

/** Who may host which site name (owner token, or author keys), its invites, and which join code opens which site. */
export interface SiteRegistry {
  /** Legacy: the first claim mints the owner token, later ones must present it. A site claimed by key has none. Either way the site gets its join code. */
  claim(site: string, token?: string, admitNew?: AdmitNewName): Promise<SiteClaim>
  /** Claim `site` with a proven author key (canonical): a free name makes it the owner; an author keeps its role (and `name`, when given, becomes its name); the legacy `token` makes it the owner and is then forgotten. */
  claimWithKey(site: string, key: string, token?: string, name?: string, admitNew?: AdmitNewName): Promise<KeyClaim>
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
  /** Forget the sites no tab hosted for the expiry term, and stamp entries from before expiry so their term starts now; needs a store that lists keys. */
  sweepExpired(): Promise<SiteSweep>
}

/** The part of unstorage's `Storage` the registry uses (Nitro's `useStorage('data')` fits). */
export interface SiteStore extends Partial<SweepableStore> {
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
  /** The clock, in ms since the epoch (name expiry). */
  now?: () => number
  /** How long a name no tab hosts stays taken (SITE_EXPIRY_DAYS). */
  expiryMs?: number
  /** Runs the operations on one key one at a time: in this process by default; across instances, the backplane's lock. */
  serialise?: Serialiser
}

/** The site entries in `store`; an expired one reads as none, so its name is free to every operation. */
function siteEntries(store: SiteStore, prefix: string, expired: (site: StoredSite) => boolean): SiteEntries {
  return {
    async read(site) {
      const raw = await store.getItem(`${prefix}${site}`)
      if (raw === null || raw === undefined) return null
      const stored = StoredSiteSchema.safeParse(raw)
      if (!stored.success) throw new Error(`corrupt registry entry ${prefix}${site}`)
      return expired(stored.data) ? null : stored.data
    },
    write: (site, entry) => store.setItem(`${prefix}${site}`, entry),
  }
}

/** A site registry over a key-value store; operations on one name, and code reservations, are serialised (in this process, unless `serialise` says otherwise). */
export function createStorageSiteRegistry(store: SiteStore, options: SiteRegistryOptions = {}): SiteRegistry {
  const { sitePrefix = 'signaling:sites:', codePrefix = 'signaling:codes:', codeSource = () => randomJoinCode() } = options
  const { now = Date.now, expiryMs = SITE_EXPIRY_DAYS * 24 * 3600_000 } = options
  const serialise = options.serialise ?? createKeyedQueue()
  const expired = (site: StoredSite) => isExpired(site, now(), expiryMs)
  const entries = siteEntries(store, sitePrefix, expired)
  const codeKey = (code: string) => `${codePrefix}${code}`
  // One reservation at a time, whatever the site: two sites must not take one code.
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

  async function claimIn(site: string, token?: string, admitNew?: AdmitNewName): Promise<SiteClaim> {
    const stored = await entries.read(site)
    if (stored === null) {
      if (admitNew && !admitNew()) return { ok: false, reason: 'too-many-names' }
      const minted = randomBytes(32).toString('base64url')
      // The code's entry first: a site entry never names a code that does not lead back to it.
      const code = await reserveCode(site)
      const at = now()
      await entries.write(site, { tokenHash: hashSecret(minted).toString('hex'), createdAt: new Date(at).toISOString(), code, authors: [], invites: [], epoch: 0, lastHostedAt: at })
      return { ok: true, token: minted, code }
    }
    // A site that has authors registers by key only: its token just brings keys in (claimWithKey).
    if (token === undefined || stored.authors.length > 0 || !tokenMatches(stored, token)) return { ok: false }
    const entry = withHostedAt(stored, now())
    return { ok: true, token, code: await keep(site, entry, entry !== stored) }
  }

  async function claimWithKeyIn(site: string, key: string, token?: string, name?: string, admitNew?: AdmitNewName): Promise<KeyClaim> {
    const stored = await entries.read(site)
    if (stored === null) {
      if (admitNew && !admitNew()) return { ok: false, reason: 'too-many-names' }
      const code = await reserveCode(site)
      const entry = withAuthorName(keyedSite(key, code, new Date(now())), key, name)
      await entries.write(site, entry)
      return { ok: true, role: 'owner', code, room: roomStateOf(entry) }
    }
    const admitted = admitKey(stored, key, token, new Date(now()))
    if (!admitted) return { ok: false }
    const entry = withHostedAt(withAuthorName(admitted.site, key, name), now())
    return { ok: true, role: admitted.role, code: await keep(site, entry, entry !== stored), room: roomStateOf(entry) }
  }

  /** The site a code's entry names, when that site's entry names the code back (a name that expired and was claimed again has another). */
  async function siteOfCodeIn(code: string): Promise<string | null> {
    const site = await readCodeEntry(store, codeKey(code))
    if (site === null) return null
    const entry = await entries.read(site)
    return entry?.code === code ? site : null
  }

  const invites = createInviteBook(entries)
  const authors = createAuthorBook(entries)
  return {
    // Two first claims of a name must not both mint a token or an owner: run one operation on a name at a time.
    claim: (site, token, admitNew) => serialise(site, () => claimIn(site, token, admitNew)),
    claimWithKey: (site, key, token, name, admitNew) => serialise(site, () => claimWithKeyIn(site, key, token, name, admitNew)),
    mintInvite: (site, ownerKey, ttlSeconds, now) => serialise(site, () => invites.mint(site, ownerKey, ttlSeconds, now)),
    revokeInvite: (site, ownerKey, code, now) => serialise(site, () => invites.revoke(site, ownerKey, code, now)),
    enrol: (site, key, code, now) => serialise(site, () => invites.enrol(site, key, code, now)),
    removeAuthor: (site, ownerKey, authorId) => serialise(site, () => authors.remove(site, ownerKey, authorId)),
    // Reads wait their turn too: the file store writes an entry in place, and a read
    // in the middle of a write (the owner opens the author list as an invite is minted) sees half of it.
    roomFor: (site, key) => serialise(site, () => authors.roomFor(site, key)),
    authors: site => serialise(site, () => authors.list(site)),
    async isClaimed(site) {
      const raw = await store.getItem(`${sitePrefix}${site}`)
      if (raw === null || raw === undefined) return false
      // A corrupt entry keeps its name taken: only an expired one frees it.
      const stored = StoredSiteSchema.safeParse(raw)
      return !stored.success || !expired(stored.data)
    },
    // Only a canonical code reaches the store: anything else could name another key.
    siteOfCode: async code => (JoinCodeSchema.safeParse(code).success ? siteOfCodeIn(code) : null),
    sweepExpired: () => sweepSites(store, { sitePrefix, codeKey, now: now(), expired, serialise }),
  }
}

/** A key-value store in memory (tests, and single-process use without persistence). */
export function createMemorySiteStore(): SiteStore & SweepableStore & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>()
  return {
    entries,
    async getItem(key) {
      return entries.get(key) ?? null
    },
    async setItem(key, value) {
      entries.set(key, value)
    },
    async getKeys(base) {
      return [...entries.keys()].filter(key => key.startsWith(base))
    },
    async removeItem(key) {
      entries.delete(key)
    },
  }
}

/** A site registry in memory, for tests. */
export function createMemorySiteRegistry(options?: SiteRegistryOptions): SiteRegistry {
  return createStorageSiteRegistry(createMemorySiteStore(), options)
}

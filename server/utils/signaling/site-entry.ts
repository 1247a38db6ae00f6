import { createHash, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { AuthorKeySchema, AuthorNameSchema, RoomSecretSchema, type RoomState } from '../../../shared/protocol/signal'
import { JoinCodeSchema } from '../../../shared/protocol/lesson'

/** Most authors (keys) one site may have, the owner included. */
export const MAX_AUTHORS = 50
/** Most live (unexpired, unrevoked) invites one site may have at a time. */
export const MAX_INVITES = 20

const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/)
const AuthorRoleSchema = z.enum(['owner', 'author'])
/** What an author may do: the owner also mints and revokes invites. */
export type AuthorRole = z.infer<typeof AuthorRoleSchema>

const StoredAuthorSchema = z.object({ key: AuthorKeySchema, role: AuthorRoleSchema, addedAt: z.string(), name: AuthorNameSchema.optional() })
/** One author of a site: its public key (canonical SPKI, base64url), role, when it was added, and the name its tab last gave. */
export type StoredAuthor = z.infer<typeof StoredAuthorSchema>

const StoredInviteSchema = z.object({ hash: Sha256HexSchema, expiresAt: z.number().int(), by: z.string() })
/** A live invite: the SHA-256 (hex) of its code, never the code; when it expires (ms since the epoch); the key id of who minted it. */
export type StoredInvite = z.infer<typeof StoredInviteSchema>

// `code` came with join codes, `authors` and `invites` with author keys: entries written
// before have neither. `tokenHash` is the legacy owner token's: since every co-author
// of the token days held it, each may bring their key in with it for
// LEGACY_TOKEN_GRACE_MS after the first did (`tokenMigratedAt`); the token alone
// registers nothing once the site has an author.
// `epoch` and `roomSecret` came with author removal: each removal moves the
// co-authors' room to the next epoch with a fresh secret (see RoomStateSchema).
// `lastHostedAt` came with name expiry (ms since the epoch, stamped at most every
// HOSTED_STAMP_MS by a registration): a name no tab hosted for SITE_EXPIRY_DAYS is
// free again. An entry from before has none and never expires until the registry's
// sweep (or its next registration) stamps it, so it gets the full term from then.
// An entry with no way in at all (no token, no author) is corrupt, not free.
/** The schema of what the store keeps per site. */
export const StoredSiteSchema = z.object({
  tokenHash: Sha256HexSchema.optional(),
  tokenMigratedAt: z.number().int().optional(),
  createdAt: z.string(),
  code: JoinCodeSchema.optional(),
  authors: z.array(StoredAuthorSchema).default([]),
  invites: z.array(StoredInviteSchema).default([]),
  epoch: z.number().int().min(0).default(0),
  roomSecret: RoomSecretSchema.optional(),
  lastHostedAt: z.number().int().optional(),
}).refine(site => site.tokenHash !== undefined || site.authors.length > 0, 'a site has an owner token or an author')
/** What the store keeps per site. */
export type StoredSite = z.infer<typeof StoredSiteSchema>

/** A registry's access to site entries, which parses what it reads (a corrupt entry throws). */
export interface SiteEntries {
  read(site: string): Promise<StoredSite | null>
  write(site: string, entry: StoredSite): Promise<void>
}

/** SHA-256 of a secret (owner token, invite code), as the store keeps it. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest()
}

/** How long, after the first key came in with a site's legacy owner token, the other holders of that token may bring theirs. */
export const LEGACY_TOKEN_GRACE_MS = 30 * 24 * 3600_000

/** Whether `token` is the site's legacy owner token and still lets a key in at `now`; false once the site has none. */
export function tokenMatches(site: StoredSite, token: string, now = Date.now()): boolean {
  if (site.tokenMigratedAt !== undefined && now - site.tokenMigratedAt >= LEGACY_TOKEN_GRACE_MS) return false
  return site.tokenHash !== undefined && timingSafeEqual(Buffer.from(site.tokenHash, 'hex'), hashSecret(token))
}

/** The role of `key` in the site, or null when it is no author of it. */
export function roleOf(site: StoredSite, key: string): AuthorRole | null {
  return site.authors.find(author => author.key === key)?.role ?? null
}

/** A new site whose owner is `key`. */
export function keyedSite(key: string, code: string, now: Date): StoredSite {
  const addedAt = now.toISOString()
  return { createdAt: addedAt, code, authors: [{ key, role: 'owner', addedAt }], invites: [], epoch: 0, lastHostedAt: now.getTime() }
}

/** How stale `lastHostedAt` may get before a registration writes it again (one write an hour, not one per registration). */
export const HOSTED_STAMP_MS = 3600_000

/** The entry with `lastHostedAt` at `now` (the same object when it is less than HOSTED_STAMP_MS old). */
export function withHostedAt(site: StoredSite, now: number): StoredSite {
  if (site.lastHostedAt !== undefined && now - site.lastHostedAt < HOSTED_STAMP_MS) return site
  return { ...site, lastHostedAt: now }
}

/** Whether no tab hosted the site for `expiryMs` up to `now` (an entry never stamped has not expired). */
export function isExpired(site: StoredSite, now: number, expiryMs: number): boolean {
  return site.lastHostedAt !== undefined && now - site.lastHostedAt >= expiryMs
}

/** The room's epoch and secret, as the site's authors are told it. */
export function roomStateOf(site: StoredSite): RoomState {
  return site.roomSecret === undefined ? { epoch: site.epoch } : { epoch: site.epoch, secret: site.roomSecret }
}

/** The entry with `key`'s name set to `name` (the same object when nothing changes, or `key` is no author). */
export function withAuthorName(site: StoredSite, key: string, name: string | undefined): StoredSite {
  if (name === undefined || !site.authors.some(author => author.key === key && author.name !== name)) return site
  return { ...site, authors: site.authors.map(author => (author.key === key ? { ...author, name } : author)) }
}

/**
 * Let `key` in by its own standing, or by the legacy token: an author keeps
 * its role; a holder of the token (before keys, every co-author held it, as an
 * owner) brings their key in as an owner, within LEGACY_TOKEN_GRACE_MS of the
 * first who did, so nobody who had the site loses it. Returns the entry to
 * store (the same object when nothing changed), or null for a refusal.
 */
export function admitKey(site: StoredSite, key: string, token: string | undefined, now: Date): { role: AuthorRole, site: StoredSite } | null {
  const role = roleOf(site, key)
  if (role !== null) return { role, site }
  if (token === undefined || !tokenMatches(site, token, now.getTime()) || site.authors.length >= MAX_AUTHORS) return null
  const migrated: StoredSite = {
    ...site,
    tokenMigratedAt: site.tokenMigratedAt ?? now.getTime(),
    authors: [...site.authors, { key, role: 'owner', addedAt: now.toISOString() }],
  }
  return { role: 'owner', site: migrated }
}

/** The invites still live at `now`. */
export function liveInvites(site: StoredSite, now: number): StoredInvite[] {
  return site.invites.filter(invite => invite.expiresAt > now)
}

// Codes are looked up by their hash: comparing hashes leaks nothing about a code through timing.
/** The live invite whose code is `code`, if any. */
export function findInvite(site: StoredSite, code: string, now: number): StoredInvite | undefined {
  const hash = hashSecret(code).toString('hex')
  return liveInvites(site, now).find(invite => invite.hash === hash)
}

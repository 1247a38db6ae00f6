import { randomBytes } from 'node:crypto'
import { authorKeyId } from './author-keys'
import type { RoomState } from '../../../shared/protocol/signal'
import { MAX_AUTHORS, MAX_INVITES, findInvite, hashSecret, liveInvites, roleOf, roomStateOf, type AuthorRole, type SiteEntries, type StoredAuthor } from './site-entry'

/** A minted invite (the code exists only here and in the owner's reply), or why not. */
export type InviteMint = { ok: true, invite: string, expiresAt: number } | { ok: false, reason: 'not-owner' | 'too-many' }
/** Whether an invite was revoked (or was already unusable), or why not. */
export type InviteRevocation = { ok: true } | { ok: false, reason: 'not-owner' }
/** The enrolled key's role, or why it was refused. */
export type EnrolOutcome = { ok: true, role: AuthorRole, room: RoomState } | { ok: false, reason: 'bad-invite' | 'too-many' }

/**
 * Invites of sites, over the registry's entries. The caller serialises the
 * operations on one site. Expired invites are dropped whenever an entry is
 * written, so a site's list stays near MAX_INVITES.
 */
export function createInviteBook(entries: SiteEntries) {
  async function mint(site: string, ownerKey: string, ttlSeconds: number, now: number): Promise<InviteMint> {
    const stored = await entries.read(site)
    if (stored === null || roleOf(stored, ownerKey) !== 'owner') return { ok: false, reason: 'not-owner' }
    const live = liveInvites(stored, now)
    if (live.length >= MAX_INVITES) return { ok: false, reason: 'too-many' }
    const invite = randomBytes(32).toString('base64url')
    const expiresAt = now + ttlSeconds * 1000
    await entries.write(site, { ...stored, invites: [...live, { hash: hashSecret(invite).toString('hex'), expiresAt, by: authorKeyId(ownerKey) }] })
    return { ok: true, invite, expiresAt }
  }

  async function revoke(site: string, ownerKey: string, code: string, now: number): Promise<InviteRevocation> {
    const stored = await entries.read(site)
    if (stored === null || roleOf(stored, ownerKey) !== 'owner') return { ok: false, reason: 'not-owner' }
    const hash = hashSecret(code).toString('hex')
    const invites = liveInvites(stored, now).filter(invite => invite.hash !== hash)
    if (invites.length !== stored.invites.length) await entries.write(site, { ...stored, invites })
    return { ok: true }
  }

  // An invite admits any number of browsers until it expires or is revoked: a class shares one link.
  async function enrol(site: string, key: string, code: string, now: number): Promise<EnrolOutcome> {
    const stored = await entries.read(site)
    if (stored === null || findInvite(stored, code, now) === undefined) return { ok: false, reason: 'bad-invite' }
    const role = roleOf(stored, key)
    if (role !== null) return { ok: true, role, room: roomStateOf(stored) }
    if (stored.authors.length >= MAX_AUTHORS) return { ok: false, reason: 'too-many' }
    const author: StoredAuthor = { key, role: 'author', addedAt: new Date(now).toISOString() }
    await entries.write(site, { ...stored, authors: [...stored.authors, author], invites: liveInvites(stored, now) })
    return { ok: true, role: 'author', room: roomStateOf(stored) }
  }

  return { mint, revoke, enrol }
}

import { randomBytes } from 'node:crypto'
import type { RoomState } from '../../../shared/protocol/signal'
import { authorKeyId } from './author-keys'
import { roleOf, roomStateOf, type SiteEntries, type StoredAuthor } from './site-entry'

/** A removed author's key and the room the others move to, or why nothing was removed. */
export type AuthorRemoval = { ok: true, key: string, room: RoomState } | { ok: false, reason: 'not-owner' | 'bad-author' }

/**
 * Authors of sites, over the registry's entries. The caller serialises the
 * operations on one site.
 */
export function createAuthorBook(entries: SiteEntries) {
  /**
   * Remove the author whose id is `authorId`: its key is forgotten, so are
   * the invites it minted (an owner can be removed by another owner), and the
   * room moves to the next epoch with a fresh secret. An owner may remove any
   * author but itself (a site keeps an owner).
   */
  async function remove(site: string, ownerKey: string, authorId: string): Promise<AuthorRemoval> {
    const stored = await entries.read(site)
    if (stored === null || roleOf(stored, ownerKey) !== 'owner') return { ok: false, reason: 'not-owner' }
    const removed = stored.authors.find(author => authorKeyId(author.key) === authorId)
    if (!removed || removed.key === ownerKey) return { ok: false, reason: 'bad-author' }
    const next = {
      ...stored,
      authors: stored.authors.filter(author => author !== removed),
      invites: stored.invites.filter(invite => invite.by !== authorId),
      epoch: stored.epoch + 1,
      roomSecret: randomBytes(32).toString('base64url'),
    }
    await entries.write(site, next)
    return { ok: true, key: removed.key, room: roomStateOf(next) }
  }

  /** The room of `site` when `key` is one of its authors, else null. */
  async function roomFor(site: string, key: string): Promise<RoomState | null> {
    const stored = await entries.read(site)
    return stored !== null && roleOf(stored, key) !== null ? roomStateOf(stored) : null
  }

  /** The authors of `site`, none for a free or legacy one. */
  async function list(site: string): Promise<StoredAuthor[]> {
    return (await entries.read(site))?.authors ?? []
  }

  return { remove, roomFor, list }
}

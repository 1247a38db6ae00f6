import { AUTHOR_NAME_KEY, authorRoleKey, ownerTokenKey, roomKeyKey } from '../../shared/storage-keys'
import { randomId } from '../vserver/crypto'
import { inviteLink, type Invite } from './invite'

/** The part of `Storage` credentials need (localStorage in the app, a Map in tests). */
export interface CredentialStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** The legacy owner token of `site` held by this browser, or null (sites registered by key have none). */
export function ownerToken(storage: CredentialStorage, site: string): string | null {
  return storage.getItem(ownerTokenKey(site))
}

/** Keep the owner token signaling handed out for `site`. */
export function keepOwnerToken(storage: CredentialStorage, site: string, token: string): void {
  storage.setItem(ownerTokenKey(site), token)
}

/** The server accepted this browser's key for `site`: remember the role (a hint for the UI), and drop a legacy token, which is no credential any more. */
export function keepAuthorRole(storage: CredentialStorage, site: string, role: 'owner' | 'author'): void {
  storage.setItem(authorRoleKey(site), role)
  storage.removeItem(ownerTokenKey(site))
}

/** This browser's role in `site` as the server last said, or null. */
export function authorRole(storage: CredentialStorage, site: string): 'owner' | 'author' | null {
  const role = storage.getItem(authorRoleKey(site))
  return role === 'owner' || role === 'author' ? role : null
}

/** Whether this browser is an author of `site` (it created the site, or accepted an invite), by its role or a legacy token. */
export function ownsSite(storage: CredentialStorage, site: string): boolean {
  return authorRole(storage, site) !== null || ownerToken(storage, site) !== null
}

/** The room key of `site` in this browser (y-webrtc's password); made on first use when `make`. */
export function roomKey(storage: CredentialStorage, site: string, make = true): string | null {
  const stored = storage.getItem(roomKeyKey(site))
  if (stored || !make) return stored
  const key = randomId(32)
  storage.setItem(roomKeyKey(site), key)
  return key
}

/** Keep an invite's room key once the server enrolled this browser's key: it is now a co-author of `site`. */
export function acceptInvite(storage: CredentialStorage, site: string, invite: Invite): void {
  storage.setItem(roomKeyKey(site), invite.key)
  storage.setItem(authorRoleKey(site), 'author')
}

/** The owner removed this browser from `site`: its role, room key and any legacy token are no use any more. */
export function forgetAuthorship(storage: CredentialStorage, site: string): void {
  storage.removeItem(authorRoleKey(site))
  storage.removeItem(roomKeyKey(site))
  storage.removeItem(ownerTokenKey(site))
}

/** The author's name in this browser, or a made-up one until they choose. */
export function authorName(storage: CredentialStorage, random: () => number = Math.random): string {
  return storage.getItem(AUTHOR_NAME_KEY) ?? `Author ${Math.floor(100 + random() * 900)}`
}

/** Remember the author's name (trimmed, at most 60 characters); an empty name is ignored. Returns what was kept. */
export function keepAuthorName(storage: CredentialStorage, name: string): string | null {
  const trimmed = name.trim().slice(0, 60)
  if (!trimmed) return null
  storage.setItem(AUTHOR_NAME_KEY, trimmed)
  return trimmed
}

/** The invite link of `site` with a minted invite `code`, or '' while this browser holds no room key for it. */
export function siteInviteLink(storage: CredentialStorage, origin: string, site: string, code: string): string {
  const key = roomKey(storage, site, false)
  return key ? inviteLink(origin, site, { key, code }) : ''
}

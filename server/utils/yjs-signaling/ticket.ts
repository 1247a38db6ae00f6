import { z } from 'zod'
import { AuthorKeySchema, SignatureSchema, roomProof, type RoomState } from '../../../shared/protocol/signal'
import { SiteNameSchema } from '../../../shared/protocol/site'
import { siteRoomName } from '../../../shared/protocol/yjs-signal'
import { canonicalAuthorKey, verifyAuthorSignature } from '../signaling/author-keys'
import type { RoomAccess } from './state'

const RoomTicketSchema = z.object({
  site: SiteNameSchema,
  epoch: z.string().regex(/^\d{1,9}$/).transform(Number),
  key: AuthorKeySchema,
  sig: SignatureSchema,
})
/** A room ticket as the query of a /_ps/yjs URL carries it (ROOM_TICKET_PARAMS). */
export type RoomTicket = z.infer<typeof RoomTicketSchema>

/** The ticket in a room signaling URL, or null when it has none or a malformed one. */
export function readRoomTicket(url: string): RoomTicket | null {
  let params: URLSearchParams
  try {
    params = new URL(url, 'http://localhost').searchParams
  }
  catch {
    // Not a URL: no ticket in it.
    return null
  }
  const parsed = RoomTicketSchema.safeParse(Object.fromEntries(params))
  return parsed.success ? parsed.data : null
}

/** Where the ticket's key stands in its site: the room, when the key is one of its authors (null: it is not). */
export type RoomLookup = (site: string, key: string) => Promise<RoomState | null>

/**
 * What a ticket lets its connection into, or why not: the key must be a
 * current author of the site, the epoch the room's current one (a removal
 * moves it on, so an older ticket opens nothing), and the signature the
 * key's, of `roomProof(site, epoch)`.
 */
export async function admitRoomTicket(ticket: RoomTicket, roomFor: RoomLookup): Promise<{ ok: true, access: RoomAccess } | { ok: false, why: string }> {
  const key = canonicalAuthorKey(ticket.key)
  if (key === null) return { ok: false, why: 'the ticket\'s key is not a P-256 public key' }
  if (!verifyAuthorSignature(key, roomProof(ticket.site, ticket.epoch), ticket.sig)) return { ok: false, why: 'the ticket\'s signature does not verify with its key' }
  const room = await roomFor(ticket.site, key)
  if (room === null) return { ok: false, why: `the ticket's key is not an author of ${ticket.site}` }
  if (room.epoch !== ticket.epoch) return { ok: false, why: `the room of ${ticket.site} is at epoch ${room.epoch}, the ticket is for ${ticket.epoch}` }
  return { ok: true, access: { site: ticket.site, epoch: ticket.epoch, key, topic: siteRoomName(ticket.site, ticket.epoch) } }
}

import { z } from 'zod'
import { AuthorIdSchema, AuthorKeySchema, IceServerSchema, RoomStateSchema, SessionIdSchema, SignalDataSchema } from '../../../shared/protocol/signal'
import { SiteNameSchema } from '../../../shared/protocol/site'
import { decodeEnvelope, encodeEnvelope } from '../backplane/envelope'

// What one instance's hub tells another's over the backplane (the instances
// trust each other; the schema still guards against a Redis shared with
// something else). `from` is the sending instance; `peer` the sending party
// of the session, which the receiver checks against its own record of it.

const PeerIdSchema = z.string().min(1).max(200)
const InstanceIdSchema = z.string().min(1).max(100)

/** The schema of every message between hubs. */
export const ClusterMessageSchema = z.discriminatedUnion('kind', [
  // A visitor here was introduced to a host there: open the session there, and tell the host.
  z.object({ kind: z.literal('open'), from: InstanceIdSchema, session: SessionIdSchema, site: SiteNameSchema, host: PeerIdSchema, visitor: PeerIdSchema, iceServers: z.array(IceServerSchema).optional() }),
  z.object({ kind: z.literal('signal'), from: InstanceIdSchema, session: SessionIdSchema, peer: PeerIdSchema, data: SignalDataSchema }),
  // The party `peer` left the session (a `leave`, or its socket closed; or the host was gone when `open` came).
  z.object({ kind: z.literal('leave'), from: InstanceIdSchema, session: SessionIdSchema, peer: PeerIdSchema }),
  // The envelope's body is the relay frame, unchanged.
  z.object({ kind: z.literal('relay'), from: InstanceIdSchema, session: SessionIdSchema, peer: PeerIdSchema }),
  // To every instance: an owner removed `key` from `site`; its tabs are closed, the others move to `room`.
  z.object({ kind: z.literal('author-removed'), from: InstanceIdSchema, site: SiteNameSchema, key: AuthorKeySchema, author: AuthorIdSchema, room: RoomStateSchema }),
])
/** A message between hubs. */
export type ClusterMessage = z.infer<typeof ClusterMessageSchema>
/** A message between hubs before the sender's instance is stamped on it. */
export type ClusterMessageDraft = ClusterMessage extends infer M ? M extends ClusterMessage ? Omit<M, 'from'> : never : never

/** The channel of messages to one instance's hub. */
export const inboxChannel = (instance: string) => `signal:to:${instance}`
/** The channel of messages to every instance's hub. */
export const BROADCAST_CHANNEL = 'signal:all'

/** The bytes of `message` (with `body`, a relay frame). */
export function encodeClusterMessage(message: ClusterMessage, body?: Uint8Array): Uint8Array {
  return encodeEnvelope(message, body)
}

/** The message and body in `bytes`, or null when they are not a valid one. */
export function decodeClusterMessage(bytes: Uint8Array): { message: ClusterMessage, body: Uint8Array } | null {
  const envelope = decodeEnvelope(bytes)
  if (!envelope) return null
  const parsed = ClusterMessageSchema.safeParse(envelope.head)
  return parsed.success ? { message: parsed.data, body: envelope.body } : null
}

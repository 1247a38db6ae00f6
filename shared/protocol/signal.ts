import { z } from 'zod'
import { decodeJsonMessage, isOverUtf8Limit, messageTypes, type JsonDecodeResult } from './json'
import { JoinCodeSchema } from './lesson'
import { SiteNameSchema } from './site'

// The signaling wire: JSON text messages over the WebSocket at /_ps/signal,
// plus binary relay frames. PROTOCOL.md ("Signaling") documents both.

/** Largest signaling message, text or binary, in bytes (UTF-8 for text). */
export const MAX_SIGNAL_BYTES = 64 * 1024
/** Length of a session id: 16 base64url characters (96 random bits). */
export const SESSION_ID_LENGTH = 16

/** A session id as the server mints it. */
export const SessionIdSchema = z.string().regex(/^[\w-]{16}$/, 'a session id is 16 base64url characters')
/** An owner token (the server mints 43 base64url characters). */
export const TokenSchema = z.string().min(1, 'the token is empty').max(256, 'the token is too long')

/** An SDP offer or answer, as RTCSessionDescriptionInit. */
export const DescriptionSchema = z.object({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string(),
})
/** An ICE candidate, as RTCIceCandidateInit (`candidate` left out means "", as in WebRTC). */
export const CandidateSchema = z.object({
  candidate: z.string().optional(),
  sdpMid: z.string().nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(65535).nullable().optional(),
  usernameFragment: z.string().nullable().optional(),
})
/** Why a host turned a visitor's connection away: too many connecting at once, or it did not connect in time. */
export const RefusalReasonSchema = z.enum(['busy', 'timeout'])
export type RefusalReason = z.infer<typeof RefusalReasonSchema>
/**
 * What one side of a session tells the other: a description, a candidate
 * (null: end of candidates), or, from the host, that it refuses the
 * connection (it leaves the session next). `refused` came later: a client
 * that predates it drops the message as invalid.
 */
export const SignalDataSchema = z.union([
  z.object({ description: DescriptionSchema }),
  z.object({ candidate: CandidateSchema.nullable() }),
  z.object({ refused: RefusalReasonSchema }),
])
/** One STUN/TURN server, as RTCIceServer. */
export const IceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
})

/** An author's public key: the SPKI (DER) of an ECDSA P-256 key, base64url. Each author's browser has its own. */
export const AuthorKeySchema = z.string().regex(/^[\w-]{80,200}$/, 'an author key is the base64url SPKI of a P-256 key')
/** An ECDSA P-256 / SHA-256 signature in IEEE P1363 form (r‖s, 64 bytes), base64url. */
export const SignatureSchema = z.string().regex(/^[\w-]{86}$/, 'a signature is 64 bytes, base64url')
/** A challenge nonce as the server mints it: 32 random bytes, base64url. */
export const NonceSchema = z.string().regex(/^[\w-]{43}$/, 'a nonce is 32 bytes, base64url')
/** An invite the owner minted: 32 random bytes, base64url. The server keeps only its hash. */
export const InviteCodeSchema = z.string().regex(/^[\w-]{43}$/, 'an invite code is 32 bytes, base64url')

/** An author's id: 16 base64url characters of its key's SHA-256 (the author list and removal name authors by it). */
export const AuthorIdSchema = z.string().regex(/^[\w-]{16}$/, 'an author id is 16 base64url characters')
/** The name an author goes by, as its own tab tells the server (the owner sees it in the author list). */
export const AuthorNameSchema = z.string().trim().min(1, 'the name is empty').max(60, 'a name is at most 60 characters')
/** A room secret: 32 random bytes, base64url, minted by the server each time an author is removed. */
export const RoomSecretSchema = z.string().regex(/^[\w-]{43}$/, 'a room secret is 32 bytes, base64url')

/**
 * The co-authors' room as the server knows it: its epoch (how many authors
 * have been removed) and, from the first removal on, the secret of the
 * current epoch. The room's password is derived from the room key the
 * authors hold and this secret (lib/studio/site-room.ts): a removed author
 * knows the key but never gets the new secret; the server knows the secret
 * but never the key.
 */
export const RoomStateSchema = z.object({ epoch: z.number().int().min(0), secret: RoomSecretSchema.optional() })
/** The room's epoch and secret. */
export type RoomState = z.infer<typeof RoomStateSchema>

/** How long a challenge nonce may be answered, once. */
export const CHALLENGE_TTL_MS = 30_000
/** How long an invite lasts unless the owner asks for less (and the most it may last). */
export const INVITE_TTL_SECONDS = { default: 24 * 3600, max: 7 * 24 * 3600 } as const

/** What a host signs to register `site` with its key: the nonce, bound to the site and the purpose. */
export function hostProof(site: string, nonce: string): string {
  return `peerserver host ${site} ${nonce}`
}

/**
 * What an author signs to be let into the room signaling of `site` at
 * `epoch` (its ticket to /_ps/yjs). No nonce: the ticket serves every
 * reconnect, and stops working when the epoch moves on or the key is removed.
 */
export function roomProof(site: string, epoch: number): string {
  return `peerserver room ${site} ${epoch}`
}

/** What a new author signs to enrol its key in `site` with `invite`. */
export function enrolProof(site: string, invite: string, nonce: string): string {
  return `peerserver enrol ${site} ${invite} ${nonce}`
}

// `host` with `key` proves an author key by signing a challenge (hostProof); `token`
// with it is the legacy owner token, which enrols the key as owner once and is then
// forgotten. `host` without `key` is the legacy token registration.
const HostMessageSchema = z.object({
  type: z.literal('host'),
  site: SiteNameSchema,
  token: TokenSchema.optional(),
  key: AuthorKeySchema.optional(),
  signature: SignatureSchema.optional(),
  name: AuthorNameSchema.optional(),
})
const ChallengeMessageSchema = z.object({ type: z.literal('challenge') })
const EnrolMessageSchema = z.object({ type: z.literal('enrol'), site: SiteNameSchema, key: AuthorKeySchema, invite: InviteCodeSchema, signature: SignatureSchema })
const InviteMintMessageSchema = z.object({ type: z.literal('invite-mint'), ttlSeconds: z.number().int().min(60).max(INVITE_TTL_SECONDS.max).optional() })
const InviteRevokeMessageSchema = z.object({ type: z.literal('invite-revoke'), invite: InviteCodeSchema })
const AuthorsMessageSchema = z.object({ type: z.literal('authors') })
const AuthorRemoveMessageSchema = z.object({ type: z.literal('author-remove'), author: AuthorIdSchema })
const VisitMessageSchema = z.object({ type: z.literal('visit'), site: SiteNameSchema })
const SignalMessageSchema = z.object({ type: z.literal('signal'), session: SessionIdSchema, data: SignalDataSchema })
const LeaveMessageSchema = z.object({ type: z.literal('leave'), session: SessionIdSchema })
const PingMessageSchema = z.object({ type: z.literal('ping') })

/** Every message a client (host or visitor) sends to the signaling server. */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  HostMessageSchema,
  ChallengeMessageSchema,
  EnrolMessageSchema,
  InviteMintMessageSchema,
  InviteRevokeMessageSchema,
  AuthorsMessageSchema,
  AuthorRemoveMessageSchema,
  VisitMessageSchema,
  SignalMessageSchema,
  LeaveMessageSchema,
  PingMessageSchema,
])

/** Protocol error codes. */
export const SIGNAL_ERROR_CODES = [
  'bad-json', 'bad-message', 'unknown-type', 'too-large', 'name-taken',
  'already-hosting', 'no-host', 'not-your-session', 'bad-origin', 'internal',
  'no-challenge', 'bad-signature', 'bad-invite', 'not-owner', 'too-many',
  'bad-author', 'removed', 'too-many-sessions', 'rate-limited',
  'too-many-connections', 'relay-rate', 'relay-quota', 'too-many-names',
] as const
/** A protocol error code. */
export type SignalErrorCode = typeof SIGNAL_ERROR_CODES[number]
/** Schema of a protocol error code. */
export const SignalErrorCodeSchema = z.enum(SIGNAL_ERROR_CODES)
/** What each error code means; the default text of an `error` message. */
export const SIGNAL_ERRORS: Record<SignalErrorCode, string> = {
  'bad-json': 'the text message is not JSON',
  'bad-message': 'the message does not match its type\'s schema',
  'unknown-type': 'no client message has this type',
  'too-large': `the message is over ${MAX_SIGNAL_BYTES} bytes`,
  'name-taken': 'that name is taken',
  'already-hosting': 'this connection already hosts a site',
  'no-host': 'no host is online for that site',
  'not-your-session': 'you are not a party to that session',
  'bad-origin': 'pages of this origin may not use this signaling server',
  'internal': 'the server failed; the message was dropped',
  'no-challenge': 'ask for a challenge first: none is pending, or it expired or was used',
  'bad-signature': 'the signature does not verify with that key',
  'bad-invite': 'this invite is not valid: it expired, was revoked, or was never made',
  'not-owner': 'only the site\'s owner may do that, from a tab that hosts it',
  'too-many': 'the site has as many authors, or live invites, as a site may have',
  'bad-author': 'no other author of this site has that id',
  'removed': 'the owner removed this browser from the site\'s authors',
  'too-many-sessions': 'this connection has as many visit sessions open as one may; leave one first',
  'rate-limited': 'this connection sent too many messages too fast; messages are dropped until it slows down',
  'too-many-connections': 'too many connections from this address; the server closes this one',
  'relay-rate': 'the session relays more bytes a second than the server allows; the frame was dropped',
  'relay-quota': 'the site used the relay bytes it may use today; the frame was dropped (peer-to-peer still works)',
  'too-many-names': 'this address claimed as many new site names this hour as it may; try again later, or host a name it has',
}

/** WebSocket close codes of the signaling servers (/_ps/signal and /_ps/yjs). */
export const SIGNAL_CLOSE_CODES = {
  /** The owner removed the connection's author key (or the room moved on). */
  removed: 4403,
  /** Too many connections from the client's address (`too-many-connections`). */
  tooManyConnections: 4429,
} as const

// `code`, the site's join code, came later: optional, as a server that predates it sends none (and clients that predate it drop it).
// `token` only answers a legacy (token) registration; `role` a registration by key.
// `room` answers a registration by key, and an enrolment: the epoch and secret the room's password needs.
const HostingMessageSchema = z.object({ type: z.literal('hosting'), site: SiteNameSchema, token: TokenSchema.optional(), code: JoinCodeSchema.optional(), role: z.enum(['owner', 'author']).optional(), room: RoomStateSchema.optional() })
const ChallengeReplySchema = z.object({ type: z.literal('challenge'), nonce: NonceSchema })
const EnrolledMessageSchema = z.object({ type: z.literal('enrolled'), site: SiteNameSchema, room: RoomStateSchema.optional() })
/** One author of a site as the author list shows it; `name` is what that author's own tab last said. */
export const AuthorEntrySchema = z.object({
  id: AuthorIdSchema,
  role: z.enum(['owner', 'author']),
  name: AuthorNameSchema.optional(),
  addedAt: z.string(),
  /** A tab hosts the site with this key now. */
  online: z.boolean(),
  /** The key of the connection that asked. */
  self: z.boolean(),
})
/** One author of a site as the author list shows it. */
export type AuthorEntry = z.infer<typeof AuthorEntrySchema>
const AuthorsReplySchema = z.object({ type: z.literal('authors'), site: SiteNameSchema, authors: z.array(AuthorEntrySchema) })
// To every tab that hosts the site with a remaining key: the room moved to a new epoch.
const AuthorRemovedMessageSchema = z.object({ type: z.literal('author-removed'), site: SiteNameSchema, author: AuthorIdSchema, room: RoomStateSchema })
// `expiresAt` is in ms since the epoch, like Date.now().
const InviteMessageSchema = z.object({ type: z.literal('invite'), invite: InviteCodeSchema, expiresAt: z.number().int() })
const InviteRevokedMessageSchema = z.object({ type: z.literal('invite-revoked'), invite: InviteCodeSchema })
/**
 * The relay bytes each party of a session may send through the server: a
 * token bucket of `burstBytes`, refilled `bytesPerSecond`, counting whole
 * relay frames. Each direction has its own; a frame past it is dropped
 * (`relay-rate`), so a party paces itself below it.
 */
export const RelayRateSchema = z.object({ bytesPerSecond: z.number().positive(), burstBytes: z.number().positive() })
/** A session's relay rate, per direction. */
export type RelayRate = z.infer<typeof RelayRateSchema>
// `relay` came later (the session's relay rate): optional both ways, as a server that predates it sends none, and a client that predates it drops it.
const VisitingMessageSchema = z.object({ type: z.literal('visiting'), session: SessionIdSchema, site: SiteNameSchema, iceServers: z.array(IceServerSchema), relay: RelayRateSchema.optional() })
// `iceServers` came later (the session's TURN credential): a host without it uses its own configured ones.
const VisitorMessageSchema = z.object({ type: z.literal('visitor'), session: SessionIdSchema, iceServers: z.array(IceServerSchema).optional(), relay: RelayRateSchema.optional() })
const SessionClosedMessageSchema = z.object({ type: z.literal('session-closed'), session: SessionIdSchema, reason: z.enum(['visitor-left', 'host-left']) })
const PongMessageSchema = z.object({ type: z.literal('pong') })
// `session` names the session a refused relay frame was of (`relay-rate`, `relay-quota`); it came later, so it is optional.
const ErrorMessageSchema = z.object({ type: z.literal('error'), code: SignalErrorCodeSchema, message: z.string(), session: SessionIdSchema.optional() })

/** Every message the signaling server sends to a client. */
export const ServerMessageSchema = z.discriminatedUnion('type', [
  HostingMessageSchema,
  ChallengeReplySchema,
  EnrolledMessageSchema,
  InviteMessageSchema,
  InviteRevokedMessageSchema,
  AuthorsReplySchema,
  AuthorRemovedMessageSchema,
  VisitingMessageSchema,
  VisitorMessageSchema,
  SignalMessageSchema,
  SessionClosedMessageSchema,
  PongMessageSchema,
  ErrorMessageSchema,
])

export type ClientMessage = z.infer<typeof ClientMessageSchema>
export type ServerMessage = z.infer<typeof ServerMessageSchema>
export type ClientMessageType = ClientMessage['type']
export type SignalData = z.infer<typeof SignalDataSchema>
export type IceServer = z.infer<typeof IceServerSchema>
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>
export type SessionClosedReason = z.infer<typeof SessionClosedMessageSchema>['reason']

/** An `error` message with `code`; the text defaults to the code's meaning. */
export function signalError(code: SignalErrorCode, message: string = SIGNAL_ERRORS[code]): ErrorMessage {
  return { type: 'error', code, message }
}

/** A decoded message, or the `error` message to answer it with. */
export type SignalDecodeResult<T> = JsonDecodeResult<T, ErrorMessage>

/** Encode a signaling message as JSON text; throws a RangeError over MAX_SIGNAL_BYTES. */
export function encodeSignal(message: ClientMessage | ServerMessage): string {
  const text = JSON.stringify(message)
  if (isOverSignalLimit(text)) throw new RangeError(`signaling message over ${MAX_SIGNAL_BYTES} bytes`)
  return text
}

const clientDialect = { schema: ClientMessageSchema, types: messageTypes(ClientMessageSchema), maxBytes: MAX_SIGNAL_BYTES, error: signalError }
const serverDialect = { schema: ServerMessageSchema, types: messageTypes(ServerMessageSchema), maxBytes: MAX_SIGNAL_BYTES, error: signalError }

/** Decode a client message (what the server receives); never throws. */
export function decodeSignal(text: string): SignalDecodeResult<ClientMessage> {
  return decodeJsonMessage(text, clientDialect)
}

/** Decode a server message (what a client receives); never throws. */
export function decodeServerSignal(text: string): SignalDecodeResult<ServerMessage> {
  return decodeJsonMessage(text, serverDialect)
}

/** Whether `text` is over MAX_SIGNAL_BYTES in UTF-8, without encoding it when the answer is clear. */
export function isOverSignalLimit(text: string): boolean {
  return isOverUtf8Limit(text, MAX_SIGNAL_BYTES)
}

/** Largest payload of one relay frame. */
export const MAX_RELAY_PAYLOAD_BYTES = MAX_SIGNAL_BYTES - 1 - SESSION_ID_LENGTH

/** A decoded relay frame (the payload is a view into the frame), or the `error` message to answer it with. */
export type RelayDecodeResult = { ok: true, session: string, payload: Uint8Array } | { ok: false, error: ErrorMessage }

/** Build a relay frame `[u8 n][n bytes: session id][payload]`; throws on a bad id or an oversized frame. */
export function encodeRelay(session: string, payload: Uint8Array): Uint8Array {
  if (!SessionIdSchema.safeParse(session).success) throw new TypeError(`not a session id: ${session}`)
  if (payload.length > MAX_RELAY_PAYLOAD_BYTES) throw new RangeError(`relay payload over ${MAX_RELAY_PAYLOAD_BYTES} bytes`)
  const frame = new Uint8Array(1 + session.length + payload.length)
  frame[0] = session.length
  for (let i = 0; i < session.length; i++) frame[1 + i] = session.charCodeAt(i)
  frame.set(payload, 1 + session.length)
  return frame
}

/** Split a relay frame into its session id and payload; never throws. */
export function decodeRelay(frame: Uint8Array): RelayDecodeResult {
  if (frame.length > MAX_SIGNAL_BYTES) return { ok: false, error: signalError('too-large') }
  const n = frame[0] ?? 0
  if (n === 0 || frame.length < 1 + n) return { ok: false, error: signalError('bad-message', 'a relay frame is [u8 n][n bytes: session id][payload]') }
  const session = String.fromCharCode(...frame.subarray(1, 1 + n))
  if (!SessionIdSchema.safeParse(session).success) return { ok: false, error: signalError('bad-message', 'the relay frame\'s session id is malformed') }
  return { ok: true, session, payload: frame.subarray(1 + n) }
}

/**
 * Whether bytes whose frame type is unknown are a relay frame rather than
 * JSON text: a relay frame starts with a control byte (n), JSON text with
 * "{" or whitespace. For runtimes that hand text and binary frames over
 * alike (crossws's Node adapter).
 */
export function isRelayFrame(bytes: Uint8Array): boolean {
  const first = bytes[0]
  return first !== undefined && first > 0 && first < 0x20 && first !== 0x09 && first !== 0x0a && first !== 0x0d
}

import { z } from 'zod'
import { decodeJsonMessage, isOverUtf8Limit, messageTypes, type JsonDecodeResult } from './json'

// The Yjs room signaling wire: y-webrtc's own protocol (its bin/server.js),
// JSON text messages over the WebSocket at /_ps/yjs, validated like every
// other message. PROTOCOL.md ("Yjs room signaling") documents it.

/** Largest message, either way, in bytes of UTF-8. */
export const MAX_YJS_SIGNAL_BYTES = 64 * 1024
/** Longest topic (a y-webrtc room name), in UTF-16 code units. */
export const MAX_YJS_TOPIC_LENGTH = 200
/** Most topics one `subscribe` or `unsubscribe` may name. */
export const MAX_YJS_TOPICS_PER_MESSAGE = 50
/** Most topics one connection may be subscribed to at once. */
export const MAX_YJS_TOPICS_PER_CONNECTION = 100

/** A topic: y-webrtc subscribes to each room by its name. */
export const YjsTopicSchema = z.string().min(1, 'a topic is not empty').max(MAX_YJS_TOPIC_LENGTH, `a topic is at most ${MAX_YJS_TOPIC_LENGTH} characters`)
const TopicListSchema = z.array(YjsTopicSchema).max(MAX_YJS_TOPICS_PER_MESSAGE, `at most ${MAX_YJS_TOPICS_PER_MESSAGE} topics per message`)

/** A JSON object whose fields are not ours to read. */
export type OpaqueObject = { [key: string]: unknown }
function isOpaqueObject(value: unknown): value is OpaqueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * What a publish carries, opaque to the server: a base64 string (y-webrtc
 * encrypts it with the room password) or a JSON object (no password). It is
 * passed on as it arrived, never copied field by field.
 */
export const YjsPayloadSchema = z.union([
  z.string(),
  z.custom<OpaqueObject>(isOpaqueObject, 'data is a string or a JSON object'),
])

const SubscribeMessageSchema = z.object({ type: z.literal('subscribe'), topics: TopicListSchema })
const UnsubscribeMessageSchema = z.object({ type: z.literal('unsubscribe'), topics: TopicListSchema })
const PublishMessageSchema = z.object({ type: z.literal('publish'), topic: YjsTopicSchema, data: YjsPayloadSchema })
const PingMessageSchema = z.object({ type: z.literal('ping') })

/** Every message a y-webrtc client sends to the room signaling server. */
export const YjsSignalMessageSchema = z.discriminatedUnion('type', [
  SubscribeMessageSchema,
  UnsubscribeMessageSchema,
  PublishMessageSchema,
  PingMessageSchema,
])

/**
 * The y-webrtc room (topic) of the co-authors of `site` at room `epoch`: each
 * removal of an author moves them to a new one.
 */
export function siteRoomName(site: string, epoch: number): string {
  return epoch === 0 ? `peerserver:${site}` : `peerserver:${site}#${epoch}`
}

/**
 * The query of a room signaling URL: the author's ticket to one site's room,
 * `sig` being its key's signature of `roomProof(site, epoch)` (signal.ts).
 * The server lets the connection into that room's topic and no other.
 */
export const ROOM_TICKET_PARAMS = ['site', 'epoch', 'key', 'sig'] as const

/** Protocol error codes of the room signaling server. */
export const YJS_SIGNAL_ERROR_CODES = ['bad-json', 'bad-message', 'unknown-type', 'too-large', 'too-many-topics', 'bad-origin', 'internal', 'bad-ticket', 'forbidden-topic', 'too-many-subscribers', 'rate-limited', 'too-many-connections'] as const
/** A room signaling error code. */
export type YjsSignalErrorCode = typeof YJS_SIGNAL_ERROR_CODES[number]
/** What each error code means; the default text of an `error` message. */
export const YJS_SIGNAL_ERRORS: Record<YjsSignalErrorCode, string> = {
  'bad-json': 'the text message is not JSON',
  'bad-message': 'the message does not match its type\'s schema',
  'unknown-type': 'no client message has this type',
  'too-large': `the message is over ${MAX_YJS_SIGNAL_BYTES} bytes`,
  'too-many-topics': `a connection subscribes to at most ${MAX_YJS_TOPICS_PER_CONNECTION} topics`,
  'bad-origin': 'pages of this origin may not use this signaling server',
  'internal': 'the server failed; the message was dropped',
  'bad-ticket': 'room signaling needs a ticket of a current author of the site, for the room\'s current epoch',
  'forbidden-topic': 'this connection\'s ticket is for another room',
  'too-many-subscribers': 'the topic has as many subscribers as one may; the subscribe was refused',
  'rate-limited': 'this connection sent too many messages too fast; messages are dropped until it slows down',
  'too-many-connections': 'too many connections from this address; the server closes this one',
}

const PublishedMessageSchema = PublishMessageSchema.extend({ clients: z.number().int().min(0) })
const PongMessageSchema = z.object({ type: z.literal('pong') })
const ErrorMessageSchema = z.object({ type: z.literal('error'), code: z.enum(YJS_SIGNAL_ERROR_CODES), message: z.string() })

/** Every message the room signaling server sends (y-webrtc ignores types it does not know, such as `error`). */
export const YjsServerMessageSchema = z.discriminatedUnion('type', [
  PublishedMessageSchema,
  PongMessageSchema,
  ErrorMessageSchema,
])

export type YjsSignalMessage = z.infer<typeof YjsSignalMessageSchema>
export type YjsSignalMessageType = YjsSignalMessage['type']
export type YjsServerMessage = z.infer<typeof YjsServerMessageSchema>
export type YjsErrorMessage = z.infer<typeof ErrorMessageSchema>

/** An `error` message with `code`; the text defaults to the code's meaning. */
export function yjsSignalError(code: YjsSignalErrorCode, message: string = YJS_SIGNAL_ERRORS[code]): YjsErrorMessage {
  return { type: 'error', code, message }
}

/** Whether `text` is over MAX_YJS_SIGNAL_BYTES in UTF-8, without encoding it when the answer is clear. */
export function isOverYjsSignalLimit(text: string): boolean {
  return isOverUtf8Limit(text, MAX_YJS_SIGNAL_BYTES)
}

/** Encode a room signaling message as JSON text; throws a RangeError over MAX_YJS_SIGNAL_BYTES. */
export function encodeYjsSignal(message: YjsSignalMessage | YjsServerMessage): string {
  const text = JSON.stringify(message)
  if (isOverYjsSignalLimit(text)) throw new RangeError(`room signaling message over ${MAX_YJS_SIGNAL_BYTES} bytes`)
  return text
}

/** A decoded message, or the `error` message to answer it with. */
export type YjsSignalDecodeResult<T> = JsonDecodeResult<T, YjsErrorMessage>

const clientDialect = { schema: YjsSignalMessageSchema, types: messageTypes(YjsSignalMessageSchema), maxBytes: MAX_YJS_SIGNAL_BYTES, error: yjsSignalError }
const serverDialect = { schema: YjsServerMessageSchema, types: messageTypes(YjsServerMessageSchema), maxBytes: MAX_YJS_SIGNAL_BYTES, error: yjsSignalError }

/** Decode a client message (what the server receives); never throws. */
export function decodeYjsSignal(text: string): YjsSignalDecodeResult<YjsSignalMessage> {
  return decodeJsonMessage(text, clientDialect)
}

/** Decode a server message (what a client receives); never throws. */
export function decodeYjsServerSignal(text: string): YjsSignalDecodeResult<YjsServerMessage> {
  return decodeJsonMessage(text, serverDialect)
}

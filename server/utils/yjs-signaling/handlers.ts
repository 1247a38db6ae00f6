import { MAX_YJS_TOPICS_PER_CONNECTION, isOverYjsSignalLimit, yjsSignalError, type YjsServerMessage, type YjsSignalMessage, type YjsSignalMessageType } from '../../../shared/protocol/yjs-signal'
import type { ServerLimits } from '../limits/defaults'
import type { SignalingLog } from '../signaling/context'
import type { YjsPeerEntry, YjsRoomState } from './state'

/** What every room message handler may use. */
export interface YjsRoomsContext {
  state: YjsRoomState
  log: SignalingLog
  limits: ServerLimits
  /** Send a message to a connected peer; a failed send is logged, never thrown. */
  send(peerId: string, message: YjsServerMessage): void
  /** Send encoded text to a connected peer (one encoding for many receivers); a failed send is logged, never thrown. */
  sendText(peerId: string, text: string, what: string): void
  /** Pass a publish (its data as JSON text) to the topic's subscribers on other instances; null without any. */
  forward: ((topic: string, data: string) => void) | null
}

/** The text of a publish of `data` (JSON text) to `topic` as its `clients` receivers get it, fields in y-webrtc's order. */
export function publishedText(topic: string, data: string, clients: number): string {
  return `{"type":"publish","topic":${JSON.stringify(topic)},"data":${data},"clients":${clients}}`
}

type MessageOf<T extends YjsSignalMessageType> = Extract<YjsSignalMessage, { type: T }>
/** Handles one type of client message; `from` is the connection it came on. */
export type YjsSignalHandler<T extends YjsSignalMessageType> = (ctx: YjsRoomsContext, from: YjsPeerEntry, message: MessageOf<T>) => void
type AnyHandler = (ctx: YjsRoomsContext, from: YjsPeerEntry, message: YjsSignalMessage) => void

/** Whether the connection's ticket covers `topic`; otherwise it is told so. */
function mayUse(ctx: YjsRoomsContext, from: YjsPeerEntry, topics: readonly string[], what: string): boolean {
  const access = from.access
  if (access === null || topics.every(topic => topic === access.topic)) return true
  ctx.send(from.peer.id, yjsSignalError('forbidden-topic', `this connection's ticket is for the room of ${access.site} at epoch ${access.epoch} only: the ${what} was refused`))
  return false
}

const subscribe: YjsSignalHandler<'subscribe'> = (ctx, from, message) => {
  if (!mayUse(ctx, from, message.topics, 'subscribe')) return
  const max = ctx.limits.maxYjsSubscribersPerTopic
  const refused = ctx.state.subscribe(from, message.topics, max)
  if (refused === 'too-many-topics') ctx.send(from.peer.id, yjsSignalError('too-many-topics', `this connection is in ${from.topics.size} topics; at most ${MAX_YJS_TOPICS_PER_CONNECTION} at once: the subscribe was refused`))
  if (refused === 'too-many-subscribers') ctx.send(from.peer.id, yjsSignalError('too-many-subscribers', `a topic has at most ${max} subscribers: the subscribe was refused`))
}

const unsubscribe: YjsSignalHandler<'unsubscribe'> = (ctx, from, message) => ctx.state.unsubscribe(from, message.topics)

/**
 * `publish`: forward to every subscriber of the topic, the sender included
 * when subscribed, with `clients` (how many receive it), like y-webrtc's
 * server. The sender need not be subscribed (y-webrtc's server allows it).
 * Rebuilt from the parsed fields, so unknown fields are never relayed.
 * Subscribers on other instances get it through theirs (`clients` counts
 * the receivers of each instance).
 */
const publish: YjsSignalHandler<'publish'> = (ctx, from, message) => {
  if (!mayUse(ctx, from, [message.topic], 'publish')) return
  const receivers = ctx.state.subscribers(message.topic)
  if (receivers.size === 0 && !ctx.forward) return
  let data: string
  try {
    data = JSON.stringify(message.data)
  }
  catch (error) {
    // JSON.stringify recurses: a payload nested tens of thousands deep (it fits in 64 KiB) overflows the stack.
    ctx.send(from.peer.id, yjsSignalError('bad-message', `the publish could not be re-encoded: ${String(error)}`))
    return
  }
  const text = publishedText(message.topic, data, receivers.size)
  if (isOverYjsSignalLimit(text)) {
    ctx.send(from.peer.id, yjsSignalError('too-large', 'the forwarded publish would be over the size limit; it was dropped'))
    return
  }
  ctx.forward?.(message.topic, data)
  for (const id of [...receivers]) ctx.sendText(id, text, 'a publish')
}

const ping: YjsSignalHandler<'ping'> = (ctx, from) => ctx.send(from.peer.id, { type: 'pong' })

function entry<T extends YjsSignalMessageType>(type: T, handle: YjsSignalHandler<T>): [T, AnyHandler] {
  const isOfType = (message: YjsSignalMessage): message is MessageOf<T> => message.type === type
  return [type, (ctx, from, message) => (isOfType(message) ? handle(ctx, from, message) : undefined)]
}

/** The room message handlers, by message type. */
export const yjsSignalHandlers: ReadonlyMap<YjsSignalMessageType, AnyHandler> = new Map([
  entry('subscribe', subscribe),
  entry('unsubscribe', unsubscribe),
  entry('publish', publish),
  entry('ping', ping),
])

import { MAX_YJS_SIGNAL_BYTES, decodeYjsSignal, encodeYjsSignal, yjsSignalError, type YjsServerMessage } from '../../../shared/protocol/yjs-signal'
import type { SignalingLog } from '../signaling/context'
import { yjsSignalHandlers, type YjsRoomsContext } from './handlers'
import { YjsRoomState, type YjsPeer, type YjsPeerEntry } from './state'

/** The Yjs room hub: y-webrtc's signaling (topics and publish) for every connection of `/_ps/yjs`. */
export interface YjsRooms {
  connect(peer: YjsPeer): void
  /** Handle one message: text, or bytes of UTF-8 text (runtimes that don't tell frames apart). Never throws. */
  message(peerId: string, data: string | Uint8Array): void
  /** Forget a peer and its subscriptions. */
  disconnect(peerId: string): void
  /** Live counts, for logs and tests. */
  stats(): { peers: number, topics: number, subscriptions: number }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function createContext(state: YjsRoomState, log: SignalingLog): YjsRoomsContext {
  const sendText = (peerId: string, text: string, what: string) => {
    const entry = state.peers.get(peerId)
    if (!entry) return
    try {
      entry.peer.send(text)
    }
    catch (error) {
      log.warn(`could not send ${what} to ${peerId}`, error)
    }
  }
  return {
    state,
    log,
    sendText,
    send: (peerId, message: YjsServerMessage) => sendText(peerId, encodeYjsSignal(message), message.type),
  }
}

/** The text of a message, or the error to answer it with (bytes over the limit are not decoded). */
function toText(data: string | Uint8Array): { ok: true, text: string } | { ok: false, code: 'too-large' | 'bad-json' } {
  if (typeof data === 'string') return { ok: true, text: data }
  if (data.length > MAX_YJS_SIGNAL_BYTES) return { ok: false, code: 'too-large' }
  try {
    return { ok: true, text: utf8.decode(data) }
  }
  catch {
    // Not UTF-8, so not JSON text either: answered as bad-json below.
    return { ok: false, code: 'bad-json' }
  }
}

function handle(ctx: YjsRoomsContext, from: YjsPeerEntry, data: string | Uint8Array): void {
  const text = toText(data)
  if (!text.ok) {
    ctx.send(from.peer.id, yjsSignalError(text.code))
    return
  }
  const decoded = decodeYjsSignal(text.text)
  if (!decoded.ok) {
    ctx.send(from.peer.id, decoded.error)
    return
  }
  const handler = yjsSignalHandlers.get(decoded.message.type)
  if (!handler) {
    ctx.send(from.peer.id, yjsSignalError('unknown-type'))
    return
  }
  handler(ctx, from, decoded.message)
}

/** Create the Yjs room hub. */
export function createYjsRooms(options: { log: SignalingLog }): YjsRooms {
  const state = new YjsRoomState()
  const { log } = options
  const ctx = createContext(state, log)
  return {
    connect(peer) {
      if (state.peers.has(peer.id)) {
        log.warn(`peer ${peer.id} connected twice; its first connection is forgotten`)
        state.remove(peer.id)
      }
      state.peers.set(peer.id, { peer, topics: new Set() })
    },
    message(peerId, data) {
      const from = state.peers.get(peerId)
      if (!from) {
        log.warn(`message from unknown peer ${peerId} ignored`)
        return
      }
      try {
        handle(ctx, from, data)
      }
      catch (error) {
        log.error(`failed to handle a message from ${peerId}`, error)
        ctx.send(peerId, yjsSignalError('internal'))
      }
    },
    disconnect: peerId => state.remove(peerId),
    stats: () => state.stats(),
  }
}

import { MAX_YJS_SIGNAL_BYTES, decodeYjsSignal, encodeYjsSignal, yjsSignalError, type YjsServerMessage } from '../../../shared/protocol/yjs-signal'
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../limits/defaults'
import { KeyedCounter, TokenBucket } from '../limits/token-bucket'
import type { Backplane } from '../backplane/types'
import type { SignalingLog } from '../signaling/context'
import { joinYjsCluster } from './cluster'
import { admitYjsMessage, cutSlowReader, refuseYjsConnection } from './guards'
import { yjsSignalHandlers, type YjsRoomsContext } from './handlers'
import { YjsRoomState, type RoomAccess, type YjsPeer, type YjsPeerEntry } from './state'

/** The Yjs room hub: y-webrtc's signaling (topics and publish) for every connection of `/_ps/yjs`. */
export interface YjsRooms {
  /** A new connection; with `access`, it may use that room's topic only. */
  connect(peer: YjsPeer, access?: RoomAccess): void
  /** Handle one message: text, or bytes of UTF-8 text (runtimes that don't tell frames apart). Never throws. */
  message(peerId: string, data: string | Uint8Array): void
  /** Forget a peer and its subscriptions. */
  disconnect(peerId: string): void
  /** Close and forget every connection here to the room of `site` at an epoch before `epoch` (an author was removed; every instance's hub calls its own); returns how many. */
  evict(site: string, epoch: number): number
  /** Live counts, for logs and tests. */
  stats(): { peers: number, topics: number, subscriptions: number }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** What a room hub needs. */
export interface YjsRoomsOptions {
  log: SignalingLog
  /** Limits other than the defaults (runtime config `limits`). */
  limits?: Partial<ServerLimits>
  /** The clock, in ms (message rates); tests pass their own. */
  now?: () => number
  /** The link to other instances sharing Redis; by default this process is the only one. */
  backplane?: Backplane
}

function createContext(state: YjsRoomState, log: SignalingLog, limits: ServerLimits, backplane: Backplane | undefined): YjsRoomsContext {
  const sendText = (peerId: string, text: string, what: string) => {
    const entry = state.peers.get(peerId)
    if (!entry || entry.dropped) return
    try {
      entry.peer.send(text)
    }
    catch (error) {
      log.warn(`could not send ${what} to ${peerId}`, error)
      return
    }
    // Forgotten at once: a fan-out in progress skips it, and its topics have room again.
    if (cutSlowReader(entry, limits, log)) state.remove(peerId)
  }
  const cluster = backplane?.shared ? joinYjsCluster(backplane, state, log, sendText) : null
  return {
    state,
    log,
    limits,
    sendText,
    forward: cluster?.forward ?? null,
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
export function createYjsRooms(options: YjsRoomsOptions): YjsRooms {
  const state = new YjsRoomState()
  const { log, now = Date.now } = options
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits }
  const connections = new KeyedCounter(limits.maxConnectionsPerAddress)
  const ctx = createContext(state, log, limits, options.backplane)
  // However a connection is forgotten (closed, evicted, cut), its address has room for another.
  state.onRemove = entry => connections.remove(entry.address)
  return {
    connect(peer, access) {
      if (state.peers.has(peer.id)) {
        log.warn(`peer ${peer.id} connected twice; its first connection is forgotten`)
        state.remove(peer.id)
      }
      const address = peer.address ?? ''
      if (!connections.add(address)) {
        refuseYjsConnection(peer, limits, log)
        return
      }
      const messages = new TokenBucket(limits.yjsMessagesPerSecond, limits.yjsMessageBurst, now())
      state.peers.set(peer.id, { peer, topics: new Set(), access: access ?? null, address, messages, limitedAt: -Infinity, dropped: false })
    },
    message(peerId, data) {
      const from = state.peers.get(peerId)
      if (!from) {
        log.warn(`message from unknown peer ${peerId} ignored`)
        return
      }
      if (!admitYjsMessage(from, limits, now(), text => ctx.sendText(peerId, text, 'rate-limited'))) return
      try {
        handle(ctx, from, data)
      }
      catch (error) {
        log.error(`failed to handle a message from ${peerId}`, error)
        ctx.send(peerId, yjsSignalError('internal'))
      }
    },
    disconnect: peerId => state.remove(peerId),
    evict(site, epoch) {
      const stale = [...state.peers.values()].filter(({ access }) => access !== null && access.site === site && access.epoch < epoch)
      for (const entry of stale) {
        // Forgotten first: whatever it sends before its socket is gone reaches no one.
        state.remove(entry.peer.id)
        try {
          entry.peer.close?.(4403, 'the room moved on')
        }
        catch (error) {
          log.warn(`could not close ${entry.peer.id}`, error)
        }
      }
      return stale.length
    },
    stats: () => state.stats(),
  }
}

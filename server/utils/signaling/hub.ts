import { MAX_SIGNAL_BYTES, decodeSignal, encodeSignal, signalError, type IceServer, type ServerMessage } from '../../../shared/protocol/signal'
import type { HubContext, SignalingLog } from './context'
import { signalHandlers } from './handlers'
import type { SiteRegistry } from './registry'
import { forwardRelayFrame } from './relay'
import { SignalingState, newPeerEntry, type PeerEntry, type SignalingPeer } from './state'

/** What a signaling hub needs. */
export interface SignalingHubOptions {
  registry: SiteRegistry
  iceServers: IceServer[]
  log: SignalingLog
  /** The clock, in ms since the epoch; tests pass their own to expire challenges and invites. */
  now?: () => number
  /** Called when an owner removed an author key of a site (the room signaling closes its connections). */
  onAuthorRemoved?: (site: string, key: string, epoch: number) => void
}

/** The signaling hub: one per process; transports call it for each connection event. */
export interface SignalingHub {
  connect(peer: SignalingPeer): void
  /** Handle one message (text: JSON; binary: a relay frame). Resolves when handled; never rejects. */
  message(peerId: string, data: string | Uint8Array): Promise<void>
  /** Forget a peer; the other party of each of its sessions gets `session-closed`. */
  disconnect(peerId: string): void
  /** Whether `site` has an owner, and whether a tab hosts it now (for the landing page's name check). */
  siteStatus(site: string): Promise<{ taken: boolean, online: boolean }>
  /** The site a join code opens (canonical code), and whether a tab hosts it now; null for an unknown code. */
  joinCode(code: string): Promise<{ site: string, online: boolean } | null>
  /** Live counts, for logs and tests. */
  stats(): { peers: number, sessions: number }
}

function createHubContext(state: SignalingState, options: SignalingHubOptions): HubContext {
  const deliver = (peerId: string, what: string, write: (peer: SignalingPeer) => void) => {
    const entry = state.peers.get(peerId)
    if (!entry) return
    try {
      write(entry.peer)
    }
    catch (error) {
      options.log.warn(`could not send ${what} to ${peerId}`, error)
    }
  }
  return {
    state,
    registry: options.registry,
    iceServers: options.iceServers,
    log: options.log,
    now: options.now ?? Date.now,
    authorRemoved: (site, key, epoch) => options.onAuthorRemoved?.(site, key, epoch),
    send: (peerId, message: ServerMessage) => deliver(peerId, message.type, peer => peer.send(encodeSignal(message))),
    sendBinary: (peerId, bytes) => deliver(peerId, 'a relay frame', peer => peer.sendBinary(bytes)),
  }
}

async function handleText(ctx: HubContext, from: PeerEntry, text: string): Promise<void> {
  const decoded = decodeSignal(text)
  if (!decoded.ok) {
    ctx.send(from.peer.id, decoded.error)
    return
  }
  const handler = signalHandlers.get(decoded.message.type)
  if (!handler) {
    ctx.send(from.peer.id, signalError('unknown-type'))
    return
  }
  await handler(ctx, from, decoded.message)
}

function handleBinary(ctx: HubContext, from: PeerEntry, bytes: Uint8Array): void {
  if (bytes.length > MAX_SIGNAL_BYTES) {
    ctx.send(from.peer.id, signalError('too-large', `the frame is over ${MAX_SIGNAL_BYTES} bytes; it was dropped`))
    return
  }
  forwardRelayFrame(ctx, from, bytes)
}

function disconnectPeer(ctx: HubContext, peerId: string): void {
  const entry = ctx.state.peers.get(peerId)
  if (!entry) return
  ctx.state.removeHost(peerId)
  for (const id of [...entry.sessions]) {
    const link = ctx.state.counterpart(id, peerId)
    ctx.state.closeSession(id)
    if (link) ctx.send(link.other, { type: 'session-closed', session: id, reason: link.reason })
  }
  ctx.state.peers.delete(peerId)
}

/** Create the signaling hub: host registration, visitor introduction, SDP/ICE and relay forwarding. */
export function createSignalingHub(options: SignalingHubOptions): SignalingHub {
  const state = new SignalingState()
  const ctx = createHubContext(state, options)
  const { log } = options
  return {
    connect(peer) {
      if (state.peers.has(peer.id)) {
        log.warn(`peer ${peer.id} connected twice; its first connection is forgotten`)
        disconnectPeer(ctx, peer.id)
      }
      state.peers.set(peer.id, newPeerEntry(peer))
    },
    async message(peerId, data) {
      const from = state.peers.get(peerId)
      if (!from) {
        log.warn(`message from unknown peer ${peerId} ignored`)
        return
      }
      try {
        if (typeof data === 'string') await handleText(ctx, from, data)
        else handleBinary(ctx, from, data)
      }
      catch (error) {
        log.error(`failed to handle a message from ${peerId}`, error)
        ctx.send(peerId, signalError('internal'))
      }
    },
    disconnect: peerId => disconnectPeer(ctx, peerId),
    siteStatus: async site => ({ taken: await options.registry.isClaimed(site), online: state.hostCount(site) > 0 }),
    async joinCode(code) {
      const site = await options.registry.siteOfCode(code)
      return site === null ? null : { site, online: state.hostCount(site) > 0 }
    },
    stats: () => ({ peers: state.peers.size, sessions: state.sessions.size }),
  }
}

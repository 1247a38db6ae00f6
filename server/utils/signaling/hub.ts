import { MAX_SIGNAL_BYTES, SIGNAL_CLOSE_CODES, decodeSignal, encodeSignal, signalError, type IceServer, type ServerMessage } from '../../../shared/protocol/signal'
import { createSoloBackplane } from '../backplane/memory'
import { LockTimeoutError } from '../backplane/redis-lock'
import type { Backplane } from '../backplane/types'
import type { ServerLimits } from '../limits/defaults'
import { endSession, joinCluster } from './cluster'
import type { HubContext, SignalingLog } from './context'
import { admitMessage, createSignalingGuards, messageBucket, refuse, type SignalingGuards } from './guards'
import { signalHandlers } from './handlers'
import type { SiteRegistry } from './registry'
import { forwardRelayFrame } from './relay'
import { SignalingState, newPeerEntry, type PeerEntry, type SignalingPeer } from './state'
import type { TurnConfig } from './turn'

/** What a signaling hub needs. */
export interface SignalingHubOptions {
  registry: SiteRegistry
  iceServers: IceServer[]
  /** TURN servers and coturn's shared secret (runtime config `turn`): each session gets its own short-lived credential. */
  turn?: TurnConfig | null
  log: SignalingLog
  /** The clock, in ms since the epoch; tests pass their own to expire challenges and invites. */
  now?: () => number
  /** Called when an owner removed an author key of a site (the room signaling closes its connections). */
  onAuthorRemoved?: (site: string, key: string, epoch: number) => void
  /** Limits other than the defaults (runtime config `limits`). */
  limits?: Partial<ServerLimits>
  /** The link to other instances sharing Redis; by default this process is the only one. */
  backplane?: Backplane
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

/**
 * Cut a connection whose send buffer passed MAX_SIGNAL_BUFFERED_BYTES: it
 * reads slower than it is sent to, and everything queued for it is the
 * server's memory. Terminated rather than closed: a close frame would wait
 * behind what it does not read. Its sessions end as it is forgotten.
 */
function dropSlowReader(ctx: HubContext, entry: PeerEntry, buffered: number): void {
  entry.dropped = true
  ctx.log.warn(`${entry.peer.id} has ${buffered} bytes waiting to be sent (at most ${ctx.guards.limits.maxSignalBufferedBytes}); cut as a slow reader`)
  try {
    if (entry.peer.terminate) entry.peer.terminate()
    else entry.peer.close(1008, 'slow reader')
  }
  catch (error) {
    ctx.log.warn(`could not cut ${entry.peer.id}`, error)
  }
  queueMicrotask(() => {
    if (ctx.state.peers.get(entry.peer.id) === entry) disconnectPeer(ctx, entry.peer.id)
  })
}

function createHubContext(state: SignalingState, options: SignalingHubOptions, guards: SignalingGuards): HubContext {
  const deliver = (peerId: string, what: string, write: (peer: SignalingPeer) => void) => {
    const entry = state.peers.get(peerId)
    if (!entry || entry.dropped) return
    try {
      write(entry.peer)
    }
    catch (error) {
      options.log.warn(`could not send ${what} to ${peerId}`, error)
      return
    }
    const buffered = entry.peer.bufferedAmount?.() ?? 0
    if (buffered > guards.limits.maxSignalBufferedBytes) dropSlowReader(ctx, entry, buffered)
  }
  const ctx: HubContext = {
    state,
    registry: options.registry,
    iceServers: options.iceServers,
    turn: options.turn ?? null,
    log: options.log,
    guards,
    backplane: options.backplane ?? createSoloBackplane(),
    now: options.now ?? Date.now,
    authorRemoved: (site, key, epoch) => options.onAuthorRemoved?.(site, key, epoch),
    send: (peerId, message: ServerMessage) => deliver(peerId, message.type, peer => peer.send(encodeSignal(message))),
    sendBinary: (peerId, bytes) => deliver(peerId, 'a relay frame', peer => peer.sendBinary(bytes)),
  }
  return ctx
}

async function handleText(ctx: HubContext, from: PeerEntry, text: string): Promise<void> {
  if (!admitMessage(ctx, from)) return
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
    refuse(ctx, from, signalError('too-large', `the frame is over ${MAX_SIGNAL_BYTES} bytes; it was dropped`))
    return
  }
  forwardRelayFrame(ctx, from, bytes)
}

function disconnectPeer(ctx: HubContext, peerId: string): void {
  const entry = ctx.state.peers.get(peerId)
  if (!entry) return
  ctx.state.removeHost(peerId)
  if (entry.site !== null && ctx.backplane.shared) ctx.backplane.hosts.remove(entry.site, peerId).catch((error: unknown) => ctx.log.warn(`could not forget host ${peerId} in the directory`, error))
  for (const id of [...entry.sessions]) {
    const link = ctx.state.counterpart(id, peerId)
    if (link) endSession(ctx, link, peerId)
    else ctx.state.closeSession(id)
  }
  ctx.state.peers.delete(peerId)
  ctx.guards.connections.remove(entry.address)
}

/** Refuse a connection past MAX_CONNECTIONS_PER_ADDRESS: tell it why, then close it. */
function refuseConnection(ctx: HubContext, peer: SignalingPeer): void {
  const max = ctx.guards.limits.maxConnectionsPerAddress
  ctx.log.warn(`refused ${peer.id}: ${peer.address ?? ''} has ${max} signaling connections already`)
  try {
    peer.send(encodeSignal(signalError('too-many-connections', `at most ${max} connections from one address at once`)))
    peer.close(SIGNAL_CLOSE_CODES.tooManyConnections, 'too many connections')
  }
  catch (error) {
    ctx.log.warn(`could not refuse ${peer.id}`, error)
  }
}

/** Whether a tab hosts `site` now, on this instance or (asked only when none here does) another. */
async function isOnline(ctx: HubContext, site: string): Promise<boolean> {
  if (ctx.state.hostCount(site) > 0) return true
  return ctx.backplane.shared && (await ctx.backplane.hosts.remote(site)).length > 0
}

/** Create the signaling hub: host registration, visitor introduction, SDP/ICE and relay forwarding. */
export function createSignalingHub(options: SignalingHubOptions): SignalingHub {
  const state = new SignalingState()
  const guards = createSignalingGuards(options.limits)
  const ctx = createHubContext(state, options, guards)
  const { log } = options
  joinCluster(ctx)
  return {
    connect(peer) {
      if (state.peers.has(peer.id)) {
        log.warn(`peer ${peer.id} connected twice; its first connection is forgotten`)
        disconnectPeer(ctx, peer.id)
      }
      if (!guards.connections.add(peer.address ?? '')) {
        refuseConnection(ctx, peer)
        return
      }
      state.peers.set(peer.id, newPeerEntry(peer, messageBucket(guards, ctx.now())))
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
        // A registry lock that stayed taken says so; anything else stays the server's business.
        ctx.send(peerId, error instanceof LockTimeoutError ? signalError('internal', error.message) : signalError('internal'))
      }
    },
    disconnect: peerId => disconnectPeer(ctx, peerId),
    siteStatus: async site => ({ taken: await options.registry.isClaimed(site), online: await isOnline(ctx, site) }),
    async joinCode(code) {
      const site = await options.registry.siteOfCode(code)
      return site === null ? null : { site, online: await isOnline(ctx, site) }
    },
    stats: () => ({ peers: state.peers.size, sessions: state.sessions.size }),
  }
}

import { acceptVisitor, DEFAULT_MAX_PEER_CHANNELS, type AcceptedVisitor, type IceServers } from '../peer/rtc-session'
import { relayTransport } from '../peer/relay-transport'
import { iceRoute, type ConnectionRoute } from '../peer/ice-route'
import type { SignalingClient } from '../peer/signaling-client'
import { dataChannelTransport } from '../tunnel/rtc'
import type { Transport } from '../tunnel/transport'
import type { RefusalReason, RelayRate } from '../../shared/protocol/signal'

/**
 * Default most visitor connections the host tab builds at once that have not
 * connected yet (an RTCPeerConnection each): a class of 100 opening the link
 * in the same second. One more is refused (`busy`); its shell tries again.
 */
export const DEFAULT_MAX_PENDING_PEERS = 100
/**
 * Default time a visitor has from arriving to its tunnel (a data channel
 * open, or its first relay frame): six times the shell's default wait for
 * ICE before it goes through the relay (DEFAULT_RELAY_AFTER_MS, 5 s), and
 * twice the longest a deployment would sensibly set it to.
 */
export const DEFAULT_PENDING_PEER_DEADLINE_MS = 30_000

/** Limits on visitors' peer connections (defaults above, and DEFAULT_MAX_PEER_CHANNELS). */
export interface PeerLimits {
  /** Most connections not yet connected, for the whole host tab (default 100). */
  maxPendingPeers?: number
  /** Time from a visitor's arrival to its tunnel (default 30 s); then the connection is closed (`timeout`). */
  pendingDeadlineMs?: number
  /** Most data channels a visitor may open on its peer connection (default 4). */
  maxChannelsPerPeer?: number
}

/** What serves a connected visitor: its tunnel server. */
export interface ServedTunnel {
  close(): void
}

interface Visitor {
  accepted: AcceptedVisitor
  /** The tunnel once connected (over a data channel, or the relay). */
  tunnel: ServedTunnel | null
  offClose: (() => void) | null
  relayed: boolean
  /** What the server meters this tab's relay frames of the session at, when it said (`visitor`). */
  relayRate: RelayRate | undefined
  /** How its tunnel reaches this tab, once connected and known. */
  route: ConnectionRoute | null
  deadline: ReturnType<typeof setTimeout> | undefined
}

/**
 * The host's visitors: one peer connection per signaling session, at most
 * `maxPendingPeers` of them still connecting, each connected by its
 * deadline or closed. Dropping a visitor releases everything it held.
 */
export class VisitorPeers {
  private readonly visitors = new Map<string, Visitor>()
  private pending = 0
  private readonly maxPending: number
  private readonly deadlineMs: number
  private readonly maxChannels: number

  constructor(
    private readonly signaling: SignalingClient,
    private readonly iceServers: IceServers,
    private readonly serve: (session: string, transport: Transport) => ServedTunnel,
    private readonly changed: () => void,
    limits: PeerLimits = {},
  ) {
    this.maxPending = atLeast(1, 'maxPendingPeers', limits.maxPendingPeers ?? DEFAULT_MAX_PENDING_PEERS)
    this.deadlineMs = atLeast(1, 'pendingDeadlineMs', limits.pendingDeadlineMs ?? DEFAULT_PENDING_PEER_DEADLINE_MS)
    this.maxChannels = atLeast(1, 'maxChannelsPerPeer', limits.maxChannelsPerPeer ?? DEFAULT_MAX_PEER_CHANNELS)
  }

  /** Sessions with a visitor, connected or not. */
  sessions(): string[] {
    return [...this.visitors.keys()]
  }

  /** Visitors still connecting. */
  get pendingCount(): number {
    return this.pending
  }

  isRelayed(session: string): boolean {
    return this.visitors.get(session)?.relayed ?? false
  }

  /** How a visitor's tunnel reaches this tab: null until it is connected and its ICE stats tell. */
  route(session: string): ConnectionRoute | null {
    return this.visitors.get(session)?.route ?? null
  }

  peer(session: string): RTCPeerConnection | undefined {
    return this.visitors.get(session)?.accepted.pc
  }

  /**
   * A visitor arrived (`visitor`): build its peer connection (with the
   * session's own ICE servers when signaling sent them), or refuse it
   * (`busy`) when too many are connecting. `relayRate` paces the relay, if
   * the tunnel goes through it.
   */
  arrive(session: string, iceServers: IceServers = this.iceServers, relayRate?: RelayRate): void {
    if (this.visitors.has(session)) return // one peer connection per session
    if (this.pending >= this.maxPending) {
      console.warn(`[host] refused visitor ${session}: ${this.pending} visitors are connecting (limit ${this.maxPending})`)
      return this.refuse(session, 'busy')
    }
    const accepted = acceptVisitor(this.signaling, session, iceServers, {
      onChannel: channel => this.connect(session, dataChannelTransport(channel)),
      onGone: () => this.gone(session),
      maxChannels: this.maxChannels,
    })
    const deadline = setTimeout(() => this.expire(session), this.deadlineMs)
    this.pending++
    this.visitors.set(session, { accepted, tunnel: null, offClose: null, relayed: false, relayRate, route: null, deadline })
    this.changed()
  }

  /** The first relay frame of a session (ICE failed): serve it through the relay, once. */
  relay(session: string, payload: Uint8Array): void {
    const visitor = this.visitors.get(session)
    if (!visitor || visitor.tunnel) return
    visitor.relayed = true
    visitor.route = 'relay'
    this.connect(session, relayTransport(this.signaling, session, visitor.relayRate))
    this.signaling.replayRelay(session, payload)
  }

  /** Close a visitor's connection; `leave` tells signaling the session is over (not when it told us). */
  drop(session: string, leave = false): void {
    const visitor = this.visitors.get(session)
    if (!visitor) return
    this.visitors.delete(session)
    this.settle(visitor)
    // The tunnel first: a closed peer connection closes its channels without their close events.
    visitor.offClose?.()
    visitor.tunnel?.close() // through the relay this leaves the session, unless it is over already
    visitor.accepted.close()
    if (leave && !visitor.relayed) this.signaling.send({ type: 'leave', session })
    this.changed()
  }

  private connect(session: string, transport: Transport): void {
    const visitor = this.visitors.get(session)
    if (!visitor || visitor.tunnel) return transport.close()
    this.settle(visitor)
    visitor.tunnel = this.serve(session, transport)
    visitor.offClose = transport.onClose(() => this.drop(session))
    this.changed()
    if (!visitor.relayed) void this.learnRoute(session, visitor)
  }

  /** Ask a directly connected visitor's peer connection whether it goes through TURN, and say so. */
  private async learnRoute(session: string, visitor: Visitor): Promise<void> {
    const route = await iceRoute(visitor.accepted.pc).catch(() => null)
    if (this.visitors.get(session) !== visitor || visitor.relayed) return
    visitor.route = route ?? 'direct'
    this.changed()
  }

  /** The peer connection failed or closed: the visitor is gone, unless it speaks through the relay. */
  private gone(session: string): void {
    const visitor = this.visitors.get(session)
    if (visitor?.relayed) visitor.accepted.close()
    else this.drop(session)
  }

  /** No longer connecting: its place and deadline go. */
  private settle(visitor: Visitor): void {
    if (visitor.deadline === undefined) return
    clearTimeout(visitor.deadline)
    visitor.deadline = undefined
    this.pending--
  }

  private expire(session: string): void {
    console.warn(`[host] closed visitor ${session}: not connected within ${this.deadlineMs} ms`)
    this.signaling.send({ type: 'signal', session, data: { refused: 'timeout' } })
    this.drop(session, true)
  }

  private refuse(session: string, reason: RefusalReason): void {
    this.signaling.send({ type: 'signal', session, data: { refused: reason } })
    this.signaling.send({ type: 'leave', session })
  }
}

function atLeast(min: number, name: string, value: number): number {
  if (!(value >= min)) throw new RangeError(`${name} must be at least ${min}`)
  return value
}

import { randomBytes } from 'node:crypto'
import type { SessionClosedReason } from '../../../shared/protocol/signal'
import type { TokenBucket } from '../limits/token-bucket'
import type { PendingChallenge } from './challenges'

/** One WebSocket connection as the hub sees it; the route adapts crossws peers to this. */
export interface SignalingPeer {
  id: string
  send(text: string): void
  sendBinary(bytes: Uint8Array): void
  close(code?: number, reason?: string): void
  /** The client's address (connections and new names are counted per address); '' or absent when unknown. */
  address?: string
  /** Bytes queued to send and not yet written out (the WebSocket's bufferedAmount). */
  bufferedAmount?(): number
  /** Cut the connection at once, dropping whatever is queued (a slow reader). */
  terminate?(): void
}

/** A connected peer and what it does: the site it hosts (if any) and the sessions it is in. */
export interface PeerEntry {
  peer: SignalingPeer
  site: string | null
  /** A `host` claim is in flight. */
  claiming: boolean
  sessions: Set<string>
  /** The nonce this connection asked for, until a `host` with a key or an `enrol` uses it up. */
  challenge: PendingChallenge | null
  /** The author key (canonical) this connection proved when it registered as a host; null for a legacy (token) host. */
  authorKey: string | null
  /** The client's address, as counted for the per-address limits. */
  address: string
  /** Messages it may still send now (SIGNAL_MESSAGES_PER_SECOND). */
  messages: TokenBucket
  /** When it was last told `rate-limited` (ms), so a flood gets one notice a second. */
  limitedAt: number
  /** Cut as a slow reader: nothing more is sent to it. */
  dropped: boolean
}

/** A PeerEntry for a peer that just connected. */
export function newPeerEntry(peer: SignalingPeer, messages: TokenBucket): PeerEntry {
  return { peer, site: null, claiming: false, sessions: new Set(), challenge: null, authorKey: null, address: peer.address ?? '', messages, limitedAt: -Infinity, dropped: false }
}

/** A party of a session. */
export type SessionRole = 'host' | 'visitor'

/** The party of a session whose socket is on another instance (several instances share Redis). */
export interface RemoteParty {
  instance: string
  role: SessionRole
}

/** A session's relay buckets, one per sending party. */
export type RelayBuckets = Record<SessionRole, TokenBucket>

/** A visitor introduced to a host of `site`. */
export interface Session {
  id: string
  site: string
  host: string
  visitor: string
  /**
   * Relay bytes each party may still send now (RELAY_BYTES_PER_SECOND each
   * way), by the sender's role: one party's frames never use up the other's,
   * so each can pace itself to the rate it was told. A session across two
   * instances is charged on the sender's instance, which uses only its own
   * party's bucket.
   */
  relay: RelayBuckets
  /** The party on another instance; null when both are on this one. */
  remote: RemoteParty | null
}

/** The other party of a session, as seen from one party. */
export interface SessionLink {
  session: Session
  other: string
  /** The role of the party asking (the other party has the other one). */
  role: SessionRole
  reason: SessionClosedReason
  /** The instance the other party is on, when it is not this one. */
  otherInstance: string | null
}

/** The hub's tables: peers, hosts per site, sessions. No I/O. */
export class SignalingState {
  readonly peers = new Map<string, PeerEntry>()
  readonly sessions = new Map<string, Session>()
  private readonly hosts = new Map<string, Set<string>>()

  /** Record that `peerId` hosts `site`. */
  addHost(peerId: string, site: string): void {
    const entry = this.peers.get(peerId)
    if (!entry) return
    entry.site = site
    const set = this.hosts.get(site) ?? new Set<string>()
    set.add(peerId)
    this.hosts.set(site, set)
  }

  /** Forget that `peerId` hosts a site. */
  removeHost(peerId: string): void {
    const site = this.peers.get(peerId)?.site
    if (!site) return
    const set = this.hosts.get(site)
    set?.delete(peerId)
    if (set?.size === 0) this.hosts.delete(site)
  }

  /** The ids of the live tabs that host `site`. */
  hostsOf(site: string): string[] {
    return [...this.hosts.get(site) ?? []]
  }

  /** How many live tabs host `site`. */
  hostCount(site: string): number {
    return this.hosts.get(site)?.size ?? 0
  }

  /** The live host of `site` serving the fewest sessions (the earliest on a tie), never `except`. */
  pickHost(site: string, except: string): string | undefined {
    return this.leastLoaded(site, except)?.id
  }

  /** The live host of `site` serving the fewest sessions (the earliest on a tie), never `except`, with its load. */
  leastLoaded(site: string, except: string): { id: string, load: number } | undefined {
    let best: { id: string, load: number } | undefined
    for (const id of this.hosts.get(site) ?? []) {
      if (id === except) continue
      const load = this.served(id)
      if (!best || load < best.load) best = { id, load }
    }
    return best
  }

  /** Open a session between `host` and `visitor`, with a fresh id (or `id`, minted by the other party's instance), one of them maybe on another instance. */
  openSession(site: string, host: string, visitor: string, relay: RelayBuckets, remote: RemoteParty | null = null, id = this.freshSessionId()): Session {
    const session = { id, site, host, visitor, relay, remote }
    this.sessions.set(id, session)
    if (remote?.role !== 'host') this.peers.get(host)?.sessions.add(id)
    if (remote?.role !== 'visitor') this.peers.get(visitor)?.sessions.add(id)
    return session
  }

  /** A session id no session here has. */
  freshSessionId(): string {
    let id = mintSessionId()
    while (this.sessions.has(id)) id = mintSessionId()
    return id
  }

  /** The sessions whose other party is on `instance`. */
  sessionsWith(instance: string): Session[] {
    return [...this.sessions.values()].filter(session => session.remote?.instance === instance)
  }

  /** End a session; returns it, or undefined when it was already gone. */
  closeSession(id: string): Session | undefined {
    const session = this.sessions.get(id)
    if (!session) return undefined
    this.sessions.delete(id)
    if (session.remote?.role !== 'host') this.peers.get(session.host)?.sessions.delete(id)
    if (session.remote?.role !== 'visitor') this.peers.get(session.visitor)?.sessions.delete(id)
    return session
  }

  /**
   * The other party of session `id`, when `peerId` is in it; undefined
   * otherwise. `from` is the instance `peerId` is on: null for this one, so
   * a peer here can never speak for a party on another instance with the
   * same id, nor the reverse.
   */
  counterpart(id: string, peerId: string, from: string | null = null): SessionLink | undefined {
    const session = this.sessions.get(id)
    if (!session) return undefined
    const { remote } = session
    const isParty = (role: SessionRole) => (from === null ? remote?.role !== role : remote?.role === role && remote.instance === from)
    if (session.host === peerId && isParty('host')) return { session, other: session.visitor, role: 'host', reason: 'host-left', otherInstance: remote?.role === 'visitor' ? remote.instance : null }
    if (session.visitor === peerId && isParty('visitor')) return { session, other: session.host, role: 'visitor', reason: 'visitor-left', otherInstance: remote?.role === 'host' ? remote.instance : null }
    return undefined
  }

  /** How many live sessions `peerId` opened as the visitor. */
  visitsOf(peerId: string): number {
    let count = 0
    for (const id of this.peers.get(peerId)?.sessions ?? []) {
      const session = this.sessions.get(id)
      if (session?.visitor === peerId && session.remote?.role !== 'visitor') count++
    }
    return count
  }

  /** How many live sessions `hostId` serves as the host. */
  served(hostId: string): number {
    let count = 0
    for (const id of this.peers.get(hostId)?.sessions ?? []) {
      const session = this.sessions.get(id)
      if (session?.host === hostId && session.remote?.role !== 'host') count++
    }
    return count
  }
}

function mintSessionId(): string {
  return randomBytes(12).toString('base64url')
}

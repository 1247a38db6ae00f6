import { SignalingClient } from '../peer/signaling-client'
import type { ConnectionRoute } from '../peer/ice-route'
import type { IceServers } from '../peer/rtc-session'
import { BodyBudget, TunnelServer, type TunnelServerOptions } from '../tunnel/server'
import { DEFAULT_MAX_HOST_BODY_BYTES } from '../tunnel/limits'
import type { Transport } from '../tunnel/transport'
import type { VRequest, VResponse } from '../vserver/types'
import { hostProof, type AuthorEntry, type RoomState } from '../../shared/protocol/signal'
import type { AuthorKey } from '../studio/author-key'
import { signChallenge } from './enrol'
import { tunnelHandler, type RequestLogEntry } from './serve-tunnel'
import { VisitorPeers, type PeerLimits } from './visitor-peers'

/** What a host tab needs to serve a site. */
export interface HostOptions {
  site: string
  signalUrl: string
  /** This browser's author key: registration proves it by signing the server's challenge. */
  key?: AuthorKey
  /** A legacy owner token of this name: sent once with the key, it makes the key the owner (then it is no credential any more). */
  token?: string
  /** The name this author goes by, for the owner's author list. */
  name?: string
  iceServers: IceServers
  handle: (request: VRequest) => Promise<VResponse>
  onLog?: (entry: RequestLogEntry) => void
  /** The visitors, each time one arrives, connects, leaves or its route is known (direct, TURN, or through the server's relay). */
  onVisitors?: (visitors: ConnectedVisitor[]) => void
  onClose?: (reason: string) => void
  /** An author was removed: the co-authors' room moved to this epoch. */
  onRoom?: (room: RoomState) => void
  /** The owner removed this browser's key: the server closes this registration. */
  onRemoved?: (message: string) => void
  /** The tunnel's limits per visitor connection, and `maxHostBodyBytes` for all of them together (defaults in lib/tunnel/limits.ts). */
  tunnel?: Omit<TunnelServerOptions, 'hostBudget'> & { maxHostBodyBytes?: number }
  /** Visitors' peer connections: how many may be connecting at once, for how long, with how many data channels (defaults in lib/host/visitor-peers.ts). */
  peers?: PeerLimits
}

/** A visitor connected to this host. */
export interface ConnectedVisitor {
  session: string
  /** How its tunnel reaches this tab; null while it connects. */
  route: ConnectionRoute | null
}

/** A running host: registered with signaling, serving every visitor that arrives. */
export interface HostSession {
  /** A legacy registration's owner token; null when registered by key. */
  token: string | null
  /** This browser's role in the site when registered by key. */
  role: 'owner' | 'author' | null
  /** The site's join code (six letters), or null from a server that predates join codes. */
  code: string | null
  /** The co-authors' room as registered (null: a legacy registration, or an older server). */
  room: RoomState | null
  visitors(): string[]
  /** The peer connection of one visitor (a benchmark or a diagnostic may open channels on it, DEFAULT_MAX_PEER_CHANNELS in all). */
  peer(session: string): RTCPeerConnection | undefined
  /** Close one visitor's connection (direct or relayed). */
  disconnect(session: string): void
  /** Mint an invite for a co-author (owner only): its code and when it expires (ms since the epoch). */
  mintInvite(ttlSeconds?: number): Promise<{ code: string, expiresAt: number }>
  /** Revoke an invite this owner minted: no new browser can enrol with it. */
  revokeInvite(code: string): Promise<void>
  /** The site's authors, as the server keeps them. */
  authors(): Promise<AuthorEntry[]>
  /** Remove an author (owner only); resolves with the room's new epoch once the server did it. */
  removeAuthor(id: string): Promise<RoomState>
  stop(): void
}

/** Register `site` with signaling and serve its visitors; rejects when the name is taken. */
export async function startHosting(options: HostOptions): Promise<HostSession> {
  const signaling = await SignalingClient.open(options.signalUrl)
  let hosting: { token?: string, code?: string, role?: 'owner' | 'author', room?: RoomState }
  try {
    await register(signaling, options)
    hosting = await signaling.waitFor(m => (m.type === 'hosting' ? m : undefined))
  }
  catch (error) {
    signaling.close()
    throw error
  }
  const { maxHostBodyBytes = DEFAULT_MAX_HOST_BODY_BYTES, ...limits } = options.tunnel ?? {}
  const hostBudget = new BodyBudget(maxHostBodyBytes)
  const serve = (session: string, transport: Transport) => {
    const handler = tunnelHandler(options.handle, session, entry => options.onLog?.(entry), limits.maxBodyBytes)
    return new TunnelServer(transport, handler, { ...limits, hostBudget })
  }
  const changed = () => options.onVisitors?.(peers.sessions().map(session => ({ session, route: peers.route(session) })))
  const peers = new VisitorPeers(signaling, options.iceServers, serve, changed, options.peers)
  signaling.onRelay((session, payload) => peers.relay(session, payload))
  signaling.onMessage((message) => {
    if (message.type === 'visitor') {
      peers.arrive(message.session, message.iceServers, message.relay)
    }
    else if (message.type === 'session-closed') {
      // After this message's other listeners: a relayed tunnel closes on it by itself, and must not leave a session that is over.
      queueMicrotask(() => peers.drop(message.session))
    }
    else if (message.type === 'author-removed') {
      options.onRoom?.(message.room)
    }
    else if (message.type === 'error' && message.code === 'removed') {
      options.onRemoved?.(message.message)
    }
  })
  signaling.onClose(reason => options.onClose?.(reason))
  return {
    token: hosting.token ?? null,
    role: hosting.role ?? null,
    code: hosting.code ?? null,
    room: hosting.room ?? null,
    visitors: () => peers.sessions(),
    peer: session => peers.peer(session),
    disconnect: session => peers.drop(session, true),
    async mintInvite(ttlSeconds) {
      const reply = signaling.waitFor(m => (m.type === 'invite' ? m : undefined))
      signaling.send(ttlSeconds === undefined ? { type: 'invite-mint' } : { type: 'invite-mint', ttlSeconds })
      const { invite, expiresAt } = await reply
      return { code: invite, expiresAt }
    },
    async revokeInvite(code) {
      const reply = signaling.waitFor(m => (m.type === 'invite-revoked' && m.invite === code ? m : undefined))
      signaling.send({ type: 'invite-revoke', invite: code })
      await reply
    },
    async authors() {
      const reply = signaling.waitFor(m => (m.type === 'authors' ? m.authors : undefined))
      signaling.send({ type: 'authors' })
      return reply
    },
    async removeAuthor(id) {
      const reply = signaling.waitFor(m => (m.type === 'author-removed' && m.author === id ? m.room : undefined))
      signaling.send({ type: 'author-remove', author: id })
      return reply
    },
    stop() {
      signaling.close()
      for (const session of peers.sessions()) peers.drop(session)
    },
  }
}

/** Send the registration: by key (a signed challenge; the legacy token rides along once), else by legacy token. */
async function register(signaling: SignalingClient, options: HostOptions): Promise<void> {
  const { site, key, token, name } = options
  if (!key) {
    signaling.send(token ? { type: 'host', site, token } : { type: 'host', site })
    return
  }
  const signature = await signChallenge(signaling, key, nonce => hostProof(site, nonce))
  signaling.send({ type: 'host', site, key: key.publicKey, signature, ...(token ? { token } : {}), ...(name ? { name } : {}) })
}

import { signalError, type ServerMessage } from '../../../shared/protocol/signal'
import { BROADCAST_CHANNEL, decodeClusterMessage, encodeClusterMessage, inboxChannel, type ClusterMessage, type ClusterMessageDraft } from './cluster-messages'
import type { HubContext } from './context'
import { relayBuckets, relayRate } from './guards'
import type { SessionLink } from './state'

// The hub's side of the backplane: sessions whose parties are on two
// instances, hosts in the directory, and removals every instance must act on.
// Each instance keeps its own record of a session one of its peers is in;
// a message for the other party goes to the other party's instance, which
// checks it against its own record before delivering it.

/** Send `message` to the hub of `instance` (BROADCAST_CHANNEL: every other one). */
export function tellInstance(ctx: HubContext, instance: string | typeof BROADCAST_CHANNEL, message: ClusterMessageDraft, body?: Uint8Array): void {
  const channel = instance === BROADCAST_CHANNEL ? BROADCAST_CHANNEL : inboxChannel(instance)
  const stamped: ClusterMessage = { ...message, from: ctx.backplane.instance }
  ctx.backplane.publish(channel, encodeClusterMessage(stamped, body))
}

/** Write how many sessions a host of this instance serves, for other instances' choice of host. */
export function publishLoad(ctx: HubContext, hostId: string): void {
  const site = ctx.state.peers.get(hostId)?.site
  if (!ctx.backplane.shared || !site) return
  ctx.backplane.hosts.setLoad(site, hostId, ctx.state.served(hostId)).catch((error: unknown) => ctx.log.warn(`could not write the load of ${hostId}`, error))
}

/** Tell the other party of `link` (here or on its instance) what `message` says, as from `peerId`. */
export function sendToCounterpart(ctx: HubContext, link: SessionLink, peerId: string, message: Extract<ServerMessage, { type: 'signal' }>): void {
  if (link.otherInstance === null) ctx.send(link.other, message)
  else tellInstance(ctx, link.otherInstance, { kind: 'signal', session: link.session.id, peer: peerId, data: message.data })
}

/** End the session of `link` because `peerId` left it: forgotten here, and its other party told `session-closed`. */
export function endSession(ctx: HubContext, link: SessionLink, peerId: string): void {
  const { session } = link
  ctx.state.closeSession(session.id)
  if (link.otherInstance === null) ctx.send(link.other, { type: 'session-closed', session: session.id, reason: link.reason })
  else tellInstance(ctx, link.otherInstance, { kind: 'leave', session: session.id, peer: peerId })
  if (session.remote?.role !== 'host') publishLoad(ctx, session.host)
}

/** The session of `link` ended on its other party's instance (the party left, or its instance is gone): forgotten here, the party here told `session-closed`. */
function endedAfar(ctx: HubContext, link: SessionLink): void {
  const { session } = link
  ctx.state.closeSession(session.id)
  ctx.send(link.other, { type: 'session-closed', session: session.id, reason: link.reason })
  if (session.remote?.role === 'visitor') publishLoad(ctx, session.host)
}

/** End every session with a party on `instance` (it died, or this one was taken for dead); the party here is told `session-closed`. */
export function dropSessionsWith(ctx: HubContext, instance: string): void {
  for (const session of ctx.state.sessionsWith(instance)) {
    const gone = session.remote?.role === 'host' ? session.host : session.visitor
    const link = ctx.state.counterpart(session.id, gone, instance)
    if (link) endedAfar(ctx, link)
    else ctx.state.closeSession(session.id)
  }
}

/** A visitor on another instance was introduced to a host here: record the session and tell the host, or say the host is gone. */
function openFromRemote(ctx: HubContext, message: Extract<ClusterMessage, { kind: 'open' }>): void {
  const host = ctx.state.peers.get(message.host)
  if (!host || host.dropped || host.site !== message.site || ctx.state.sessions.has(message.session)) {
    tellInstance(ctx, message.from, { kind: 'leave', session: message.session, peer: message.host })
    return
  }
  ctx.state.openSession(message.site, message.host, message.visitor, relayBuckets(ctx.guards, ctx.now()), { instance: message.from, role: 'visitor' }, message.session)
  // The host's frames are charged here, so the rate it is told is this instance's.
  ctx.send(message.host, { type: 'visitor', session: message.session, ...(message.iceServers ? { iceServers: message.iceServers } : {}), relay: relayRate(ctx.guards) })
  publishLoad(ctx, message.host)
}

/** An owner removed `key` from `site`: close this instance's tabs hosting with it, move the others to `room`, and shut the key out of the rooms here. */
export function applyAuthorRemoval(ctx: HubContext, removal: { site: string, key: string, author: string, room: { epoch: number, secret?: string } }): void {
  const { site, key, author, room } = removal
  ctx.authorRemoved(site, key, room.epoch)
  for (const id of ctx.state.hostsOf(site)) {
    const entry = ctx.state.peers.get(id)
    if (!entry) continue
    if (entry.authorKey === key) {
      ctx.send(id, signalError('removed', `the owner removed this browser from the authors of ${site}`))
      entry.peer.close(4403, 'removed')
      continue
    }
    ctx.send(id, { type: 'author-removed', site, author, room })
  }
}

function receive(ctx: HubContext, message: ClusterMessage, body: Uint8Array): void {
  switch (message.kind) {
    case 'open':
      openFromRemote(ctx, message)
      return
    case 'signal': {
      const link = ctx.state.counterpart(message.session, message.peer, message.from)
      if (link) ctx.send(link.other, { type: 'signal', session: message.session, data: message.data })
      return
    }
    case 'leave': {
      const link = ctx.state.counterpart(message.session, message.peer, message.from)
      if (link) endedAfar(ctx, link)
      return
    }
    case 'relay': {
      // Charged by the sender's instance, against its party's bucket of the session there.
      const link = ctx.state.counterpart(message.session, message.peer, message.from)
      if (link) ctx.sendBinary(link.other, body)
      return
    }
    case 'author-removed':
      applyAuthorRemoval(ctx, message)
      return
    default: {
      const never: never = message
      ctx.log.warn(`unknown message between hubs: ${JSON.stringify(never)}`)
    }
  }
}

/**
 * This instance was taken for dead (it missed its heartbeats) and is back:
 * the others forgot its hosts and may have closed their side of its
 * sessions. Register its hosts again; end every session across instances on
 * both sides (the other side may not have noticed), its party here told
 * `session-closed`.
 */
function rejoin(ctx: HubContext): void {
  for (const session of [...ctx.state.sessions.values()]) {
    const { remote } = session
    if (!remote) continue
    const here = remote.role === 'host' ? session.visitor : session.host
    ctx.state.closeSession(session.id)
    ctx.send(here, { type: 'session-closed', session: session.id, reason: remote.role === 'host' ? 'host-left' : 'visitor-left' })
    tellInstance(ctx, remote.instance, { kind: 'leave', session: session.id, peer: here })
  }
  for (const entry of ctx.state.peers.values()) {
    if (entry.site === null) continue
    ctx.backplane.hosts.add(entry.site, entry.peer.id, entry.authorKey).catch((error: unknown) => ctx.log.warn(`could not register ${entry.peer.id} again`, error))
    publishLoad(ctx, entry.peer.id)
  }
}

/** Listen on the backplane: this instance's inbox, the broadcasts, and instances that die. */
export function joinCluster(ctx: HubContext): void {
  const { backplane } = ctx
  const onPayload = (payload: Uint8Array) => {
    const decoded = decodeClusterMessage(payload)
    if (!decoded) {
      ctx.log.warn('dropped an invalid message from another instance')
      return
    }
    // A broadcast reaches its sender too.
    if (decoded.message.from === backplane.instance) return
    try {
      receive(ctx, decoded.message, decoded.body)
    }
    catch (error) {
      ctx.log.error(`failed to handle a ${decoded.message.kind} from instance ${decoded.message.from}`, error)
    }
  }
  backplane.subscribe(inboxChannel(backplane.instance), onPayload)
  backplane.subscribe(BROADCAST_CHANNEL, onPayload)
  backplane.onInstanceDown(instance => dropSessionsWith(ctx, instance))
  backplane.onRejoin(() => rejoin(ctx))
}

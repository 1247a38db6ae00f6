import { signalError, type IceServer } from '../../../../shared/protocol/signal'
import type { HostRecord } from '../../backplane/types'
import { publishLoad, tellInstance } from '../cluster'
import type { HubContext, SignalHandler } from '../context'
import { relayBuckets, relayRate } from '../guards'
import type { PeerEntry } from '../state'
import { mintTurnServer, newTurnId } from '../turn'

/** Whether `from` may open one more visit session (MAX_VISITS_PER_SOCKET); it is told why not. */
function mayVisit(ctx: HubContext, from: PeerEntry): boolean {
  const max = ctx.guards.limits.maxVisitsPerSocket
  if (ctx.state.visitsOf(from.peer.id) < max) return true
  ctx.send(from.peer.id, signalError('too-many-sessions', `this connection has ${max} visit sessions open, as many as one may; leave one first`))
  return false
}

/** The least busy host of `site` on another instance, when it is less busy than `load` (the best here, if any). */
async function remoteHost(ctx: HubContext, site: string, load: number | undefined): Promise<HostRecord | undefined> {
  let best: HostRecord | undefined
  for (const record of await ctx.backplane.hosts.remote(site)) {
    if (record.load < (best?.load ?? load ?? Infinity)) best = record
  }
  return best
}

/** The session's ICE servers: with TURN, a credential of its own, which both ends get (either may be behind the NAT). */
function sessionIceServers(ctx: HubContext): IceServer[] | undefined {
  return ctx.turn ? [...ctx.iceServers, mintTurnServer(ctx.turn, newTurnId(), ctx.now())] : undefined
}

/**
 * `visit`: introduce the sender to the least busy live host of the site, on
 * this instance or another (a tie goes to one here), in a new session (at
 * most MAX_VISITS_PER_SOCKET open at once).
 */
export const visitMessageHandler: SignalHandler<'visit'> = async (ctx, from, message) => {
  const id = from.peer.id
  if (!mayVisit(ctx, from)) return
  const here = ctx.state.leastLoaded(message.site, id)
  // Without other instances nothing is awaited: the visit is handled at once, as it always was.
  const there = ctx.backplane.shared ? await remoteHost(ctx, message.site, here?.load) : undefined
  // The visitor may have left, or opened other visits, while the directory answered.
  if (ctx.backplane.shared && (ctx.state.peers.get(id) !== from || !mayVisit(ctx, from))) return
  const host = there ? undefined : ctx.state.pickHost(message.site, id)
  if (!there && !host) {
    ctx.send(id, signalError('no-host', `no host is online for ${message.site}`))
    return
  }
  const iceServers = sessionIceServers(ctx)
  const buckets = relayBuckets(ctx.guards, ctx.now())
  // Each party is told the rate its own frames are charged at, so it can pace itself below it (the host's instance tells a host there).
  const relay = relayRate(ctx.guards)
  let session: string
  if (there) {
    session = ctx.state.openSession(message.site, there.peer, id, buckets, { instance: there.instance, role: 'host' }).id
    tellInstance(ctx, there.instance, { kind: 'open', session, site: message.site, host: there.peer, visitor: id, ...(iceServers ? { iceServers } : {}) })
  }
  else if (host) {
    session = ctx.state.openSession(message.site, host, id, buckets).id
    publishLoad(ctx, host)
    ctx.send(host, { type: 'visitor', session, ...(iceServers ? { iceServers } : {}), relay })
  }
  else return
  ctx.send(id, { type: 'visiting', session, site: message.site, iceServers: iceServers ?? ctx.iceServers, relay })
}

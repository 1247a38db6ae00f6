import { signalError } from '../../../../shared/protocol/signal'
import type { SignalHandler } from '../context'
import { relayBucket } from '../guards'
import { mintTurnServer, newTurnId } from '../turn'

/** `visit`: introduce the sender to the least busy live host of the site, in a new session (at most MAX_VISITS_PER_SOCKET open at once). */
export const visitMessageHandler: SignalHandler<'visit'> = (ctx, from, message) => {
  const id = from.peer.id
  const max = ctx.guards.limits.maxVisitsPerSocket
  if (ctx.state.visitsOf(id) >= max) {
    ctx.send(id, signalError('too-many-sessions', `this connection has ${max} visit sessions open, as many as one may; leave one first`))
    return
  }
  const host = ctx.state.pickHost(message.site, id)
  if (!host) {
    ctx.send(id, signalError('no-host', `no host is online for ${message.site}`))
    return
  }
  const session = ctx.state.openSession(message.site, host, id, relayBucket(ctx.guards, ctx.now()))
  if (!ctx.turn) {
    ctx.send(host, { type: 'visitor', session: session.id })
    ctx.send(id, { type: 'visiting', session: session.id, site: message.site, iceServers: ctx.iceServers })
    return
  }
  // Both ends may need the relay (either may be behind the NAT), so both get this session's credential.
  const iceServers = [...ctx.iceServers, mintTurnServer(ctx.turn, newTurnId(), ctx.now())]
  ctx.send(host, { type: 'visitor', session: session.id, iceServers })
  ctx.send(id, { type: 'visiting', session: session.id, site: message.site, iceServers })
}

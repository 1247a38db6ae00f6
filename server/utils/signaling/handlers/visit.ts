import { signalError } from '../../../../shared/protocol/signal'
import type { SignalHandler } from '../context'

/** `visit`: introduce the sender to the least busy live host of the site, in a new session. */
export const visitMessageHandler: SignalHandler<'visit'> = (ctx, from, message) => {
  const id = from.peer.id
  const host = ctx.state.pickHost(message.site, id)
  if (!host) {
    ctx.send(id, signalError('no-host', `no host is online for ${message.site}`))
    return
  }
  const session = ctx.state.openSession(message.site, host, id)
  ctx.send(host, { type: 'visitor', session: session.id })
  ctx.send(id, { type: 'visiting', session: session.id, site: message.site, iceServers: ctx.iceServers })
}

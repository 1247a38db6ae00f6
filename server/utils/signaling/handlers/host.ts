import { signalError } from '../../../../shared/protocol/signal'
import type { SignalHandler } from '../context'

/** `host`: claim the site name (minting or checking its owner token), register this connection as a host of it, and tell it the site's join code. */
export const hostMessageHandler: SignalHandler<'host'> = async (ctx, from, message) => {
  const id = from.peer.id
  if (from.site !== null || from.claiming) {
    ctx.send(id, signalError('already-hosting', `this connection already hosts ${from.site ?? 'a site'}; open another connection to host another`))
    return
  }
  from.claiming = true
  try {
    const claim = await ctx.registry.claim(message.site, message.token)
    // The connection may have closed while the registry answered.
    if (ctx.state.peers.get(id) !== from) return
    if (!claim.ok) {
      ctx.send(id, signalError('name-taken', 'that name is taken'))
      return
    }
    ctx.state.addHost(id, message.site)
    ctx.send(id, { type: 'hosting', site: message.site, token: claim.token, code: claim.code })
    ctx.log.info(`${id} hosts ${message.site}`)
  }
  finally {
    from.claiming = false
  }
}

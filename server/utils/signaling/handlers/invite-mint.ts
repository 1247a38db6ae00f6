import { INVITE_TTL_SECONDS, signalError } from '../../../../shared/protocol/signal'
import { authorKeyId } from '../author-keys'
import type { SignalHandler } from '../context'
import { hostingKey } from './proof'

/** `invite-mint`: a new invite to the site this connection hosts, if its key is the owner's. */
export const inviteMintMessageHandler: SignalHandler<'invite-mint'> = async (ctx, from, message) => {
  const host = hostingKey(ctx, from)
  if (!host) return
  const minted = await ctx.registry.mintInvite(host.site, host.key, message.ttlSeconds ?? INVITE_TTL_SECONDS.default, ctx.now())
  if (!minted.ok) {
    ctx.send(from.peer.id, minted.reason === 'not-owner' ? signalError('not-owner') : signalError('too-many', `${host.site} has as many live invites as a site may have; revoke one first`))
    return
  }
  ctx.send(from.peer.id, { type: 'invite', invite: minted.invite, expiresAt: minted.expiresAt })
  ctx.log.info(`${authorKeyId(host.key)} minted an invite to ${host.site}`)
}

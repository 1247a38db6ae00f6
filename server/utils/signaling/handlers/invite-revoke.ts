import { signalError } from '../../../../shared/protocol/signal'
import type { SignalHandler } from '../context'
import { hostingKey } from './proof'

/** `invite-revoke`: make an invite to the site this connection hosts unusable, if its key is the owner's (an unknown or expired invite is already). */
export const inviteRevokeMessageHandler: SignalHandler<'invite-revoke'> = async (ctx, from, message) => {
  const host = hostingKey(ctx, from)
  if (!host) return
  const revoked = await ctx.registry.revokeInvite(host.site, host.key, message.invite, ctx.now())
  if (!revoked.ok) {
    ctx.send(from.peer.id, signalError('not-owner'))
    return
  }
  ctx.send(from.peer.id, { type: 'invite-revoked', invite: message.invite })
}

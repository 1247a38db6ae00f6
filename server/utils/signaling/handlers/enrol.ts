import { enrolProof, signalError } from '../../../../shared/protocol/signal'
import { authorKeyId } from '../author-keys'
import type { SignalHandler } from '../context'
import { provenKey } from './proof'

/**
 * `enrol`: with the signature of the pending challenge, add the key as an
 * author of the site the invite is for. The connection does not become a
 * host: it registers with `host` next, like any author.
 */
export const enrolMessageHandler: SignalHandler<'enrol'> = async (ctx, from, message) => {
  const { site, invite } = message
  const key = provenKey(ctx, from, message.key, message.signature, nonce => enrolProof(site, invite, nonce))
  if (key === null) return
  const outcome = await ctx.registry.enrol(site, key, invite, ctx.now())
  if (!outcome.ok) {
    ctx.send(from.peer.id, outcome.reason === 'bad-invite' ? signalError('bad-invite') : signalError('too-many', `${site} has as many authors as a site may have`))
    return
  }
  ctx.send(from.peer.id, { type: 'enrolled', site, room: outcome.room })
  ctx.log.info(`${authorKeyId(key)} is an ${outcome.role} of ${site}`)
}

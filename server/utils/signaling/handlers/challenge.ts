import { issueChallenge } from '../challenges'
import type { SignalHandler } from '../context'

/** `challenge`: a fresh nonce for this connection to sign (in a `host` with a key, or an `enrol`), replacing any pending one. */
export const challengeMessageHandler: SignalHandler<'challenge'> = (ctx, from) => {
  ctx.send(from.peer.id, { type: 'challenge', nonce: issueChallenge(from, ctx.now()) })
}

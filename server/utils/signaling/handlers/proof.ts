import { signalError } from '../../../../shared/protocol/signal'
import { canonicalAuthorKey, verifyAuthorSignature } from '../author-keys'
import { takeChallenge } from '../challenges'
import type { HubContext } from '../context'
import type { PeerEntry } from '../state'

/**
 * The canonical form of `key` when `signature` is its signature of
 * `proof(nonce)` for the connection's pending nonce; otherwise the sender is
 * told why (`no-challenge`, `bad-signature`) and the answer is null. The
 * nonce is used up either way.
 */
export function provenKey(ctx: HubContext, from: PeerEntry, key: string, signature: string | undefined, proof: (nonce: string) => string): string | null {
  const nonce = takeChallenge(from, ctx.now())
  if (nonce === null) {
    ctx.send(from.peer.id, signalError('no-challenge'))
    return null
  }
  const canonical = canonicalAuthorKey(key)
  if (canonical === null || signature === undefined || !verifyAuthorSignature(canonical, proof(nonce), signature)) {
    ctx.send(from.peer.id, signalError('bad-signature', signature === undefined ? 'a host message with a key needs its signature of the challenge' : undefined))
    return null
  }
  return canonical
}

/**
 * The site and key of a connection that hosts a site by a key, or null after
 * telling it `not-owner`. Whether the key is the owner's is the registry's
 * call, at the moment it acts.
 */
export function hostingKey(ctx: HubContext, from: PeerEntry): { site: string, key: string } | null {
  if (from.site === null || from.authorKey === null) {
    ctx.send(from.peer.id, signalError('not-owner', 'only a tab that hosts the site with the owner\'s key may do that'))
    return null
  }
  return { site: from.site, key: from.authorKey }
}

import { enrolProof, type RoomState } from '../../shared/protocol/signal'
import { SignalingClient } from '../peer/signaling-client'
import type { AuthorKey } from '../studio/author-key'

/** Ask `signaling` for a challenge and sign `proof(nonce)` with `key`: the signature a keyed message carries. */
export async function signChallenge(signaling: SignalingClient, key: AuthorKey, proof: (nonce: string) => string): Promise<string> {
  const challenge = signaling.waitFor(m => (m.type === 'challenge' ? m : undefined))
  signaling.send({ type: 'challenge' })
  return key.sign(proof((await challenge).nonce))
}

/**
 * Enrol this browser's key as an author of `site` with an invite the owner
 * minted: a signaling connection of its own, a challenge, the signed proof.
 * Rejects (SignalingError 'bad-invite') when the invite expired, was revoked
 * or was never made; nothing is kept then. Resolves with the co-authors'
 * room (its epoch and secret), which the new author joins at once.
 */
export async function enrolWithInvite(signalUrl: string, site: string, invite: string, key: AuthorKey, open: (url: string) => Promise<SignalingClient> = url => SignalingClient.open(url)): Promise<RoomState> {
  const signaling = await open(signalUrl)
  try {
    const signature = await signChallenge(signaling, key, nonce => enrolProof(site, invite, nonce))
    const enrolled = signaling.waitFor(m => (m.type === 'enrolled' && m.site === site ? m : undefined))
    signaling.send({ type: 'enrol', site, key: key.publicKey, invite, signature })
    return (await enrolled).room ?? { epoch: 0 }
  }
  finally {
    signaling.close()
  }
}

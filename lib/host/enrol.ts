import { enrolProof } from '../../shared/protocol/signal'
import { SignalingClient } from '../peer/signaling-client'
import type { AuthorKey } from '../studio/author-key'

/**
 * Enrol this browser's key as an author of `site` with an invite the owner
 * minted: a signaling connection of its own, a challenge, the signed proof.
 * Rejects (SignalingError 'bad-invite') when the invite expired, was revoked
 * or was never made; nothing is kept then.
 */
export async function enrolWithInvite(signalUrl: string, site: string, invite: string, key: AuthorKey, open: (url: string) => Promise<SignalingClient> = url => SignalingClient.open(url)): Promise<void> {
  const signaling = await open(signalUrl)
  try {
    const challenge = signaling.waitFor(m => (m.type === 'challenge' ? m : undefined))
    signaling.send({ type: 'challenge' })
    const signature = await key.sign(enrolProof(site, invite, (await challenge).nonce))
    const enrolled = signaling.waitFor(m => (m.type === 'enrolled' && m.site === site ? m : undefined))
    signaling.send({ type: 'enrol', site, key: key.publicKey, invite, signature })
    await enrolled
  }
  finally {
    signaling.close()
  }
}

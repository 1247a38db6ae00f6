import { randomBytes } from 'node:crypto'
import { CHALLENGE_TTL_MS } from '../../../shared/protocol/signal'

/** A nonce a connection asked for and has not answered yet. */
export interface PendingChallenge {
  nonce: string
  /** When it stops being answerable (ms, the hub's clock). */
  expires: number
}

/** What holds a connection's pending challenge (its PeerEntry). */
export interface ChallengeHolder {
  challenge: PendingChallenge | null
}

/** Mint a fresh nonce for `holder`, replacing any pending one. */
export function issueChallenge(holder: ChallengeHolder, now: number, ttlMs = CHALLENGE_TTL_MS): string {
  const nonce = randomBytes(32).toString('base64url')
  holder.challenge = { nonce, expires: now + ttlMs }
  return nonce
}

/**
 * Take the pending nonce, once: it is gone after this call whatever the
 * answer turns out to be, so a signature can never be replayed. Null when
 * none is pending or it expired.
 */
export function takeChallenge(holder: ChallengeHolder, now: number): string | null {
  const pending = holder.challenge
  holder.challenge = null
  return pending !== null && now < pending.expires ? pending.nonce : null
}

import { signalError, type ErrorMessage, type RelayRate } from '../../../shared/protocol/signal'
import { DailyQuota } from '../limits/daily-quota'
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../limits/defaults'
import { KeyedBuckets, KeyedCounter, TokenBucket } from '../limits/token-bucket'
import type { HubContext } from './context'
import type { PeerEntry, RelayBuckets, Session, SessionRole } from './state'

/** The hub's limits and what it counts against them (see server/utils/limits/defaults.ts). */
export interface SignalingGuards {
  limits: ServerLimits
  /** Live connections per client address. */
  connections: KeyedCounter
  /** New names claimed per client address. */
  newSites: KeyedBuckets
  /** Relay bytes per site today. */
  relayQuota: DailyQuota
}

/** Guards for a hub with `limits` over the defaults. */
export function createSignalingGuards(limits: Partial<ServerLimits> = {}): SignalingGuards {
  const all = { ...DEFAULT_SERVER_LIMITS, ...limits }
  return {
    limits: all,
    connections: new KeyedCounter(all.maxConnectionsPerAddress),
    newSites: new KeyedBuckets(all.newSitesPerAddressPerHour / 3600, all.newSitesPerAddressPerHour),
    relayQuota: new DailyQuota(all.relayBytesPerSitePerDay),
  }
}

/** A full message bucket for a new connection. */
export function messageBucket(guards: SignalingGuards, now: number): TokenBucket {
  return new TokenBucket(guards.limits.signalMessagesPerSecond, guards.limits.signalMessageBurst, now)
}

/** Full relay buckets for a new session, one per sending party. */
export function relayBuckets(guards: SignalingGuards, now: number): RelayBuckets {
  const { relayBytesPerSecond: rate, relayBurstBytes: burst } = guards.limits
  return { host: new TokenBucket(rate, burst, now), visitor: new TokenBucket(rate, burst, now) }
}

/** The relay rate each party of a session is held to, as `visiting` and `visitor` tell them. */
export function relayRate(guards: SignalingGuards): RelayRate {
  return { bytesPerSecond: guards.limits.relayBytesPerSecond, burstBytes: guards.limits.relayBurstBytes }
}

/** How often a flooding connection is told `rate-limited` (the rest of its flood is dropped unanswered). */
const RATE_NOTICE_MS = 1000

/**
 * Whether a message from `from` may be handled: it takes a token from the
 * connection's bucket. Past the burst the message is dropped, and the
 * connection told `rate-limited` at most once a second, so a flood costs
 * the server no more replies than it allows.
 */
export function admitMessage(ctx: HubContext, from: PeerEntry): boolean {
  const now = ctx.now()
  if (from.messages.take(now)) return true
  if (now - from.limitedAt >= RATE_NOTICE_MS) {
    from.limitedAt = now
    const { signalMessagesPerSecond: rate, signalMessageBurst: burst } = ctx.guards.limits
    ctx.send(from.peer.id, signalError('rate-limited', `at most ${rate} messages a second (${burst} at once); messages are dropped until this connection slows down`))
  }
  return false
}

/** Answer a refused frame with `error`, as a message of its own: a flood of refused frames is rate-limited like one of messages. */
export function refuse(ctx: HubContext, from: PeerEntry, error: ErrorMessage): void {
  if (admitMessage(ctx, from)) ctx.send(from.peer.id, error)
}

/**
 * Charge `bytes` of relay sent by the session's `role` party to its own
 * bucket and to the site's daily quota; false (and the sender told why, the
 * error naming the session) when either is spent.
 */
export function chargeRelay(ctx: HubContext, from: PeerEntry, session: Session, role: SessionRole, bytes: number): boolean {
  const { limits, relayQuota } = ctx.guards
  const now = ctx.now()
  if (!session.relay[role].take(now, bytes)) {
    refuse(ctx, from, { ...signalError('relay-rate', `session ${session.id} relays at most ${limits.relayBytesPerSecond} bytes a second each way (${limits.relayBurstBytes} at once); the frame was dropped`), session: session.id })
    return false
  }
  if (!relayQuota.take(session.site, bytes, now)) {
    refuse(ctx, from, { ...signalError('relay-quota', `${session.site} relayed ${relayQuota.usedBy(session.site)} bytes today, of ${limits.relayBytesPerSitePerDay}; the frame was dropped (peer-to-peer still works)`), session: session.id })
    return false
  }
  return true
}

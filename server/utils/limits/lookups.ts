import type { ServerLimits } from './defaults'
import { KeyedBuckets } from './token-bucket'

/** The HTTP lookups metered per client address. */
export type LookupKind = 'join' | 'names'

/** A lookup let through, or refused with how long to wait (whole seconds, for Retry-After). */
export type LookupVerdict = { ok: true } | { ok: false, retryAfterSeconds: number, message: string }

/**
 * A gate per lookup kind: `GET /api/join/<code>` (JOIN_LOOKUPS_PER_SECOND,
 * JOIN_LOOKUP_BURST) and `GET /api/sites/<name>` (NAME_LOOKUPS_PER_SECOND,
 * NAME_LOOKUP_BURST), each a token bucket per client address.
 */
export function createLookupGates(limits: ServerLimits): (kind: LookupKind, address: string, now: number) => LookupVerdict {
  const gates = {
    join: { buckets: new KeyedBuckets(limits.joinLookupsPerSecond, limits.joinLookupBurst), rate: limits.joinLookupsPerSecond, what: 'join code lookups' },
    names: { buckets: new KeyedBuckets(limits.nameLookupsPerSecond, limits.nameLookupBurst), rate: limits.nameLookupsPerSecond, what: 'site name lookups' },
  }
  return (kind, address, now) => {
    const gate = gates[kind]
    if (gate.buckets.take(address, now)) return { ok: true }
    const retryAfterSeconds = Math.max(1, Math.ceil(1 / gate.rate))
    return { ok: false, retryAfterSeconds, message: `Too many ${gate.what} from this address: at most ${gate.rate} a second; try again in ${retryAfterSeconds} s` }
  }
}

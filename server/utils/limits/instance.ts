import { createTaggedLog } from '../signaling/log'
import { parseServerLimits, trustsProxy } from './config'
import type { ServerLimits } from './defaults'
import { createLookupGates, type LookupKind } from './lookups'

const log = createTaggedLog('limits')
let limits: ServerLimits | undefined

/** The process's limits (runtime config `limits`, env NUXT_LIMITS_<NAME>, over the defaults). */
export function useServerLimits(): ServerLimits {
  limits ??= parseServerLimits(useRuntimeConfig().limits, log)
  return limits
}

/**
 * The client's address for per-address limits: the socket's peer, or with
 * runtime config `trustProxy` (env NUXT_TRUST_PROXY=true, only behind a proxy
 * that sets it) the last address in X-Forwarded-For, which that proxy wrote.
 * '' when unknown.
 */
export function clientAddress(remote: string | undefined, forwardedFor: string | null | undefined): string {
  if (forwardedFor && trustsProxy(useRuntimeConfig().trustProxy)) {
    const last = forwardedFor.split(',').at(-1)?.trim()
    if (last) return last
  }
  return remote ?? ''
}

let lookupGates: ReturnType<typeof createLookupGates> | undefined

/**
 * Meter one HTTP lookup of `kind` from the request's client address; past
 * the limit, a 429 with Retry-After.
 */
export function enforceLookupRate(event: Parameters<typeof getRequestIP>[0], kind: LookupKind): void {
  lookupGates ??= createLookupGates(useServerLimits())
  const address = clientAddress(getRequestIP(event), getRequestHeader(event, 'x-forwarded-for'))
  const verdict = lookupGates(kind, address, Date.now())
  if (verdict.ok) return
  setResponseHeader(event, 'retry-after', verdict.retryAfterSeconds)
  throw createError({ statusCode: 429, statusMessage: verdict.message })
}

import { limitsOverDefaults } from '../../../shared/limits'
import type { SignalingLog } from '../signaling/context'
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from './defaults'

/**
 * The limits in force: runtime config `limits` (env NUXT_LIMITS_<NAME>) over
 * the defaults; a setting that is not a positive number is logged and its
 * default kept, so a typo never turns a limit off.
 */
export function parseServerLimits(value: unknown, log: SignalingLog): ServerLimits {
  const { limits, refused } = limitsOverDefaults(DEFAULT_SERVER_LIMITS, value)
  for (const { name } of refused) log.error(`runtime config limits.${name} is not a positive number; using ${limits[name]}`)
  return limits
}

/** Whether the client address may be read from X-Forwarded-For (runtime config `trustProxy`, env NUXT_TRUST_PROXY): only behind a proxy that sets it. */
export function trustsProxy(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1'
}

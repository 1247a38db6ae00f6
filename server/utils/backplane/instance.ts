import { createTaggedLog } from '../signaling/log'
import { createSoloBackplane } from './memory'
import { createRedisBackplane } from './redis'
import type { Backplane } from './types'

const log = createTaggedLog('backplane')
let backplane: Backplane | undefined

/** The process's link to the other instances: over Redis with runtime config `redis.url` (NUXT_REDIS_URL), else a backplane of one. */
export function useBackplane(): Backplane {
  if (backplane) return backplane
  // A runtime without the setting (the abuse suite's) is one without Redis.
  const url = useRuntimeConfig().redis?.url
  backplane = url ? createRedisBackplane({ url, log }) : createSoloBackplane()
  return backplane
}

/** A Redis URL with its password hidden, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  }
  catch {
    // Not a URL ioredis could use either; it says so when it connects.
    return '(not a URL)'
  }
}

/** The backplane's log, for the plugin's own lines. */
export const backplaneLog = log

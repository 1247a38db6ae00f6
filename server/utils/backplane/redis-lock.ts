import { randomBytes } from 'node:crypto'
import type Redis from 'ioredis'
import type { SignalingLog } from '../signaling/context'
import { REGISTRY_LOCK_RETRY_MAX_MS, REGISTRY_LOCK_RETRY_MIN_MS, REGISTRY_LOCK_TTL_MS, REGISTRY_LOCK_WAIT_MS } from './timing'
import type { Serialiser } from './types'

/** A lock that was not free within the wait: the caller's operation did not run. */
export class LockTimeoutError extends Error {
  constructor(readonly key: string, readonly waitedMs: number) {
    super(`the registry is busy: ${key} stayed locked for ${waitedMs} ms, the longest an operation waits; nothing was changed, try again`)
    this.name = 'LockTimeoutError'
  }
}

/** A lock's timings (the defaults in ./timing.ts) and where its keys live. */
export interface RedisLockOptions {
  prefix?: string
  ttlMs?: number
  waitMs?: number
  retryMinMs?: number
  retryMaxMs?: number
  log?: SignalingLog
}

// Delete the key only while it still holds our token: a lock that outlived its
// TTL and was taken by another is that other's now.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

/**
 * A lock per key across every process on one Redis: SET key token NX PX ttl
 * to take it, retried with doubling, jittered waits up to `waitMs` (then
 * LockTimeoutError), released by a script that deletes it only for its
 * holder. A holder that dies leaves the key to expire after `ttlMs`.
 */
export function createRedisLock(redis: Redis, options: RedisLockOptions = {}): Serialiser {
  const { prefix = 'ps:lock:', ttlMs = REGISTRY_LOCK_TTL_MS, waitMs = REGISTRY_LOCK_WAIT_MS } = options
  const { retryMinMs = REGISTRY_LOCK_RETRY_MIN_MS, retryMaxMs = REGISTRY_LOCK_RETRY_MAX_MS, log } = options

  async function acquire(key: string): Promise<string> {
    const token = randomBytes(16).toString('base64url')
    const started = Date.now()
    let delay = retryMinMs
    for (;;) {
      if (await redis.set(key, token, 'PX', ttlMs, 'NX') === 'OK') return token
      const waited = Date.now() - started
      if (waited >= waitMs) throw new LockTimeoutError(key, waited)
      // Jitter, so waiters that missed together do not all try again together.
      await sleep(Math.min(delay * (0.5 + Math.random()), waitMs - waited))
      delay = Math.min(delay * 2, retryMaxMs)
    }
  }

  return async (name, task) => {
    const key = `${prefix}${name}`
    const token = await acquire(key)
    const started = Date.now()
    try {
      return await task()
    }
    finally {
      const released = await redis.eval(RELEASE, 1, key, token).catch((error: unknown) => {
        log?.warn(`could not release the lock ${key}; it expires in ${ttlMs} ms`, error)
        return 1
      })
      if (released === 0) log?.warn(`the lock ${key} expired after ${ttlMs} ms while its task ran for ${Date.now() - started} ms; another may have run beside it`)
    }
  }
}

import Redis from 'ioredis'
import type { SignalingLog } from '../signaling/context'
import { createKeyedQueue } from '../signaling/keyed-queue'
import { newInstanceId } from './memory'
import { backplaneKeys, createRedisHostDirectory } from './redis-directory'
import { createRedisLock, type RedisLockOptions } from './redis-lock'
import { BACKPLANE_HEARTBEAT_MS, BACKPLANE_INSTANCE_TTL_MS } from './timing'
import type { Backplane } from './types'

/** Where the Redis is, and the timings (defaults in ./timing.ts; tests shorten them). */
export interface RedisBackplaneOptions {
  url: string
  log: SignalingLog
  /** Prefix of every key and channel (several deployments may share one Redis). */
  prefix?: string
  instance?: string
  heartbeatMs?: number
  instanceTtlMs?: number
  lock?: Omit<RedisLockOptions, 'prefix' | 'log'>
}

/** The backplane over Redis, with what tests and the plugin need beyond the interface. */
export interface RedisBackplane extends Backplane {
  /** Resolves once the first heartbeat registered this instance and every subscription so far is in place. */
  ready(): Promise<void>
  /** Stop at once without a goodbye, as a killed process does: no more heartbeats, connections dropped. */
  destroy(): void
}

/**
 * Instances linked through one Redis: a connection for commands and one for
 * pub/sub; a liveness key refreshed every `heartbeatMs` that expires after
 * `instanceTtlMs`; each heartbeat also looks for instances whose key expired,
 * reaps their directory entries and reports them down once.
 */
export function createRedisBackplane(options: RedisBackplaneOptions): RedisBackplane {
  const { url, log, prefix = 'ps:', instance = newInstanceId() } = options
  const { heartbeatMs = BACKPLANE_HEARTBEAT_MS, instanceTtlMs = BACKPLANE_INSTANCE_TTL_MS } = options
  const keys = backplaneKeys(prefix)
  const redis = new Redis(url)
  const subscriber = new Redis(url)
  for (const [name, client] of [['commands', redis], ['pub/sub', subscriber]] as const) client.on('error', error => log.warn(`redis (${name}): ${String(error)}`))
  const hosts = createRedisHostDirectory(redis, instance, prefix)
  const lock = createRedisLock(redis, { ...options.lock, prefix: `${prefix}lock:`, log })
  const local = createKeyedQueue()
  const handlers = new Map<string, (payload: Uint8Array) => void>()
  const pending = new Set<Promise<unknown>>()
  const downHandlers: Array<(instance: string) => void> = []
  const rejoinHandlers: Array<() => void> = []
  const alive = new Set<string>()
  const reported = new Set<string>()
  let joined = false
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined

  subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    handlers.get(channel.toString())?.(new Uint8Array(message.buffer, message.byteOffset, message.byteLength))
  })
  const track = (promise: Promise<unknown>, what: string) => {
    const settled = promise.catch((error: unknown) => log.warn(`redis: ${what} failed`, error)).finally(() => pending.delete(settled))
    pending.add(settled)
  }

  async function lookAround(): Promise<void> {
    const members = await redis.smembers(keys.instances)
    const watched = [...new Set([...members, ...alive])].filter(id => id !== instance)
    const exists = await Promise.all(watched.map(id => redis.exists(keys.alive(id))))
    for (const [index, id] of watched.entries()) {
      if (exists[index] === 1) {
        alive.add(id)
        reported.delete(id)
        continue
      }
      alive.delete(id)
      if (members.includes(id)) await hosts.reap(id)
      if (reported.has(id)) continue
      reported.add(id)
      log.warn(`instance ${id} missed its heartbeats; its hosts and sessions are gone`)
      for (const handler of downHandlers) handler(id)
    }
    // Reaped ones are in neither list again: nothing to remember them for.
    for (const id of reported) if (!members.includes(id)) reported.delete(id)
  }

  async function beat(): Promise<void> {
    const previous = await redis.set(keys.alive(instance), String(Date.now()), 'PX', instanceTtlMs, 'GET')
    await redis.sadd(keys.instances, instance)
    if (joined && previous === null) {
      log.warn(`this instance (${instance}) was taken for dead (no heartbeat for ${instanceTtlMs} ms); registering its hosts again`)
      for (const handler of rejoinHandlers) handler()
    }
    joined = true
    await lookAround()
  }

  const first = beat()
  const loop = async () => {
    if (stopped) return
    try {
      await beat()
    }
    catch (error) {
      log.warn('redis: heartbeat failed', error)
    }
    if (!stopped) timer = setTimeout(() => void loop(), heartbeatMs)
  }
  track(first.finally(() => {
    if (!stopped) timer = setTimeout(() => void loop(), heartbeatMs)
  }), 'the first heartbeat')

  function stop(): void {
    stopped = true
    clearTimeout(timer)
  }

  return {
    instance,
    shared: true,
    hosts,
    publish(channel, payload) {
      redis.publish(keys.channel(channel), Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)).catch((error: unknown) => log.warn(`redis: publish on ${channel} failed`, error))
    },
    subscribe(channel, handler) {
      const full = keys.channel(channel)
      if (!handlers.has(full)) track(subscriber.subscribe(full), `subscribing to ${channel}`)
      handlers.set(full, handler)
    },
    unsubscribe(channel) {
      const full = keys.channel(channel)
      if (handlers.delete(full)) track(subscriber.unsubscribe(full), `unsubscribing from ${channel}`)
    },
    onInstanceDown: handler => void downHandlers.push(handler),
    onRejoin: handler => void rejoinHandlers.push(handler),
    // The process's own tasks queue here first, so they do not poll Redis against each other.
    serialise: (key, task) => local(key, () => lock(key, task)),
    async ready() {
      await first
      while (pending.size > 0) await Promise.all(pending)
    },
    async close() {
      // Closed or destroyed already: its connections are gone.
      if (stopped) return
      stop()
      try {
        await first.catch(() => undefined)
        await redis.del(keys.alive(instance))
        await hosts.reap(instance)
      }
      finally {
        await Promise.allSettled([redis.quit(), subscriber.quit()])
      }
    },
    destroy() {
      stop()
      redis.disconnect()
      subscriber.disconnect()
    },
  }
}

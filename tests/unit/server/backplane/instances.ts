import { randomBytes } from 'node:crypto'
import { createStorage, type Storage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { createMemoryBackplaneNetwork } from '../../../../server/utils/backplane/memory'
import { createRedisBackplane, type RedisBackplaneOptions } from '../../../../server/utils/backplane/redis'
import type { Backplane } from '../../../../server/utils/backplane/types'
import type { ServerLimits } from '../../../../server/utils/limits/defaults'
import type { JoinCodeSource } from '../../../../server/utils/lesson/join-codes'
import { createMemorySiteStore, createStorageSiteRegistry, type SiteRegistry } from '../../../../server/utils/signaling/registry'
import { createRecordingLog, createTestHub } from '../utils/signaling/fake-peers'
import { createTestRooms } from '../utils/yjs-signaling/fake-peers'

/** One Nitro instance as a test builds it: its backplane, registry, signaling hub and room hub, with fake peers. */
export interface TestInstance {
  name: string
  backplane: Backplane & { destroy(): void }
  registry: SiteRegistry
  signal: ReturnType<typeof createTestHub>
  rooms: ReturnType<typeof createTestRooms>
  /** Resolves once what it asked of its backplane is in place (Redis confirmed its subscriptions). */
  settle(): Promise<void>
  /** Leave with a goodbye and close its connections. */
  close(): Promise<void>
}

/** What an instance may have of its own. */
export interface InstanceOptions {
  codeSource?: JoinCodeSource
  limits?: Partial<ServerLimits>
}

/** What makes instances that share one backplane: Redis, or the in-process one. */
export interface TestCluster {
  kind: 'redis' | 'memory'
  /** The prefix of its keys in Redis ('' in memory). */
  prefix: string
  instance(name: string, options?: InstanceOptions): Promise<TestInstance>
  /** Close every instance still open. */
  close(): Promise<void>
}

function assemble(name: string, backplane: TestInstance['backplane'], registry: SiteRegistry, limits: Partial<ServerLimits> | undefined, close: () => Promise<void>, settle: () => Promise<void>): TestInstance {
  const rooms = createTestRooms({ backplane })
  // As server/utils/signaling/instance.ts wires them: a removal evicts this instance's room connections.
  const signal = createTestHub({ registry, backplane, limits, idPrefix: `${name}-peer`, onAuthorRemoved: (site, _key, epoch) => void rooms.rooms.evict(site, epoch) })
  return { name, backplane, registry, signal, rooms, close, settle }
}

/** Instances on the Redis at `url`, under a prefix of their own (each cluster starts empty); each has its own connections. */
export function createRedisCluster(url: string, options: Partial<RedisBackplaneOptions> = {}): TestCluster {
  const prefix = `test-${randomBytes(6).toString('hex')}:`
  const open = new Set<TestInstance>()
  return {
    kind: 'redis',
    prefix,
    async instance(name, { codeSource, limits } = {}) {
      const backplane = createRedisBackplane({ url, log: createRecordingLog(), prefix, instance: name, ...options })
      const storage: Storage = createStorage({ driver: redisDriver({ url, base: `${prefix}data` }) })
      const registry = createStorageSiteRegistry(storage, { serialise: backplane.serialise, codeSource })
      await backplane.ready()
      const instance = assemble(name, backplane, registry, limits, async () => {
        open.delete(instance)
        await backplane.close()
        await storage.dispose()
      }, () => backplane.ready())
      // The hub and rooms subscribed as they were made: wait for Redis to confirm.
      await backplane.ready()
      open.add(instance)
      return instance
    },
    async close() {
      await Promise.all([...open].map(instance => instance.close()))
    },
  }
}

/** Instances in this process on the in-process backplane, sharing one memory store. */
export function createMemoryCluster(): TestCluster {
  const network = createMemoryBackplaneNetwork()
  const store = createMemorySiteStore()
  return {
    kind: 'memory',
    prefix: '',
    async instance(name, { codeSource, limits } = {}) {
      const backplane = network.join(name)
      const registry = createStorageSiteRegistry(store, { serialise: backplane.serialise, codeSource })
      return assemble(name, backplane, registry, limits, () => backplane.close(), async () => undefined)
    },
    close: async () => undefined,
  }
}

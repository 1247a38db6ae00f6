import type Redis from 'ioredis'
import { z } from 'zod'
import type { HostDirectory, HostRecord } from './types'

/** Where the backplane keeps things in Redis, under one prefix. */
export function backplaneKeys(prefix: string) {
  return {
    /** An instance's liveness key, with a TTL its heartbeat refreshes. */
    alive: (instance: string) => `${prefix}instance:${instance}`,
    /** Every instance that has registered and not been reaped. */
    instances: `${prefix}instances`,
    /** The sites an instance has (or had) hosts of, so its entries can be reaped. */
    sitesOf: (instance: string) => `${prefix}instance-sites:${instance}`,
    /** A site's hosts: field `<instance>/<peer>`, value a HostEntry. */
    hosts: (site: string) => `${prefix}hosts:${site}`,
    /** A site's hosts' loads: field `<instance>/<peer>`, value a count. */
    load: (site: string) => `${prefix}load:${site}`,
    /** The channel of messages to every instance (for callers: ../signaling/cluster.ts). */
    channel: (name: string) => `${prefix}channel:${name}`,
  }
}

const HostEntrySchema = z.object({ peer: z.string(), key: z.string().nullable(), at: z.number() })

/**
 * Forget a dead instance's hosts, unless its liveness key is back (checked in
 * the same script, so an instance that revives between a reaper's check and
 * its cleanup keeps what it writes again). KEYS: alive, sitesOf, instances;
 * ARGV: instance, prefix.
 */
const REAP = `
if redis.call('exists', KEYS[1]) == 1 then return 0 end
local mine = ARGV[1] .. '/'
for _, site in ipairs(redis.call('smembers', KEYS[2])) do
  local hosts = ARGV[2] .. 'hosts:' .. site
  for _, field in ipairs(redis.call('hkeys', hosts)) do
    if string.sub(field, 1, #mine) == mine then
      redis.call('hdel', hosts, field)
      redis.call('hdel', ARGV[2] .. 'load:' .. site, field)
    end
  end
end
redis.call('del', KEYS[2])
redis.call('srem', KEYS[3], ARGV[1])
return 1`

/** Hosts across instances in Redis; entries of an instance whose liveness key expired are not listed. */
export function createRedisHostDirectory(redis: Redis, instance: string, prefix: string): HostDirectory & { reap(dead: string): Promise<boolean> } {
  const keys = backplaneKeys(prefix)
  const field = (peer: string) => `${instance}/${peer}`
  return {
    async add(site, peer, key) {
      const entry = JSON.stringify({ peer, key, at: Date.now() } satisfies z.infer<typeof HostEntrySchema>)
      await redis.multi().hset(keys.hosts(site), field(peer), entry).hset(keys.load(site), field(peer), 0).sadd(keys.sitesOf(instance), site).exec()
    },
    async remove(site, peer) {
      await redis.multi().hdel(keys.hosts(site), field(peer)).hdel(keys.load(site), field(peer)).exec()
    },
    async setLoad(site, peer, load) {
      // Only while it is listed: a load written after the host left would outlive it.
      if (await redis.hexists(keys.hosts(site), field(peer))) await redis.hset(keys.load(site), field(peer), load)
    },
    async remote(site) {
      const [hosts, loads] = await Promise.all([redis.hgetall(keys.hosts(site)), redis.hgetall(keys.load(site))])
      const entries: Array<HostRecord & { at: number }> = []
      for (const [name, value] of Object.entries(hosts)) {
        const owner = name.slice(0, name.indexOf('/'))
        if (owner === instance) continue
        let parsed: ReturnType<typeof HostEntrySchema.safeParse>
        try {
          parsed = HostEntrySchema.safeParse(JSON.parse(value))
        }
        catch {
          // Not JSON: not an entry any instance of ours wrote; it hosts nothing.
          continue
        }
        if (!parsed.success) continue
        entries.push({ instance: owner, peer: parsed.data.peer, key: parsed.data.key, load: Number(loads[name] ?? 0) || 0, at: parsed.data.at })
      }
      const owners = [...new Set(entries.map(entry => entry.instance))]
      if (owners.length === 0) return []
      // Sent together on the one connection: a round trip, not one per instance.
      const alive = await Promise.all(owners.map(owner => redis.exists(keys.alive(owner))))
      const live = new Set(owners.filter((_, index) => alive[index] === 1))
      return entries.filter(entry => live.has(entry.instance)).sort((a, b) => a.at - b.at).map(({ at: _, ...record }) => record)
    },
    reap: async dead => await redis.eval(REAP, 3, keys.alive(dead), keys.sitesOf(dead), keys.instances, dead, prefix) === 1,
  }
}

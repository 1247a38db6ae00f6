import { randomBytes } from 'node:crypto'
import { createKeyedQueue } from '../signaling/keyed-queue'
import type { Backplane, HostRecord } from './types'

interface Member {
  instance: string
  channels: Map<string, (payload: Uint8Array) => void>
  down: Array<(instance: string) => void>
  /** Its host tabs by site, then by peer, with the order they registered in. */
  hosts: Map<string, Map<string, { key: string | null, load: number, order: number }>>
}

/** An in-process backplane that can also leave without a goodbye (a crash, for tests). */
export interface MemoryBackplane extends Backplane {
  /** Stop at once: the others find it dead, its hosts are gone. */
  destroy(): void
}

/** A new instance id: random, so two processes never share one. */
export function newInstanceId(): string {
  return randomBytes(9).toString('base64url')
}

/**
 * Instances in one process, linked as Redis would link processes: messages
 * delivered asynchronously in order, hosts seen across instances, a dead
 * instance reported to the others at once, one lock queue for all. A network
 * of one is the default backplane when no Redis is configured.
 */
export function createMemoryBackplaneNetwork() {
  const members = new Map<string, Member>()
  const serialise = createKeyedQueue()
  let order = 0

  function leave(member: Member): void {
    if (members.get(member.instance) !== member) return
    members.delete(member.instance)
    for (const other of members.values()) {
      for (const handler of other.down) queueMicrotask(() => handler(member.instance))
    }
  }

  function join(instance = newInstanceId(), shared = true): MemoryBackplane {
    if (members.has(instance)) throw new Error(`instance ${instance} is in this network already`)
    const member: Member = { instance, channels: new Map(), down: [], hosts: new Map() }
    members.set(instance, member)
    const ownHosts = (site: string) => {
      const hosts = member.hosts.get(site) ?? new Map()
      member.hosts.set(site, hosts)
      return hosts
    }
    return {
      instance,
      shared,
      hosts: {
        async add(site, peer, key) {
          ownHosts(site).set(peer, { key, load: 0, order: ++order })
        },
        async remove(site, peer) {
          const hosts = member.hosts.get(site)
          hosts?.delete(peer)
          if (hosts?.size === 0) member.hosts.delete(site)
        },
        async setLoad(site, peer, load) {
          const record = member.hosts.get(site)?.get(peer)
          if (record) record.load = load
        },
        async remote(site) {
          const found: Array<HostRecord & { order: number }> = []
          for (const other of members.values()) {
            if (other === member) continue
            for (const [peer, record] of other.hosts.get(site) ?? []) found.push({ instance: other.instance, peer, key: record.key, load: record.load, order: record.order })
          }
          return found.sort((a, b) => a.order - b.order).map(({ order: _, ...record }) => record)
        },
      },
      publish(channel, payload) {
        for (const other of members.values()) {
          const handler = other.channels.get(channel)
          if (handler) queueMicrotask(() => handler(payload))
        }
      },
      subscribe: (channel, handler) => void member.channels.set(channel, handler),
      unsubscribe: channel => void member.channels.delete(channel),
      onInstanceDown: handler => void member.down.push(handler),
      // Nobody takes an instance of this process for dead while it runs.
      onRejoin: () => undefined,
      serialise,
      close: async () => leave(member),
      destroy: () => leave(member),
    }
  }

  return { join }
}

/** The backplane of a process that is the only instance: the default without Redis. */
export function createSoloBackplane(): Backplane {
  return createMemoryBackplaneNetwork().join(newInstanceId(), false)
}

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryCluster, createRedisCluster, type TestCluster } from './instances'
import { startTestRedis, waitFor, type TestRedis } from '../../../helpers/redis-server'

let redis: TestRedis
beforeAll(async () => {
  redis = await startTestRedis()
})
afterAll(async () => {
  await redis?.stop()
})

describe.each(['redis', 'memory'] as const)('room signaling across instances (%s backplane)', (kind) => {
  let cluster: TestCluster
  afterEach(async () => {
    await cluster?.close()
  })

  it('passes a publish on A to the topic\'s subscribers on B, each instance counting its own receivers, and no further once they leave', async () => {
    cluster = kind === 'redis' ? createRedisCluster(redis.url) : createMemoryCluster()
    const a = await cluster.instance('a')
    const b = await cluster.instance('b')
    const publisher = a.rooms.subscriber('room-1')
    const [first, second] = [b.rooms.subscriber('room-1'), b.rooms.subscriber('room-1')]
    const elsewhere = b.rooms.subscriber('room-2')
    await Promise.all([a.settle(), b.settle()])

    publisher.say({ type: 'publish', topic: 'room-1', data: 'c2lnbmFs' })
    publisher.say({ type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'x' } })
    await waitFor('both publishes on B', () => first.received.length === 2 && second.received.length === 2)
    const sent = [{ type: 'publish', topic: 'room-1', data: 'c2lnbmFs' }, { type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'x' } }]
    expect(first.take()).toEqual(sent.map(message => ({ ...message, clients: 2 })))
    expect(second.take()).toEqual(sent.map(message => ({ ...message, clients: 2 })))
    expect(publisher.take()).toEqual(sent.map(message => ({ ...message, clients: 1 })))
    expect(elsewhere.take()).toEqual([])

    // A publish from B reaches A's subscriber once, not its own subscribers twice.
    first.say({ type: 'publish', topic: 'room-1', data: 'YmFjaw' })
    await waitFor('the publish on A', () => publisher.received.length === 3)
    expect(publisher.take()).toEqual([{ type: 'publish', topic: 'room-1', data: 'YmFjaw', clients: 1 }])
    expect(second.take()).toEqual([{ type: 'publish', topic: 'room-1', data: 'YmFjaw', clients: 2 }])

    first.say({ type: 'unsubscribe', topics: ['room-1'] })
    b.rooms.rooms.disconnect(second.id)
    await b.settle()
    first.take()
    publisher.say({ type: 'publish', topic: 'room-1', data: 'bGF0ZQ' })
    await waitFor('the late publish on A', () => publisher.received.length === 4)
    await new Promise(resolve => setTimeout(resolve, 100))
    expect([first.take(), second.take()]).toEqual([[], []])
  })
})

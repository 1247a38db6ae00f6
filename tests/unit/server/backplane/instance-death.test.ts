import Redis from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BACKPLANE_HEARTBEAT_MS, BACKPLANE_INSTANCE_TTL_MS } from '../../../../server/utils/backplane/timing'
import { createRedisCluster, type TestCluster } from './instances'
import { startTestRedis, waitFor, type TestRedis } from '../../../helpers/redis-server'

let redis: TestRedis
beforeAll(async () => {
  redis = await startTestRedis()
})
afterAll(async () => {
  await redis?.stop()
})

/** A host of `blog` on A and a visitor of it on B, in a session. */
async function sessionAcross(cluster: TestCluster) {
  const a = await cluster.instance('a')
  const b = await cluster.instance('b')
  const host = await a.signal.host('blog')
  const visitor = await b.signal.visit('blog')
  await waitFor('the host to hear of its visitor', () => host.received.some(message => message.type === 'visitor'))
  return { a, b, host, visitor }
}

describe('an instance that dies (redis backplane)', () => {
  let cluster: TestCluster
  afterEach(async () => {
    await cluster?.close()
  })

  it('without a goodbye: its hosts vanish from B within the TTL, and B\'s visitor gets session-closed within a heartbeat more', async () => {
    cluster = createRedisCluster(redis.url)
    const { a, b, visitor } = await sessionAcross(cluster)
    const killed = Date.now()
    // As a killed process: no more heartbeats, connections dropped, nothing said.
    a.backplane.destroy()
    expect(await b.signal.hub.siteStatus('blog')).toEqual({ taken: true, online: true })
    await waitFor('B to see blog offline', async () => !(await b.signal.hub.siteStatus('blog')).online, BACKPLANE_INSTANCE_TTL_MS + 1000)
    expect(Date.now() - killed).toBeLessThanOrEqual(BACKPLANE_INSTANCE_TTL_MS + 100)
    await waitFor('B\'s visitor to hear the session closed', () => visitor.received.some(message => message.type === 'session-closed'), BACKPLANE_HEARTBEAT_MS + 1000)
    expect(Date.now() - killed).toBeLessThanOrEqual(BACKPLANE_INSTANCE_TTL_MS + BACKPLANE_HEARTBEAT_MS + 200)
    expect(visitor.take()).toEqual([{ type: 'session-closed', session: visitor.session, reason: 'host-left' }])
    expect(b.signal.hub.stats().sessions).toBe(0)
    await visitor.say({ type: 'visit', site: 'blog' })
    expect(visitor.take()).toEqual([{ type: 'error', code: 'no-host', message: expect.any(String) }])
  }, 15_000)

  it('with a goodbye: B\'s visitor hears of it at B\'s next heartbeat, not after the TTL', async () => {
    cluster = createRedisCluster(redis.url)
    const { a, b, visitor } = await sessionAcross(cluster)
    const closed = Date.now()
    await a.close()
    expect(await b.signal.hub.siteStatus('blog')).toEqual({ taken: true, online: false })
    await waitFor('B\'s visitor to hear the session closed', () => visitor.received.some(message => message.type === 'session-closed'), BACKPLANE_HEARTBEAT_MS + 1000)
    expect(Date.now() - closed).toBeLessThan(BACKPLANE_INSTANCE_TTL_MS)
  }, 15_000)

  it('an instance taken for dead that comes back lists its hosts again, and ends its sessions with the others on both sides', async () => {
    cluster = createRedisCluster(redis.url)
    const { a, b, host, visitor } = await sessionAcross(cluster)
    const shop = await b.signal.host('shop')
    expect(await a.signal.hub.siteStatus('shop')).toEqual({ taken: true, online: true })
    // As if B's heartbeats had stalled past its TTL: its liveness key is gone.
    const raw = new Redis(redis.url)
    await raw.del(`${cluster.prefix}instance:b`)
    await raw.quit()
    await waitFor('the host on A to hear its visitor on B is gone', () => host.received.some(message => message.type === 'session-closed'), BACKPLANE_HEARTBEAT_MS + 1000)
    await waitFor('the visitor on B to hear its host is gone', () => visitor.received.some(message => message.type === 'session-closed'), BACKPLANE_HEARTBEAT_MS + 1000)
    expect(visitor.take()).toEqual([{ type: 'session-closed', session: visitor.session, reason: 'host-left' }])
    expect([a.signal.hub.stats().sessions, b.signal.hub.stats().sessions]).toEqual([0, 0])
    // B's next heartbeat found it was taken for dead and listed its host again.
    await waitFor('A to see shop online again', async () => (await a.signal.hub.siteStatus('shop')).online, 3 * BACKPLANE_HEARTBEAT_MS)
    const buyer = await a.signal.visit('shop')
    await waitFor('the host on B to hear of its new visitor', () => shop.received.some(message => message.type === 'visitor' && message.session === buyer.session))
  }, 15_000)
})

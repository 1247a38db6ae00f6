import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { randomJoinCode } from '../../../../server/utils/lesson/join-codes'
import { createTestAuthor } from '../utils/signaling/test-authors'
import { createMemoryCluster, createRedisCluster, type TestCluster } from './instances'
import { startTestRedis, type TestRedis } from '../../../helpers/redis-server'

let redis: TestRedis
beforeAll(async () => {
  redis = await startTestRedis()
})
afterAll(async () => {
  await redis?.stop()
})

/** A join code source that draws the same codes in the same order on every instance (so they collide), from a seeded list. */
function collidingCodes(count: number): () => () => string {
  let seed = 7
  const pick = (max: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed % max
  }
  const codes = Array.from({ length: count }, () => randomJoinCode(pick))
  return () => {
    let next = 0
    return () => codes[next++ % codes.length] ?? ''
  }
}

describe.each(['redis', 'memory'] as const)('the registry across instances (%s backplane)', (kind) => {
  let cluster: TestCluster
  afterEach(async () => {
    await cluster?.close()
  })

  it('lets exactly one of two instances claiming one free name at once have it, round after round', async () => {
    cluster = kind === 'redis' ? createRedisCluster(redis.url) : createMemoryCluster()
    const a = await cluster.instance('a')
    const b = await cluster.instance('b')
    const [alice, bob] = [await createTestAuthor(), await createTestAuthor()]
    for (let round = 0; round < 5; round++) {
      const claims = await Promise.all([a.registry.claim(`token-${round}`), b.registry.claim(`token-${round}`)])
      expect(claims.filter(claim => claim.ok)).toHaveLength(1)
      const keyed = await Promise.all([a.registry.claimWithKey(`keyed-${round}`, alice.key), b.registry.claimWithKey(`keyed-${round}`, bob.key)])
      expect(keyed.filter(claim => claim.ok)).toHaveLength(1)
      const owners = (await a.registry.authors(`keyed-${round}`)).map(author => author.key)
      expect(owners).toEqual([keyed[0]?.ok ? alice.key : bob.key])
    }
  })

  it('never gives one join code to two sites, though both instances draw the same codes in the same order', async () => {
    const source = collidingCodes(400)
    cluster = kind === 'redis' ? createRedisCluster(redis.url) : createMemoryCluster()
    const a = await cluster.instance('a', { codeSource: source() })
    const b = await cluster.instance('b', { codeSource: source() })
    const codes = new Map<string, string>()
    for (let round = 0; round < 4; round++) {
      const sites = Array.from({ length: 8 }, (_, index) => `r${round}-${index}`)
      const claims = await Promise.all(sites.flatMap(site => [a.registry.claim(`${site}-a`), b.registry.claim(`${site}-b`)]))
      for (const [index, claim] of claims.entries()) {
        if (!claim.ok) throw new Error(`claim ${index} of round ${round} was refused`)
        const site = `${sites[Math.floor(index / 2)]}-${index % 2 === 0 ? 'a' : 'b'}`
        expect(codes.get(claim.code), `${site} got the code of another site`).toBeUndefined()
        codes.set(claim.code, site)
      }
    }
    expect(codes.size).toBe(64)
    for (const [code, site] of codes) expect(await b.registry.siteOfCode(code)).toBe(site)
  })
})

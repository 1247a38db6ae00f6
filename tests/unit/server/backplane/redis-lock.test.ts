import Redis from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LockTimeoutError, createRedisLock } from '../../../../server/utils/backplane/redis-lock'
import { createRecordingLog } from '../utils/signaling/fake-peers'
import { startTestRedis, type TestRedis } from '../../../helpers/redis-server'

let redis: TestRedis
const clients: Redis[] = []
beforeAll(async () => {
  redis = await startTestRedis()
})
afterAll(async () => {
  await Promise.all(clients.map(client => client.quit()))
  await redis?.stop()
})

/** A client of its own: each lock is another process's. */
function client(): Redis {
  const made = new Redis(redis.url)
  clients.push(made)
  return made
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
let prefixes = 0
const prefix = () => `lock-test-${++prefixes}:`

describe('the registry lock over Redis', () => {
  it('runs tasks on one key one at a time across processes, and tasks on other keys beside them', async () => {
    const shared = prefix()
    const [one, two] = [createRedisLock(client(), { prefix: shared }), createRedisLock(client(), { prefix: shared })]
    const events: string[] = []
    const task = (name: string) => async () => {
      events.push(`${name} in`)
      await sleep(30)
      events.push(`${name} out`)
      return name
    }
    const results = await Promise.all([one('site', task('a')), two('site', task('b')), one('site', task('c')), two('other', task('x'))])
    expect(results).toEqual(['a', 'b', 'c', 'x'])
    const onSite = events.filter(event => !event.startsWith('x'))
    for (let i = 0; i < onSite.length; i += 2) expect(onSite[i]?.replace(' in', '')).toBe(onSite[i + 1]?.replace(' out', ''))
    // The other key's task ran while the first on `site` held its lock.
    expect(events.indexOf('x in')).toBeLessThan(events.indexOf('a out'))
  })

  it('gives up after the wait with a clear error, without running the task', async () => {
    const shared = prefix()
    const holder = createRedisLock(client(), { prefix: shared })
    const waiter = createRedisLock(client(), { prefix: shared, waitMs: 200 })
    let release = () => {}
    const held = holder('site', () => new Promise<void>((resolve) => {
      release = resolve
    }))
    await sleep(20)
    let ran = false
    const started = Date.now()
    const refused = await waiter('site', async () => {
      ran = true
    }).catch((error: unknown) => error)
    const waited = Date.now() - started
    expect(refused).toBeInstanceOf(LockTimeoutError)
    expect(String(refused)).toMatch(/the registry is busy: .*site stayed locked for \d+ ms, the longest an operation waits; nothing was changed, try again/)
    expect(ran).toBe(false)
    expect(waited).toBeGreaterThanOrEqual(200)
    expect(waited).toBeLessThan(200 + 150)
    release()
    await held
    // Free again: the next one takes it at once.
    expect(await waiter('site', async () => 'now')).toBe('now')
  })

  it('frees a key whose holder died after the TTL, and a late holder\'s release leaves the next holder\'s lock alone', async () => {
    const shared = prefix()
    const log = createRecordingLog()
    const slow = createRedisLock(client(), { prefix: shared, ttlMs: 100, log })
    const next = createRedisLock(client(), { prefix: shared, ttlMs: 5000, waitMs: 1000 })
    const third = createRedisLock(client(), { prefix: shared, waitMs: 100 })
    const events: string[] = []
    // The slow holder outlives its TTL (as one that died would never release at all).
    const late = slow('site', async () => {
      await sleep(250)
      events.push('slow done')
    })
    await sleep(20)
    const started = Date.now()
    let releaseNext = () => {}
    const taken = next('site', async () => {
      events.push('next in')
      await new Promise<void>((resolve) => {
        releaseNext = resolve
      })
    })
    await late
    expect(events).toEqual(['next in', 'slow done'])
    expect(Date.now() - started).toBeLessThan(250)
    expect(log.lines.map(line => line.message)).toEqual([expect.stringMatching(/expired after 100 ms while its task ran for \d+ ms/)])
    // The slow holder's release did not delete the next holder's lock: a third still waits and gives up.
    await expect(third('site', async () => undefined)).rejects.toBeInstanceOf(LockTimeoutError)
    releaseNext()
    await taken
  })

  it('releases the lock when the task fails, and hands the caller the task\'s error', async () => {
    const shared = prefix()
    const lock = createRedisLock(client(), { prefix: shared, waitMs: 50 })
    await expect(lock('site', async () => {
      throw new Error('the task failed')
    })).rejects.toThrow('the task failed')
    expect(await lock('site', async () => 'after')).toBe('after')
  })
})

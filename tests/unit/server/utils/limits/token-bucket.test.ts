import { describe, expect, it } from 'vitest'
import { parseServerLimits } from '../../../../../server/utils/limits/config'
import { DailyQuota } from '../../../../../server/utils/limits/daily-quota'
import { DEFAULT_SERVER_LIMITS, JOIN_LOOKUP_BURST, JOIN_LOOKUPS_PER_SECOND, NAME_LOOKUP_BURST } from '../../../../../server/utils/limits/defaults'
import { createLookupGates } from '../../../../../server/utils/limits/lookups'
import { KeyedBuckets, KeyedCounter, TokenBucket } from '../../../../../server/utils/limits/token-bucket'
import { createRecordingLog } from '../signaling/fake-peers'

describe('token buckets', () => {
  it('gives its burst at once, refuses one more, and refills at its rate', () => {
    const bucket = new TokenBucket(10, 100, 0)
    for (let i = 0; i < 100; i++) expect(bucket.take(0)).toBe(true)
    expect(bucket.take(0)).toBe(false)
    expect(bucket.take(99)).toBe(false)
    expect(bucket.take(100)).toBe(true)
    expect(bucket.take(100_000, 101)).toBe(false)
    expect(bucket.take(100_000, 100)).toBe(true)
  })

  it('says how long until a take can succeed: none now, the refill time after, never over the burst', () => {
    const bucket = new TokenBucket(10, 100, 0)
    expect(bucket.msUntil(0, 100)).toBe(0)
    expect(bucket.take(0, 100)).toBe(true)
    expect(bucket.msUntil(0, 5)).toBe(500)
    expect(bucket.take(499, 5)).toBe(false)
    expect(bucket.take(500, 5)).toBe(true)
    expect(bucket.msUntil(500, 101)).toBe(Number.POSITIVE_INFINITY)
  })

  it('keeps a bucket per key, and forgets the full ones', () => {
    const buckets = new KeyedBuckets(1, 2)
    expect([buckets.take('a', 0), buckets.take('a', 0), buckets.take('a', 0), buckets.take('b', 0)]).toEqual([true, true, false, true])
    for (let i = 0; i < 1000; i++) buckets.take('c', 10_000)
    expect(buckets.size).toBe(1)
  })

  it('counts up to its cap per key', () => {
    const counter = new KeyedCounter(2)
    expect([counter.add('a'), counter.add('a'), counter.add('a'), counter.add('b')]).toEqual([true, true, false, true])
    counter.remove('a')
    expect(counter.add('a')).toBe(true)
  })

  it('gives a daily quota per key, all of it and not a byte more, and a new one each UTC day', () => {
    const quota = new DailyQuota(100)
    const day = Date.UTC(2030, 0, 1)
    expect(quota.take('blog', 100, day)).toBe(true)
    expect(quota.take('blog', 1, day + 24 * 3600_000 - 1)).toBe(false)
    expect(quota.take('shop', 1, day)).toBe(true)
    expect(quota.take('blog', 100, day + 24 * 3600_000)).toBe(true)
  })
})

describe('limits from runtime config', () => {
  it('takes positive numbers (env gives strings), keeps the default for anything else and logs it', () => {
    const log = createRecordingLog()
    const limits = parseServerLimits({ maxVisitsPerSocket: '32', relayBytesPerSecond: 0, siteExpiryDays: 'soon', unknownSetting: 5 }, log)
    expect(limits).toEqual({ ...DEFAULT_SERVER_LIMITS, maxVisitsPerSocket: 32 })
    expect(log.lines.filter(line => line.level === 'error').map(line => line.message)).toEqual([
      expect.stringContaining('limits.relayBytesPerSecond'),
      expect.stringContaining('limits.siteExpiryDays'),
    ])
    expect(parseServerLimits(undefined, log)).toEqual(DEFAULT_SERVER_LIMITS)
  })
})

describe('HTTP lookups per client address', () => {
  it(`lets ${JOIN_LOOKUP_BURST} join code lookups through at once, refuses the next with a Retry-After, and counts addresses apart`, () => {
    const gate = createLookupGates(DEFAULT_SERVER_LIMITS)
    for (let i = 0; i < JOIN_LOOKUP_BURST; i++) expect(gate('join', '203.0.113.7', 0)).toEqual({ ok: true })
    expect(gate('join', '203.0.113.7', 0)).toEqual({ ok: false, retryAfterSeconds: Math.ceil(1 / JOIN_LOOKUPS_PER_SECOND), message: expect.stringContaining('join code lookups') })
    expect(gate('join', '198.51.100.1', 0)).toEqual({ ok: true })
    expect(gate('join', '203.0.113.7', 1000 / JOIN_LOOKUPS_PER_SECOND)).toEqual({ ok: true })
  })

  it(`lets ${NAME_LOOKUP_BURST} name lookups through at once, apart from join lookups`, () => {
    const gate = createLookupGates(DEFAULT_SERVER_LIMITS)
    for (let i = 0; i < JOIN_LOOKUP_BURST; i++) gate('join', 'a', 0)
    for (let i = 0; i < NAME_LOOKUP_BURST; i++) expect(gate('names', 'a', 0).ok).toBe(true)
    expect(gate('names', 'a', 0).ok).toBe(false)
  })
})

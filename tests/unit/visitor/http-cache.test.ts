import { describe, expect, it } from 'vitest'
import { MAX_CACHED_RESPONSES, MAX_CACHED_RESPONSE_BYTES, StoredUrls, cacheControl, isFresh, isStorable, revalidation, usesCache } from '../../../visitor/http-cache'

const ETAG: [string, string] = ['etag', '"abc"']
const length = (n: number): [string, string] => ['content-length', String(n)]

describe('the visitor\'s HTTP cache', () => {
  it('reads Cache-Control directives, case and quotes aside', () => {
    expect([...cacheControl('No-Cache, max-age="60", private')]).toEqual([['no-cache', true], ['max-age', '60'], ['private', true]])
    expect(cacheControl(undefined).size).toBe(0)
  })

  it.each([
    ['GET', 'default', [], true],
    ['GET', 'no-cache', [], true],
    ['POST', 'default', [], false],
    ['GET', 'no-store', [], false],
    ['GET', 'reload', [], false],
    ['GET', 'default', [['range', 'bytes=0-9']], false],
    ['GET', 'default', [['If-None-Match', '"x"']], false],
    ['GET', 'default', [['if-modified-since', 'Tue, 01 Dec 2026 00:00:00 GMT']], false],
  ] as Array<[string, RequestCache, Array<[string, string]>, boolean]>)('a %s with cache mode %s and %j uses the cache: %s', (method, mode, headers, expected) => {
    expect(usesCache(method, mode, headers)).toBe(expected)
  })

  it.each([
    ['a 200 with an ETag and a length', 200, [ETAG, length(10), ['cache-control', 'no-cache']], true],
    ['one with Last-Modified only', 200, [['last-modified', 'Tue, 01 Dec 2026 00:00:00 GMT'], length(10)], true],
    [`exactly MAX_CACHED_RESPONSE_BYTES (${MAX_CACHED_RESPONSE_BYTES})`, 200, [ETAG, length(MAX_CACHED_RESPONSE_BYTES)], true],
    ['one byte more', 200, [ETAG, length(MAX_CACHED_RESPONSE_BYTES + 1)], false],
    ['no validator (a handler\'s page)', 200, [length(10)], false],
    ['no length (a stream: SSE)', 200, [ETAG], false],
    ['no-store', 200, [ETAG, length(10), ['cache-control', 'no-store']], false],
    ['Vary: *', 200, [ETAG, length(10), ['vary', '*']], false],
    ['a 206', 206, [ETAG, length(10)], false],
    ['a 404', 404, [ETAG, length(10)], false],
  ] as Array<[string, number, Array<[string, string]>, boolean]>)('keeps %s: %s', (_, status, headers, expected) => {
    expect(isStorable(status, headers)).toBe(expected)
  })

  it('revalidates with the stored validators', () => {
    expect(revalidation([ETAG, ['last-modified', 'Tue, 01 Dec 2026 00:00:00 GMT'], length(3)])).toEqual([['if-none-match', '"abc"'], ['if-modified-since', 'Tue, 01 Dec 2026 00:00:00 GMT']])
    expect(revalidation([length(3)])).toEqual([])
  })

  it('is fresh only within max-age, and never with no-cache', () => {
    const at = Date.UTC(2026, 11, 1)
    expect(isFresh([['cache-control', 'max-age=60']], at, at + 59_999)).toBe(true)
    expect(isFresh([['cache-control', 'max-age=60']], at, at + 60_000)).toBe(false)
    expect(isFresh([['cache-control', 'no-cache, max-age=60']], at, at + 1)).toBe(false)
    expect(isFresh([ETAG], at, at + 1)).toBe(false)
  })
})

describe('the service worker\'s index of stored URLs', () => {
  it('reads the cache\'s keys once, and answers for URLs it does not hold without a look-up', async () => {
    let reads = 0
    const index = new StoredUrls(async () => {
      reads++
      return ['https://s/a', 'https://s/b']
    })
    expect(await index.has('https://s/a')).toBe(true)
    expect(await index.has('https://s/notes')).toBe(false)
    await index.stored('https://s/c')
    expect(await index.has('https://s/c')).toBe(true)
    await index.forget('https://s/a')
    expect(await index.has('https://s/a')).toBe(false)
    expect(reads).toBe(1)
  })

  it(`keeps MAX_CACHED_RESPONSES (${MAX_CACHED_RESPONSES}) and lets the oldest go past it; storing one again makes it the newest`, async () => {
    const urls = Array.from({ length: MAX_CACHED_RESPONSES - 1 }, (_, i) => `https://s/${i}`)
    const index = new StoredUrls(async () => urls)
    expect(await index.stored('https://s/full')).toEqual([])
    await index.stored('https://s/0')
    expect(await index.stored('https://s/one-more')).toEqual(['https://s/1'])
    expect(await index.has('https://s/0')).toBe(true)
    expect(await index.has('https://s/1')).toBe(false)
  })

  it('reads the keys again after a failed read', async () => {
    let calls = 0
    const index = new StoredUrls(async () => {
      if (++calls === 1) throw new Error('storage unavailable')
      return ['https://s/a']
    })
    await expect(index.has('https://s/a')).rejects.toThrow('storage unavailable')
    expect(await index.has('https://s/a')).toBe(true)
  })
})

import { randomBytes } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { MemoryFileStore } from '../../../../lib/vserver/memory-files'
import { errorPage, notFound, serveStatic } from '../../../../lib/vserver/static'
import type { HeaderList, VRequest, VResponse } from '../../../../lib/vserver/types'

const MTIME = Date.UTC(2024, 0, 2, 3, 4, 5, 678)
const LAST_MODIFIED = 'Tue, 02 Jan 2024 03:04:05 GMT'
const req = (url: string, headers: HeaderList = [], method = 'GET'): VRequest => ({ method, url, headers, body: null })
const get = (response: VResponse | null, name: string) => response?.headers.find(([key]) => key === name)?.[1]
const bytes = (response: VResponse | null) => (response?.body instanceof Uint8Array ? response.body : null)
const text = (response: VResponse | null) => {
  const body = bytes(response)
  return body ? new TextDecoder().decode(body) : null
}

let store: MemoryFileStore
beforeEach(async () => {
  store = new MemoryFileStore({ now: () => MTIME })
  await store.write('public/index.html', '<h1>Home</h1>')
  await store.write('public/css/site.css', 'h1{}')
  await store.write('public/docs/index.html', '<h1>Docs</h1>')
  await store.write('public/a b.txt', 'spaced')
  await store.write('public/é.txt', 'accent')
  await store.write('public/digits.txt', '0123456789')
  await store.write('public/evil.com/index.html', 'not a redirect target')
  await store.write('routes/secret.js', 'export default 1')
})

describe('serveStatic', () => {
  it.each([
    ['/', '<h1>Home</h1>', 'text/html; charset=utf-8'],
    ['/index.html', '<h1>Home</h1>', 'text/html; charset=utf-8'],
    ['/css/site.css?v=2', 'h1{}', 'text/css; charset=utf-8'],
    ['/docs/', '<h1>Docs</h1>', 'text/html; charset=utf-8'],
    ['/docs/?tab=1', '<h1>Docs</h1>', 'text/html; charset=utf-8'],
    ['/a%20b.txt', 'spaced', 'text/plain; charset=utf-8'],
    ['/%C3%A9.txt', 'accent', 'text/plain; charset=utf-8'],
  ])('GET %s', async (url, body, type) => {
    const response = await serveStatic(store, req(url))
    expect(response?.status).toBe(200)
    expect(text(response)).toBe(body)
    expect(get(response, 'content-type')).toBe(type)
    expect(get(response, 'content-length')).toBe(String(new TextEncoder().encode(body).byteLength))
    expect(get(response, 'etag')).toMatch(/^".+"$/)
    expect(get(response, 'last-modified')).toBe(LAST_MODIFIED)
    expect(get(response, 'cache-control')).toBe('no-cache')
    expect(get(response, 'accept-ranges')).toBe('bytes')
  })

  it.each([
    ['/docs?x=1&y=2', '/docs/?x=1&y=2'],
    ['/docs', '/docs/'],
    ['/d%6Fcs', '/d%6Fcs/'],
  ])('redirects the directory %s to %s (301, as nginx)', async (url, location) => {
    const response = await serveStatic(store, req(url))
    expect(response?.status).toBe(301)
    expect(get(response, 'location')).toBe(location)
    expect(text(response)).toContain(`href="${location.replace('&', '&#38;')}"`)
  })

  it('answers HEAD of the redirect with no body', async () => {
    const response = await serveStatic(store, req('/docs', [], 'HEAD'))
    expect(response?.status).toBe(301)
    expect(response?.body).toBeNull()
  })

  it('answers HEAD with the GET headers and no body', async () => {
    const head = await serveStatic(store, req('/digits.txt', [], 'HEAD'))
    const full = await serveStatic(store, req('/digits.txt'))
    expect(head?.status).toBe(200)
    expect(head?.body).toBeNull()
    expect(head?.headers).toEqual(full?.headers)
  })

  it.each<[string, HeaderList, number]>([
    ['matching If-None-Match', [['if-none-match', 'ETAG']], 304],
    ['a weak form of it', [['if-none-match', 'W/ETAG']], 304],
    ['it in a list', [['if-none-match', '"other", ETAG']], 304],
    ['*', [['if-none-match', '*']], 304],
    ['another etag', [['if-none-match', '"other"']], 200],
    ['If-Modified-Since the same second', [['if-modified-since', LAST_MODIFIED]], 304],
    ['If-Modified-Since later', [['if-modified-since', 'Wed, 03 Jan 2024 00:00:00 GMT']], 304],
    ['If-Modified-Since earlier', [['if-modified-since', 'Tue, 02 Jan 2024 03:04:04 GMT']], 200],
    ['an unparsable If-Modified-Since', [['if-modified-since', 'yesterday']], 200],
    ['If-None-Match, which wins over a matching date', [['if-none-match', '"other"'], ['if-modified-since', LAST_MODIFIED]], 200],
  ])('revalidates with %s → %i', async (_, conditions, status) => {
    const etag = get(await serveStatic(store, req('/css/site.css')), 'etag') ?? 'none'
    const headers: HeaderList = conditions.map(([name, value]) => [name, value.replace('ETAG', etag)])
    for (const method of ['GET', 'HEAD']) {
      const response = await serveStatic(store, req('/css/site.css', headers, method))
      expect(response?.status).toBe(status)
      if (status === 304) expect(response?.body).toBeNull()
    }
  })

  it('sends a changed file in full despite the old etag', async () => {
    const etag = get(await serveStatic(store, req('/css/site.css')), 'etag') ?? 'none'
    await store.write('public/css/site.css', 'h1{color:red}')
    const changed = await serveStatic(store, req('/css/site.css', [['if-none-match', etag]]))
    expect(changed?.status).toBe(200)
    expect(get(changed, 'etag')).not.toBe(etag)
  })

  it.each([
    ['bytes=0-3', 206, '0123', 'bytes 0-3/10', '4'],
    ['bytes=5-', 206, '56789', 'bytes 5-9/10', '5'],
    ['bytes=-2', 206, '89', 'bytes 8-9/10', '2'],
    ['bytes=-20', 206, '0123456789', 'bytes 0-9/10', '10'],
    ['bytes=8-100', 206, '89', 'bytes 8-9/10', '2'],
    ['bytes=9-9', 206, '9', 'bytes 9-9/10', '1'],
    ['bytes=10-', 416, null, 'bytes */10', '0'],
    ['bytes=5-2', 416, null, 'bytes */10', '0'],
    ['bytes=-0', 416, null, 'bytes */10', '0'],
    ['bytes=0-1,4-5', 200, '0123456789', undefined, '10'],
    ['bytes=-', 200, '0123456789', undefined, '10'],
    ['items=0-1', 200, '0123456789', undefined, '10'],
  ])('Range %s → %i', async (range, status, body, contentRange, length) => {
    const response = await serveStatic(store, req('/digits.txt', [['range', range]]))
    expect(response?.status).toBe(status)
    expect(text(response)).toBe(body)
    expect(get(response, 'content-range')).toBe(contentRange)
    expect(get(response, 'content-length')).toBe(length)
  })

  it.each<[string, string, number]>([
    ['the current etag', 'ETAG', 206], ['another etag', '"other"', 200], ['a weak etag', 'W/ETAG', 200],
    ['the exact date', LAST_MODIFIED, 206], ['another date', 'Wed, 03 Jan 2024 00:00:00 GMT', 200],
  ])('honours Range only while If-Range holds: %s → %i', async (_, condition, status) => {
    const etag = get(await serveStatic(store, req('/digits.txt')), 'etag') ?? 'none'
    const response = await serveStatic(store, req('/digits.txt', [['range', 'bytes=0-0'], ['if-range', condition.replace('ETAG', etag)]]))
    expect(response?.status).toBe(status)
  })

  it('ignores Range on HEAD and on an empty file', async () => {
    expect((await serveStatic(store, req('/digits.txt', [['range', 'bytes=0-3']], 'HEAD')))?.status).toBe(200)
    await store.write('public/empty.txt', '')
    const empty = await serveStatic(store, req('/empty.txt', [['range', 'bytes=0-']]))
    expect([empty?.status, get(empty, 'content-length')]).toEqual([200, '0'])
  })

  it.each([
    '/missing.html', '/docs/missing/', '/index.html/', '/../routes/secret.js', '/%2e%2e/routes/secret.js', '/docs/%2E%2E/%2e%2e/routes/secret.js',
    '/css%2fsite.css', '/css%2Fsite.css', '/css%5csite.css', '/a%00b', '/a\0b', '/%E0%A4%A', '/docs//index.html', '//evil.com',
    '/%2Fevil.com', '/\\evil.com', 'index.html', '',
  ])('%j is not a file (null)', async (url) => {
    expect(await serveStatic(store, req(url))).toBeNull()
  })

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('%s is not for static files (null)', async (method) => {
    expect(await serveStatic(store, req('/index.html', [], method))).toBeNull()
  })

  it('serves 1 MiB of random bytes intact, whole and by range', async () => {
    const data = new Uint8Array(randomBytes(1024 * 1024))
    await store.write('public/blob.bin', data)
    const whole = await serveStatic(store, req('/blob.bin'))
    expect(bytes(whole)).toEqual(data)
    expect(get(whole, 'content-type')).toBe('application/octet-stream')
    expect(get(whole, 'content-length')).toBe(String(data.byteLength))
    expect(bytes(await serveStatic(store, req('/blob.bin', [['range', 'bytes=1000-1999']])))).toEqual(data.subarray(1000, 2000))
    expect(bytes(await serveStatic(store, req('/blob.bin', [['range', 'bytes=-4096']])))).toEqual(data.subarray(-4096))
  })
})

describe('notFound', () => {
  it('uses a built-in page that escapes the path', async () => {
    const response = await notFound(store, req('/%3Cscript%3Ealert(1)%3C/script%3E?q="x"'))
    expect(response.status).toBe(404)
    expect(get(response, 'content-type')).toBe('text/html; charset=utf-8')
    expect(text(response)).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
    expect(text(response)).not.toContain('<script>')
  })

  it('uses the site’s own 404.html when there is one, without a body for HEAD', async () => {
    await store.write('public/404.html', 'custom missing page')
    const response = await notFound(store, req('/nope'))
    expect([response.status, text(response), get(response, 'content-length')]).toEqual([404, 'custom missing page', '19'])
    expect((await notFound(store, req('/nope', [], 'HEAD'))).body).toBeNull()
  })
})

describe('errorPage', () => {
  it('is a plain HTML page with the message escaped', () => {
    const response = errorPage(500, 'Internal <b>Error</b> & "more"')
    expect(response.status).toBe(500)
    expect(text(response)).toContain('<h1>500 Internal &#60;b&#62;Error&#60;/b&#62; &#38; &#34;more&#34;</h1>')
  })
})

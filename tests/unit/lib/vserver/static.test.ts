import { randomBytes } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { MemoryFileStore } from '../../../../lib/vserver/memory-files'
import { contentType } from '../../../../lib/vserver/mime'
import { notFound, serveStatic } from '../../../../lib/vserver/static'
import type { HeaderList, VRequest, VResponse } from '../../../../lib/vserver/types'

const req = (url: string, headers: HeaderList = [], method = 'GET'): VRequest => ({ method, url, headers, body: null })
const get = (response: VResponse | null, name: string) => response?.headers.find(([key]) => key === name)?.[1]
const text = (response: VResponse | null) => (response?.body instanceof Uint8Array ? new TextDecoder().decode(response.body) : null)

let store: MemoryFileStore
beforeEach(async () => {
  store = new MemoryFileStore()
  await store.write('public/index.html', '<h1>Home</h1>')
  await store.write('public/css/site.css', 'h1{}')
  await store.write('public/docs/index.html', '<h1>Docs</h1>')
  await store.write('public/a b.txt', 'spaced')
  await store.write('public/digits.txt', '0123456789')
  await store.write('routes/secret.js', 'export default 1')
})

describe('contentType', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'], ['a/site.CSS', 'text/css; charset=utf-8'], ['app.mjs', 'text/javascript; charset=utf-8'],
    ['data.json', 'application/json; charset=utf-8'], ['cat.png', 'image/png'], ['logo.svg', 'image/svg+xml; charset=utf-8'],
    ['photo.JPEG', 'image/jpeg'], ['font.woff2', 'font/woff2'], ['clip.mp4', 'video/mp4'], ['mod.wasm', 'application/wasm'],
    ['post.mustache', 'text/plain; charset=utf-8'], ['noext', 'application/octet-stream'], ['.hidden', 'application/octet-stream'],
  ])('%s is %s', (path, type) => expect(contentType(path)).toBe(type))
})

describe('serveStatic', () => {
  it.each([
    ['/', '<h1>Home</h1>', 'text/html; charset=utf-8'],
    ['/index.html', '<h1>Home</h1>', 'text/html; charset=utf-8'],
    ['/css/site.css?v=2', 'h1{}', 'text/css; charset=utf-8'],
    ['/docs/', '<h1>Docs</h1>', 'text/html; charset=utf-8'],
    ['/a%20b.txt', 'spaced', 'text/plain; charset=utf-8'],
  ])('GET %s', async (url, body, type) => {
    const response = await serveStatic(store, req(url))
    expect(response?.status).toBe(200)
    expect(text(response)).toBe(body)
    expect(get(response, 'content-type')).toBe(type)
    expect(get(response, 'content-length')).toBe(String(new TextEncoder().encode(body).byteLength))
  })

  it('redirects a directory without its slash, keeping the query', async () => {
    const response = await serveStatic(store, req('/docs?x=1'))
    expect(response?.status).toBe(301)
    expect(get(response, 'location')).toBe('/docs/?x=1')
  })

  it('answers If-None-Match with 304 and a changed file with 200', async () => {
    const first = await serveStatic(store, req('/css/site.css'))
    const etag = get(first, 'etag')!
    expect((await serveStatic(store, req('/css/site.css', [['if-none-match', etag]])))?.status).toBe(304)
    await store.write('public/css/site.css', 'h1{color:red}')
    const changed = await serveStatic(store, req('/css/site.css', [['if-none-match', etag]]))
    expect(changed?.status).toBe(200)
    expect(get(changed, 'etag')).not.toBe(etag)
  })

  it('answers HEAD with the headers and no body', async () => {
    const response = await serveStatic(store, req('/digits.txt', [], 'HEAD'))
    expect(response?.status).toBe(200)
    expect(response?.body).toBeNull()
    expect(get(response, 'content-length')).toBe('10')
  })

  it.each([
    ['bytes=0-3', 206, '0123', 'bytes 0-3/10'],
    ['bytes=5-', 206, '56789', 'bytes 5-9/10'],
    ['bytes=-2', 206, '89', 'bytes 8-9/10'],
    ['bytes=8-100', 206, '89', 'bytes 8-9/10'],
    ['bytes=10-', 416, null, 'bytes */10'],
    ['bytes=5-2', 416, null, 'bytes */10'],
    ['bytes=0-1,4-5', 200, '0123456789', undefined],
    ['items=0-1', 200, '0123456789', undefined],
  ])('Range %s → %i', async (range, status, body, contentRange) => {
    const response = await serveStatic(store, req('/digits.txt', [['range', range]]))
    expect(response?.status).toBe(status)
    expect(text(response)).toBe(body)
    expect(get(response, 'content-range')).toBe(contentRange)
  })

  it.each(['/missing.html', '/../routes/secret.js', '/%2e%2e/routes/secret.js', '/css%2fsite.css', '/a%00b', '/%E0%A4%A', '/docs//index.html'])('%s is not a file (null)', async (url) => {
    expect(await serveStatic(store, req(url))).toBeNull()
  })

  it.each(['POST', 'PUT', 'DELETE'])('%s is not for static files (null)', async (method) => {
    expect(await serveStatic(store, req('/index.html', [], method))).toBeNull()
  })

  it('serves a binary file intact', async () => {
    const data = randomBytes(1024 * 1024)
    await store.write('public/blob.bin', data)
    const response = await serveStatic(store, req('/blob.bin'))
    expect(Buffer.from(response?.body as Uint8Array).equals(data)).toBe(true)
    expect(get(response, 'content-type')).toBe('application/octet-stream')
  })
})

describe('notFound', () => {
  it('uses a built-in page that escapes the path', async () => {
    const response = await notFound(store, req('/<script>alert(1)</script>'))
    expect(response.status).toBe(404)
    expect(text(response)).toContain('&#60;script&#62;')
    expect(text(response)).not.toContain('<script>')
  })

  it('uses the site’s own 404.html when there is one', async () => {
    await store.write('public/404.html', 'custom missing page')
    expect(text(await notFound(store, req('/nope')))).toBe('custom missing page')
  })
})

describe('MemoryFileStore', () => {
  it.each(['../x', 'a/../b', 'a//b', 'a\\b', '', 'a/./b', 'nul\0'])('refuses the path %j', async (path) => {
    await expect(store.write(path, 'x')).rejects.toThrow(/file path/)
  })

  it('lists by prefix, sorted, and deletes', async () => {
    expect((await store.list('public/d')).map(e => e.path)).toEqual(['public/digits.txt', 'public/docs/index.html'])
    expect(await store.delete('public/digits.txt')).toBe(true)
    expect(await store.delete('public/digits.txt')).toBe(false)
    expect(await store.stat('public/digits.txt')).toBeNull()
  })
})

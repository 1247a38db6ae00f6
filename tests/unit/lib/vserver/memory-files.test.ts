import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { contentEtag, fnv1a64, MemoryFileStore } from '../../../../lib/vserver/memory-files'
import { VServerError } from '../../../../lib/vserver/types'

const utf8 = (text: string) => new TextEncoder().encode(text)

describe('fnv1a64', () => {
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('of %j is %s (published FNV-1a 64 vectors)', (text, hash) => {
    expect(fnv1a64(utf8(text))).toBe(hash)
  })
})

describe('MemoryFileStore', () => {
  it('views a file without a copy; a later write leaves an earlier view as it was', async () => {
    const store = new MemoryFileStore()
    await store.write('public/a.bin', new Uint8Array([1, 2, 3]))
    const first = await store.view('public/a.bin')
    expect(await store.view('public/a.bin')).toBe(first)
    await store.write('public/a.bin', new Uint8Array([4]))
    expect(await store.view('public/a.bin')).toEqual(new Uint8Array([4]))
    expect(first).toEqual(new Uint8Array([1, 2, 3]))
    expect(await store.view('public/none.bin')).toBeNull()
  })

  it('stamps size, a quoted content etag and mtime from its clock', async () => {
    const store = new MemoryFileStore({ now: () => 1_700_000_000_123 })
    const entry = await store.write('public/a.txt', 'foobar')
    expect(entry).toEqual({ path: 'public/a.txt', size: 6, etag: '"6-85944171f73967e8"', mtime: 1_700_000_000_123 })
    expect(await store.stat('public/a.txt')).toEqual(entry)
  })

  it('derives the etag from content only: same bytes same etag, any change a new one', async () => {
    const store = new MemoryFileStore()
    const text = await store.write('a.txt', 'hello')
    const bytes = await store.write('b.txt', utf8('hello'))
    const changed = await store.write('a.txt', 'hellp')
    expect(bytes.etag).toBe(text.etag)
    expect(changed.etag).not.toBe(text.etag)
    expect(contentEtag(utf8('hello'))).toBe(text.etag)
    expect(text.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]{16}"$/)
  })

  it.each(['../x', 'a/../b', 'a/..', 'a//b', 'a/', 'a\\b', '', 'a/./b', './a', 'nul\0', '/abs', '//abs'])(
    'refuses the path %j with a 400 from write, stat, read and delete',
    async (path) => {
      const store = new MemoryFileStore()
      for (const attempt of [store.write(path, 'x'), store.stat(path), store.read(path), store.delete(path)]) {
        const error: unknown = await attempt.then(() => null, (reason: unknown) => reason)
        expect(error).toBeInstanceOf(VServerError)
        expect(error).toMatchObject({ status: 400, message: expect.stringMatching(/file path/) })
      }
    },
  )

  it('keeps its bytes to itself: neither the written nor the read buffer aliases the stored one', async () => {
    const store = new MemoryFileStore()
    const input = utf8('abc')
    await store.write('f.bin', input)
    input[0] = 0x7A
    const first = await store.read('f.bin')
    first?.fill(0)
    expect(await store.read('f.bin')).toEqual(utf8('abc'))
  })

  it('stores 1 MiB of random bytes intact', async () => {
    const store = new MemoryFileStore()
    const data = new Uint8Array(randomBytes(1024 * 1024))
    const entry = await store.write('public/blob.bin', data)
    expect(entry.size).toBe(data.byteLength)
    expect(await store.read('public/blob.bin')).toEqual(data)
  })

  it('lists by prefix, sorted by path, and deletes', async () => {
    const store = new MemoryFileStore()
    for (const path of ['public/docs/index.html', 'routes/x.js', 'public/digits.txt', 'public/b.css']) await store.write(path, path)
    expect((await store.list('public/d')).map(entry => entry.path)).toEqual(['public/digits.txt', 'public/docs/index.html'])
    expect((await store.list()).map(entry => entry.path)).toEqual(['public/b.css', 'public/digits.txt', 'public/docs/index.html', 'routes/x.js'])
    expect(await store.delete('public/digits.txt')).toBe(true)
    expect(await store.delete('public/digits.txt')).toBe(false)
    expect(await store.stat('public/digits.txt')).toBeNull()
    expect(await store.read('public/digits.txt')).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { loadTemplate } from '../../../../lib/host/template'
import { MemoryFileStore } from '../../../../lib/vserver/memory-files'

const reply = (status: number, body: unknown) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch

describe('loadTemplate', () => {
  it('writes text and base64 files into the store', async () => {
    const store = new MemoryFileStore()
    const count = await loadTemplate('tiny', store, reply(200, {
      id: 'tiny',
      title: 'Tiny',
      files: [
        { path: 'public/index.html', encoding: 'utf8', content: '<h1>Hi</h1>' },
        { path: 'public/dot.bin', encoding: 'base64', content: btoa(String.fromCharCode(0, 255, 7)) },
      ],
    }))
    expect(count).toBe(2)
    expect(new TextDecoder().decode((await store.read('public/index.html'))!)).toBe('<h1>Hi</h1>')
    expect([...(await store.read('public/dot.bin'))!]).toEqual([0, 255, 7])
  })

  it.each([
    [404, { statusMessage: 'There is no template "nope"' }, /could not be loaded \(HTTP 404\)/],
    [200, { id: 'x', title: 'X', files: [{ path: 'a', encoding: 'gzip', content: '' }] }, /malformed/],
    [200, { id: 'x' }, /malformed/],
  ])('refuses HTTP %i with %j clearly, writing nothing', async (status, body, message) => {
    const store = new MemoryFileStore()
    await expect(loadTemplate('nope', store, reply(status, body))).rejects.toThrow(message)
    expect(await store.list()).toEqual([])
  })
})

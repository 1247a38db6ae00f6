import { describe, expect, it } from 'vitest'
import { tunnelHandler } from '../../../../lib/host/serve-tunnel'
import type { VResponse } from '../../../../lib/vserver/types'

const emptyBody = () => new ReadableStream<Uint8Array>({ start: controller => controller.close() })

/** The head the tunnel sends for `response` to a GET. */
async function headFor(response: VResponse) {
  const handler = tunnelHandler(async () => response, 'visitor-1', () => {})
  const { head } = await handler({ head: { method: 'GET', url: '/page', headers: [] }, body: emptyBody(), signal: new AbortController().signal })
  return head
}

describe('the response head the host sends', () => {
  it('gives a whole body its Content-Length, as a real server does', async () => {
    const head = await headFor({ status: 200, headers: [['content-type', 'text/html']], body: new TextEncoder().encode('<p>héllo</p>') })
    expect(head.headers).toEqual([['content-type', 'text/html'], ['content-length', '13']])
  })

  it('gives an empty whole body a Content-Length of 0', async () => {
    expect((await headFor({ status: 200, headers: [], body: new Uint8Array(0) })).headers).toEqual([['content-length', '0']])
  })

  it('keeps the handler\'s own Content-Length or Transfer-Encoding', async () => {
    expect((await headFor({ status: 200, headers: [['Content-Length', '3']], body: new Uint8Array(3) })).headers).toEqual([['Content-Length', '3']])
    expect((await headFor({ status: 200, headers: [['transfer-encoding', 'chunked']], body: new Uint8Array(3) })).headers).toEqual([['transfer-encoding', 'chunked']])
  })

  it('adds none to a streamed body, no body, or a status without content', async () => {
    expect((await headFor({ status: 200, headers: [], body: emptyBody() })).headers).toEqual([])
    expect((await headFor({ status: 200, headers: [], body: null })).headers).toEqual([])
    expect((await headFor({ status: 204, headers: [], body: new Uint8Array(0) })).headers).toEqual([])
    expect((await headFor({ status: 304, headers: [['etag', '"a"']], body: new Uint8Array(0) })).headers).toEqual([['etag', '"a"']])
  })
})

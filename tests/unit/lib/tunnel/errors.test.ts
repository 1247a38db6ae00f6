import { describe, expect, it, vi } from 'vitest'
import { ResetCode } from '../../../../shared/protocol/frames'
import { TunnelError } from '../../../../lib/tunnel/errors'
import type { TunnelReply, TunnelRequest } from '../../../../lib/tunnel/server'
import { createTunnelPair, echo, readAll, wait } from '../../../helpers/tunnel-pair'

const GET = { method: 'GET', url: '/', headers: [] }

/** A handler that hands each request to the test and never answers on its own. */
function captured() {
  const requests: TunnelRequest[] = []
  const handler = (request: TunnelRequest) => {
    requests.push(request)
    return new Promise<TunnelReply>(() => {})
  }
  return { requests, handler }
}

/** A response body that sends one chunk, then waits until cancelled. */
function endless(onCancel: () => void): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start: controller => controller.enqueue(new Uint8Array([1, 2, 3])),
    cancel: onCancel,
  })
}

describe('tunnel: aborts and resets', () => {
  it('aborting the request resets the stream: the handler\'s signal aborts', async () => {
    const { requests, handler } = captured()
    const { client } = createTunnelPair(handler)
    const controller = new AbortController()
    const pending = client.request(GET, null, controller.signal)
    await vi.waitFor(() => expect(requests).toHaveLength(1))
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'TunnelError', code: 'aborted' })
    await vi.waitFor(() => expect(requests[0]?.signal.aborted).toBe(true))
    expect(requests[0]?.signal.reason).toMatchObject({ code: 'reset', resetCode: ResetCode.CANCEL })
  })

  it('aborting after the head errors the body and stops the host\'s body stream', async () => {
    const cancelled = vi.fn()
    let signal: AbortSignal | undefined
    const { client } = createTunnelPair(async (request) => {
      signal = request.signal
      return { head: { status: 200, headers: [] }, body: endless(cancelled) }
    })
    const controller = new AbortController()
    const response = await client.request(GET, null, controller.signal)
    const reader = response.body.getReader()
    expect((await reader.read()).value).toEqual(new Uint8Array([1, 2, 3]))
    controller.abort()
    await expect(reader.read()).rejects.toMatchObject({ code: 'aborted' })
    await vi.waitFor(() => expect(signal?.aborted).toBe(true))
    await vi.waitFor(() => expect(cancelled).toHaveBeenCalled())
  })

  it('cancelling the response body resets the stream', async () => {
    const cancelled = vi.fn()
    let signal: AbortSignal | undefined
    const { client } = createTunnelPair(async (request) => {
      signal = request.signal
      return { head: { status: 200, headers: [] }, body: endless(cancelled) }
    })
    const response = await client.request(GET)
    await response.body.cancel('not needed')
    await vi.waitFor(() => expect(signal?.aborted).toBe(true))
    await vi.waitFor(() => expect(cancelled).toHaveBeenCalled())
  })

  it('an already aborted signal sends nothing', async () => {
    const { requests, handler } = captured()
    const { client } = createTunnelPair(handler)
    await expect(client.request(GET, null, AbortSignal.abort())).rejects.toMatchObject({ code: 'aborted' })
    await wait(10)
    expect(requests).toHaveLength(0)
  })

  it('a head that may not go on the wire rejects that request only', async () => {
    const { client } = createTunnelPair()
    await expect(client.request({ method: 'get', url: '/', headers: [] })).rejects.toMatchObject({ name: 'FrameError', code: 'bad-head' })
    expect((await client.request(GET)).head.status).toBe(200)
  })
})

describe('tunnel: handler failures', () => {
  it.each<[string, () => Promise<TunnelReply>]>([
    ['throws', async () => {
      throw new Error('boom')
    }],
    ['answers a status that is not HTTP', async () => ({ head: { status: 999, headers: [] }, body: null })],
    ['answers a body that is not bytes', async () => JSON.parse('{"head":{"status":200,"headers":[]},"body":"text"}')],
  ])('a handler that %s gives a 500', async (_name, handler) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { client } = createTunnelPair(handler)
    const response = await client.request(GET)
    expect(response.head.status).toBe(500)
    expect(new TextDecoder().decode(await readAll(response.body))).toBe('Internal Server Error')
    expect(errors).toHaveBeenCalled()
    errors.mockRestore()
  })

  it('a body that fails after the head resets the stream: the visitor\'s read fails', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { client } = createTunnelPair(async () => ({
      head: { status: 200, headers: [] },
      body: new ReadableStream<Uint8Array>({
        start: controller => controller.enqueue(new Uint8Array(10)),
        pull: controller => controller.error(new Error('disk gone')),
      }),
    }))
    const response = await client.request(GET)
    expect(response.head.status).toBe(200)
    const error: unknown = await readAll(response.body).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TunnelError)
    expect(error).toMatchObject({ code: 'reset', resetCode: ResetCode.INTERNAL })
    errors.mockRestore()
  })
})

describe('tunnel: limits and lost connections', () => {
  it('resets a request whose body is over the limit, and serves the next one', async () => {
    const { requests, handler } = captured()
    const { client } = createTunnelPair(async request => (request.head.url === '/small' ? echo(request) : handler(request)), { server: { maxBodyBytes: 100_000 } })
    const big = client.request({ method: 'POST', url: '/upload', headers: [] }, new Uint8Array(200_000))
    await expect(big).rejects.toMatchObject({ code: 'reset', resetCode: ResetCode.TOO_LARGE })
    expect(requests[0]?.signal.aborted).toBe(true)
    const ok = await client.request({ method: 'POST', url: '/small', headers: [] }, new Uint8Array(1000))
    expect((await readAll(ok.body)).byteLength).toBe(1000)
  })

  it('resets an announced Content-Length over the limit without running the handler', async () => {
    const { requests, handler } = captured()
    const { client } = createTunnelPair(handler, { server: { maxBodyBytes: 1000 } })
    const head = { method: 'POST', url: '/', headers: [['Content-Length', '5000']] satisfies Array<[string, string]> }
    await expect(client.request(head, new Uint8Array(5000))).rejects.toMatchObject({ code: 'reset', resetCode: ResetCode.TOO_LARGE })
    expect(requests).toHaveLength(0)
  })

  it('stops uploading when the host answers without reading the body', async () => {
    const cancelled = vi.fn()
    const { client } = createTunnelPair(async () => ({ head: { status: 413, headers: [] }, body: null }))
    const upload = new ReadableStream<Uint8Array>({ pull: controller => controller.enqueue(new Uint8Array(64 * 1024)), cancel: cancelled })
    const response = await client.request({ method: 'PUT', url: '/', headers: [] }, upload)
    expect(response.head.status).toBe(413)
    await readAll(response.body)
    await vi.waitFor(() => expect(cancelled).toHaveBeenCalled())
  })

  it('a transport that closes mid-request fails pending requests, open bodies and later requests clearly', async () => {
    const { requests, handler } = captured()
    const { client, hostEnd } = createTunnelPair(async request => (request.head.url === '/head' ? { head: { status: 200, headers: [] }, body: endless(() => {}) } : handler(request)))
    const streaming = await client.request({ ...GET, url: '/head' })
    const reader = streaming.body.getReader()
    await reader.read()
    const pending = client.request(GET)
    await vi.waitFor(() => expect(requests).toHaveLength(1))
    hostEnd.close()
    await expect(pending).rejects.toThrow(/the tunnel closed \(closed by the peer\)/)
    await expect(pending).rejects.toMatchObject({ code: 'closed' })
    await expect(reader.read()).rejects.toMatchObject({ code: 'closed' })
    expect(requests[0]?.signal.aborted).toBe(true)
    await expect(client.request(GET)).rejects.toMatchObject({ code: 'closed' })
    expect(client.error?.code).toBe('closed')
  })

  it('close() on the visitor\'s side fails its requests and aborts the host\'s handlers', async () => {
    const { requests, handler } = captured()
    const { client } = createTunnelPair(handler)
    const pending = client.request(GET)
    await vi.waitFor(() => expect(requests).toHaveLength(1))
    client.close()
    await expect(pending).rejects.toThrow(/closed by the visitor/)
    await vi.waitFor(() => expect(requests[0]?.signal.aborted).toBe(true))
  })
})

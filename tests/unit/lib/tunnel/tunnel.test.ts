import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { TunnelClient } from '../../../../lib/tunnel/client'
import { TunnelServer, type TunnelReply, type TunnelRequest } from '../../../../lib/tunnel/server'
import { createMemoryTransportPair } from '../../../helpers/memory-transport'

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

/** A host that echoes the request: status 200, method/url in headers, body back. */
async function echo(request: TunnelRequest): Promise<TunnelReply> {
  const body = await readAll(request.body)
  return { head: { status: 200, headers: [['x-method', request.head.method], ['x-url', request.head.url]] }, body }
}

function pair(handler = echo, options = {}) {
  const [a, b] = createMemoryTransportPair(options)
  return { client: new TunnelClient(a), server: new TunnelServer(b, handler), visitorEnd: a, hostEnd: b }
}

describe('tunnel', () => {
  it('carries a request and its response', async () => {
    const { client } = pair()
    const response = await client.request({ method: 'POST', url: '/api?x=1', headers: [['content-type', 'application/json']] }, new TextEncoder().encode('{"a":1}'))
    expect(response.head.status).toBe(200)
    expect(response.head.headers).toEqual([['x-method', 'POST'], ['x-url', '/api?x=1']])
    expect(new TextDecoder().decode(await readAll(response.body))).toBe('{"a":1}')
  })

  it('carries 50 interleaved streams, each intact', async () => {
    const { client } = pair(echo, { latencyMs: 1 })
    const bodies = Array.from({ length: 50 }, (_, i) => randomBytes(1000 + i * 7919))
    const results = await Promise.all(bodies.map(async (body, i) => {
      const response = await client.request({ method: 'PUT', url: `/item/${i}`, headers: [] }, body)
      return { url: response.head.headers[1]?.[1], hash: sha(await readAll(response.body)) }
    }))
    results.forEach((result, i) => expect(result).toEqual({ url: `/item/${i}`, hash: sha(bodies[i]!) }))
  })

  it('carries a 20 MiB body both ways intact, within the transport limits', async () => {
    const { client, visitorEnd, hostEnd } = pair(echo, { maxMessageBytes: 256 * 1024, lowWater: 1024 * 1024 })
    const body = randomBytes(20 * 1024 * 1024)
    const response = await client.request({ method: 'POST', url: '/big', headers: [] }, body)
    expect(sha(await readAll(response.body))).toBe(sha(body))
    expect(visitorEnd.peakBuffered).toBeLessThanOrEqual(4 * 1024 * 1024 + 256 * 1024)
    expect(hostEnd.peakBuffered).toBeLessThanOrEqual(4 * 1024 * 1024 + 256 * 1024)
  })

  it('streams a response body, and a slow reader bounds what the host sends', async () => {
    let produced = 0
    const chunk = new Uint8Array(64 * 1024)
    const handler = async (): Promise<TunnelReply> => ({
      head: { status: 200, headers: [] },
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          if (produced >= 64 * 1024 * 1024) return controller.close()
          produced += chunk.byteLength
          controller.enqueue(chunk)
        },
      }, { highWaterMark: 0 }),
    })
    const { client } = pair(handler)
    const response = await client.request({ method: 'GET', url: '/stream', headers: [] })
    await new Promise(resolve => setTimeout(resolve, 200))
    // Nobody read yet: the host stopped at the window (4 MiB) plus what one chunk in flight adds.
    expect(produced).toBeLessThanOrEqual(4 * 1024 * 1024 + 2 * 64 * 1024)
    const reader = response.body.getReader()
    let read = 0
    while (read < 8 * 1024 * 1024) read += (await reader.read()).value?.byteLength ?? 0
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(produced).toBeGreaterThan(8 * 1024 * 1024)
    expect(produced).toBeLessThanOrEqual(read + 4 * 1024 * 1024 + 2 * 64 * 1024)
    await reader.cancel()
  })

  it('an aborted request resets the stream: the host handler sees its signal abort', async () => {
    let seen: TunnelRequest | undefined
    const handlerStarted = Promise.withResolvers<undefined>()
    const { client } = pair(async (request) => {
      seen = request
      handlerStarted.resolve(undefined)
      await new Promise(resolve => request.signal.addEventListener('abort', resolve))
      return { head: { status: 200, headers: [] }, body: null }
    })
    const controller = new AbortController()
    const pending = client.request({ method: 'GET', url: '/slow', headers: [] }, null, controller.signal)
    await handlerStarted.promise
    controller.abort()
    await expect(pending).rejects.toThrow('aborted')
    await expect.poll(() => seen?.signal.aborted).toBe(true)
  })

  it('a handler that throws gives a 500', async () => {
    const { client } = pair(async () => {
      throw new Error('boom')
    })
    const response = await client.request({ method: 'GET', url: '/', headers: [] })
    expect(response.head.status).toBe(500)
    expect(new TextDecoder().decode(await readAll(response.body))).toBe('Internal Server Error')
  })

  it('pending requests fail clearly when the transport closes, and later ones too', async () => {
    const { client, hostEnd } = pair(() => new Promise(() => {}))
    const pending = client.request({ method: 'GET', url: '/never', headers: [] })
    await new Promise(resolve => setTimeout(resolve, 10))
    hostEnd.close()
    await expect(pending).rejects.toThrow(/tunnel closed/)
    await expect(client.request({ method: 'GET', url: '/', headers: [] })).rejects.toThrow(/tunnel closed/)
  })

  it('resets a request whose body is over the limit', async () => {
    const [a, b] = createMemoryTransportPair()
    const client = new TunnelClient(a)
    new TunnelServer(b, echo, { maxBodyBytes: 100_000 })
    await expect(client.request({ method: 'POST', url: '/upload', headers: [] }, randomBytes(200_000))).rejects.toThrow(/reset/)
    const ok = await client.request({ method: 'POST', url: '/small', headers: [] }, randomBytes(1000))
    expect(ok.head.status).toBe(200)
  })

  it('garbage on the wire closes the connection without throwing', async () => {
    const { client, visitorEnd } = pair(() => new Promise(() => {}))
    const pending = client.request({ method: 'GET', url: '/', headers: [] })
    visitorEnd.send(new Uint8Array([77, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
    await expect(pending).rejects.toThrow(/tunnel closed/)
  })

  it('a seeded random mix of requests all arrive intact', async () => {
    let seed = 12345
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const { client } = pair(echo, { latencyMs: 0, maxMessageBytes: 256 * 1024 })
    const jobs = Array.from({ length: 40 }, (_, i) => {
      const body = randomBytes(Math.floor(random() * 300_000))
      const stream = random() < 0.5
      const payload = stream
        ? new ReadableStream<Uint8Array>({
            start(controller) {
              for (let o = 0; o < body.length;) {
                const length = 1 + Math.floor(random() * 90_000)
                controller.enqueue(body.subarray(o, o + length))
                o += length
              }
              controller.close()
            },
          })
        : body
      return client.request({ method: 'POST', url: `/r/${i}`, headers: [] }, payload).then(async r => sha(await readAll(r.body)) === sha(body))
    })
    expect(await Promise.all(jobs)).toEqual(jobs.map(() => true))
  })
})

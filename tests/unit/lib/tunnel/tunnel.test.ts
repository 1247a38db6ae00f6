import { describe, expect, it } from 'vitest'
import type { TunnelReply } from '../../../../lib/tunnel/server'
import { createTunnelPair, readAll, seededBytes, seededRandom, sha256 } from '../../../helpers/tunnel-pair'

const MiB = 1024 * 1024

/** A stream that yields `body` in pieces whose sizes `random` picks (1 byte to `max`). */
function pieces(body: Uint8Array, random: () => number, max: number): ReadableStream<Uint8Array> {
  let offset = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.byteLength) return controller.close()
      const length = 1 + Math.floor(random() * max)
      controller.enqueue(body.subarray(offset, offset + length))
      offset += length
    },
  })
}

describe('tunnel: requests and responses', () => {
  it('carries a request and its response', async () => {
    const { client } = createTunnelPair()
    const response = await client.request({ method: 'POST', url: '/api?x=1', headers: [['content-type', 'application/json']] }, new TextEncoder().encode('{"a":1}'))
    expect(response.head).toEqual({ status: 200, headers: [['x-method', 'POST'], ['x-url', '/api?x=1']] })
    expect(new TextDecoder().decode(await readAll(response.body))).toBe('{"a":1}')
  })

  it('carries requests without a body, and empty responses, with statusText and repeated headers', async () => {
    const { client } = createTunnelPair(async request => ({
      head: { status: 204, statusText: 'No Content', headers: [['set-cookie', 'a=1'], ['set-cookie', `b=${request.head.method}`]] },
      body: null,
    }))
    const response = await client.request({ method: 'DELETE', url: '/x', headers: [] })
    expect(response.head).toEqual({ status: 204, statusText: 'No Content', headers: [['set-cookie', 'a=1'], ['set-cookie', 'b=DELETE']] })
    expect(await readAll(response.body)).toHaveLength(0)
  })

  it('uses odd stream ids, one per request', async () => {
    const ids: number[] = []
    const { client, visitorEnd } = createTunnelPair()
    const send = visitorEnd.send.bind(visitorEnd)
    visitorEnd.send = (data) => {
      if (data[0] === 1) ids.push(new DataView(data.buffer, data.byteOffset).getUint32(1))
      send(data)
    }
    for (let i = 0; i < 3; i++) await readAll((await client.request({ method: 'GET', url: '/', headers: [] })).body)
    expect(ids).toEqual([1, 3, 5])
  })

  it('carries 50 interleaved streams, each with its own body, all intact', async () => {
    const { client } = createTunnelPair(undefined, { transport: { latencyMs: 1 } })
    const random = seededRandom(50)
    const bodies = Array.from({ length: 50 }, (_, i) => seededBytes(1000 + i * 7919, random))
    const results = await Promise.all(bodies.map(async (body, i) => {
      const response = await client.request({ method: 'PUT', url: `/item/${i}`, headers: [] }, i % 2 ? body : pieces(body, random, 5000))
      return { url: response.head.headers[1]?.[1], hash: sha256(await readAll(response.body)) }
    }))
    results.forEach((result, i) => expect(result).toEqual({ url: `/item/${i}`, hash: sha256(bodies[i]!) }))
  })

  it('carries a 20 MiB body both ways intact, within the transport limits', async () => {
    const { client, visitorEnd, hostEnd } = createTunnelPair(undefined, { transport: { maxMessageBytes: 256 * 1024, lowWater: MiB } })
    const body = seededBytes(20 * MiB, seededRandom(20))
    const started = performance.now()
    const response = await client.request({ method: 'POST', url: '/big', headers: [] }, body)
    expect(sha256(await readAll(response.body))).toBe(sha256(body))
    const ms = performance.now() - started
    expect(visitorEnd.stats.peakBuffered).toBeLessThanOrEqual(4 * MiB)
    expect(hostEnd.stats.peakBuffered).toBeLessThanOrEqual(4 * MiB)
    // 40 MiB moved, framing included: a few hundred bytes of overhead per MiB.
    expect(visitorEnd.stats.sentBytes + hostEnd.stats.sentBytes).toBeLessThan(40 * MiB * 1.001)
    expect(ms).toBeLessThan(5000)
  })

  it('streams a response as the handler produces it, before the body ends', async () => {
    let release!: () => void
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    const { client } = createTunnelPair(async (): Promise<TunnelReply> => ({
      head: { status: 200, headers: [['content-type', 'text/event-stream']] },
      body: new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode('data: one\n\n'))
          await released
          controller.enqueue(new TextEncoder().encode('data: two\n\n'))
          controller.close()
        },
      }),
    }))
    const response = await client.request({ method: 'GET', url: '/events', headers: [] })
    const reader = response.body.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: one\n\n')
    release()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: two\n\n')
    expect((await reader.read()).done).toBe(true)
  })

  it('pipes a streamed request body straight back as the response body', async () => {
    const { client } = createTunnelPair(async request => ({ head: { status: 200, headers: [] }, body: request.body }))
    const body = seededBytes(3 * MiB + 17, seededRandom(3))
    const response = await client.request({ method: 'POST', url: '/pipe', headers: [] }, pieces(body, seededRandom(4), 100_000))
    expect(sha256(await readAll(response.body))).toBe(sha256(body))
  })

  it.each([1, 2, 3])('a seeded random mix of requests, body shapes, message limits and latencies all arrive intact (seed %i)', async (seed) => {
    const random = seededRandom(seed)
    const { client } = createTunnelPair(undefined, {
      transport: { latencyMs: Math.floor(random() * 3), maxMessageBytes: 256 * 1024 },
      client: { maxMessageBytes: 1024 + Math.floor(random() * 200_000) },
      server: { maxMessageBytes: 1024 + Math.floor(random() * 200_000), window: MiB + Math.floor(random() * 3 * MiB) },
    })
    const jobs = Array.from({ length: 30 }, async (_, i) => {
      const body = seededBytes(Math.floor(random() ** 2 * 400_000), random)
      const payload = random() < 0.5 ? pieces(body, random, 90_000) : body
      const response = await client.request({ method: 'POST', url: `/r/${i}`, headers: [] }, payload)
      return sha256(await readAll(response.body)) === sha256(body) && response.head.headers[1]?.[1] === `/r/${i}`
    })
    expect(await Promise.all(jobs)).toEqual(jobs.map(() => true))
  })
})

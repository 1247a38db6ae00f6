import { describe, expect, it } from 'vitest'
import { FrameDecoder, FrameType, HeadSchema, INITIAL_WINDOW } from '../../../../shared/protocol/frames'
import { DEFAULT_WINDOW } from '../../../../lib/tunnel/incoming'
import type { TunnelReply, TunnelRequest } from '../../../../lib/tunnel/server'
import type { MemoryTransport } from '../../../helpers/memory-transport'
import { createTunnelPair, echo, readAll, sha256, wait } from '../../../helpers/tunnel-pair'

const MiB = 1024 * 1024
const CHUNK = 64 * 1024
/** What may be in flight beyond the window: the chunk a body pump holds while it waits, and one a stream buffers. */
const SLACK = 2 * CHUNK

/** A pull stream of `total` bytes in 64 KiB chunks that counts what was produced. */
function counted(total: number) {
  const counter = { produced: 0 }
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.produced >= total) return controller.close()
      counter.produced += CHUNK
      controller.enqueue(new Uint8Array(CHUNK))
    },
  }, { highWaterMark: 0 })
  return { counter, stream }
}

/** Count the frames of each type an end sends. */
function countFrames(end: MemoryTransport): Map<number, number> {
  const counts = new Map<number, number>()
  const decoder = new FrameDecoder(HeadSchema)
  const send = end.send.bind(end)
  end.send = (data) => {
    for (const frame of decoder.push(data)) counts.set(frame.type, (counts.get(frame.type) ?? 0) + 1)
    send(data)
  }
  return counts
}

async function readBytes(reader: ReadableStreamDefaultReader<Uint8Array>, bytes: number): Promise<number> {
  let read = 0
  while (read < bytes) read += (await reader.read()).value?.byteLength ?? 0
  return read
}

describe('tunnel: flow control', () => {
  it.each([
    ['the default window', undefined, DEFAULT_WINDOW],
    ['a 1 MiB window', INITIAL_WINDOW, INITIAL_WINDOW],
    ['a 6 MiB window', 6 * MiB, 6 * MiB],
  ])('a slow reader bounds what the host sends it (%s)', async (_name, window, bound) => {
    const body = counted(64 * MiB)
    const { client } = createTunnelPair(async (): Promise<TunnelReply> => ({ head: { status: 200, headers: [] }, body: body.stream }), { client: { window } })
    const response = await client.request({ method: 'GET', url: '/stream', headers: [] })
    await wait(150)
    // Nobody read yet: the host stopped at the window.
    expect(body.counter.produced).toBeGreaterThanOrEqual(bound - CHUNK)
    expect(body.counter.produced).toBeLessThanOrEqual(bound + SLACK)
    const reader = response.body.getReader()
    const read = await readBytes(reader, 3 * bound)
    await wait(100)
    expect(body.counter.produced).toBeGreaterThan(3 * bound)
    expect(body.counter.produced).toBeLessThanOrEqual(read + bound + SLACK)
    await reader.cancel()
  })

  it('a host that has not read the request body yet bounds what the visitor uploads', async () => {
    const upload = counted(64 * MiB)
    let request: TunnelRequest | undefined
    const { client } = createTunnelPair(async (req) => {
      request = req
      return new Promise(() => {})
    })
    void client.request({ method: 'PUT', url: '/upload', headers: [] }, upload.stream)
    await wait(150)
    expect(request).toBeDefined()
    expect(upload.counter.produced).toBeLessThanOrEqual(DEFAULT_WINDOW + SLACK)
    const reader = request!.body.getReader()
    const read = await readBytes(reader, 2 * DEFAULT_WINDOW)
    await wait(100)
    expect(upload.counter.produced).toBeLessThanOrEqual(read + DEFAULT_WINDOW + SLACK)
    expect(upload.counter.produced).toBeGreaterThan(2 * DEFAULT_WINDOW)
  })

  it('a fast reader gets the whole body while WINDOW frames stay few (one per half window read)', async () => {
    const body = new Uint8Array(20 * MiB)
    const { client, visitorEnd } = createTunnelPair(async () => ({ head: { status: 200, headers: [] }, body }))
    const counts = countFrames(visitorEnd)
    const response = await client.request({ method: 'GET', url: '/big', headers: [] })
    expect((await readAll(response.body)).byteLength).toBe(20 * MiB)
    const windows = counts.get(FrameType.WINDOW) ?? 0
    expect(windows).toBeGreaterThanOrEqual((20 * MiB - DEFAULT_WINDOW) / DEFAULT_WINDOW)
    expect(windows).toBeLessThanOrEqual(1 + 20 * MiB / (DEFAULT_WINDOW / 2))
  })

  it('a bulk body goes two 64 KiB DATA frames to a message (half as many messages for the visitor to handle)', async () => {
    const body = new Uint8Array(8 * MiB)
    const { client, hostEnd } = createTunnelPair(async () => ({ head: { status: 200, headers: [] }, body }))
    const response = await client.request({ method: 'GET', url: '/big', headers: [] })
    expect((await readAll(response.body)).byteLength).toBe(8 * MiB)
    // 128 DATA frames, a HEAD and an END: one frame per message would be 130 messages.
    expect(hostEnd.stats.sentMessages).toBeLessThanOrEqual(8 * MiB / (2 * CHUNK) + 4)
  })

  it('ends with different windows still agree (the initial window is the protocol\'s)', async () => {
    const { client } = createTunnelPair(echo, { client: { window: INITIAL_WINDOW }, server: { window: 8 * MiB } })
    const body = new Uint8Array(10 * MiB).fill(3)
    const response = await client.request({ method: 'POST', url: '/', headers: [] }, body)
    expect(sha256(await readAll(response.body))).toBe(sha256(body))
  })

  it('a slow link never sees more than the high-water mark queued, even with many streams', async () => {
    const highWater = MiB
    const { client, visitorEnd, hostEnd } = createTunnelPair(echo, {
      transport: { bytesPerMs: 50_000, lowWater: 256 * 1024 },
      client: { highWater },
      server: { highWater },
    })
    const bodies = Array.from({ length: 8 }, (_, i) => new Uint8Array(MiB + i).fill(i))
    const results = await Promise.all(bodies.map(async (body) => {
      const response = await client.request({ method: 'POST', url: '/', headers: [] }, body)
      return sha256(await readAll(response.body))
    }))
    expect(results).toEqual(bodies.map(sha256))
    expect(visitorEnd.stats.peakBuffered).toBeLessThanOrEqual(highWater)
    expect(hostEnd.stats.peakBuffered).toBeLessThanOrEqual(highWater)
    expect(visitorEnd.stats.peakBuffered).toBeGreaterThan(highWater / 2) // it was the limit that held
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Frame } from '../../../../shared/protocol/frames'
import { IncomingBody, MAX_READ_CHUNK } from '../../../../lib/tunnel/incoming'
import type { FrameSender } from '../../../../lib/tunnel/sender'
import { createTunnelPair, readAll, seededBytes, seededRandom, sha256 } from '../../../helpers/tunnel-pair'

const BATCH_MS = 40
const KiB = 1024

/** A sender that only records the frames (WINDOW credit) the body sends. */
function recordingSender(): FrameSender & { frames: Frame[] } {
  const frames: Frame[] = []
  return { frames, send: (frame: Frame) => frames.push(frame) } as unknown as FrameSender & { frames: Frame[] }
}

const bytes = (size: number, fill: number) => new Uint8Array(size).fill(fill)

/** Whether `promise` settled once pending microtasks and immediate callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false
  void promise.then(() => (done = true), () => (done = true))
  await vi.advanceTimersByTimeAsync(0)
  return done
}

describe('IncomingBody with batchMs', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('hands over the first chunk at once, then at most one merged chunk per batchMs while data streams in', async () => {
    const body = new IncomingBody(1, recordingSender(), { batchMs: BATCH_MS })
    const reader = body.stream.getReader()
    body.push(bytes(64 * KiB, 1))
    expect((await reader.read()).value).toEqual(bytes(64 * KiB, 1))

    const next = reader.read()
    body.push(bytes(64 * KiB, 2))
    body.push(bytes(64 * KiB, 3))
    expect(await settled(next)).toBe(false)
    await vi.advanceTimersByTimeAsync(BATCH_MS / 2)
    body.push(bytes(64 * KiB, 4))
    expect(await settled(next)).toBe(false)
    await vi.advanceTimersByTimeAsync(BATCH_MS / 2)
    const merged = (await next).value!
    expect(merged.byteLength).toBe(3 * 64 * KiB)
    expect([merged[0], merged[64 * KiB], merged[128 * KiB]]).toEqual([2, 3, 4])
  })

  it('does not hold a chunk that follows a quiet spell (an event stream is not delayed)', async () => {
    const body = new IncomingBody(1, recordingSender(), { batchMs: BATCH_MS })
    const reader = body.stream.getReader()
    body.push(bytes(10, 1))
    await reader.read()
    await vi.advanceTimersByTimeAsync(BATCH_MS + 1)
    const next = reader.read()
    body.push(bytes(10, 2))
    expect(await settled(next)).toBe(true)
    expect((await next).value).toEqual(bytes(10, 2))
  })

  it('hands over at once what waits when the body ends, or when a full read chunk is waiting', async () => {
    const body = new IncomingBody(1, recordingSender(), { batchMs: BATCH_MS })
    const reader = body.stream.getReader()
    body.push(bytes(10, 1))
    await reader.read()

    const full = reader.read()
    for (let i = 0; i < MAX_READ_CHUNK / (64 * KiB); i++) body.push(bytes(64 * KiB, 5))
    expect(await settled(full)).toBe(true)
    expect((await full).value!.byteLength).toBe(MAX_READ_CHUNK)

    const last = reader.read()
    body.push(bytes(10, 6))
    body.end()
    expect(await settled(last)).toBe(true)
    expect((await last).value).toEqual(bytes(10, 6))
    expect((await reader.read()).done).toBe(true)
  })

  it('a failure reaches a reader that waits for a batch at once', async () => {
    const body = new IncomingBody(1, recordingSender(), { batchMs: BATCH_MS })
    const reader = body.stream.getReader()
    body.push(bytes(10, 1))
    await reader.read()
    const next = reader.read()
    body.push(bytes(10, 2))
    body.fail(new Error('the host went away'))
    await expect(next).rejects.toThrow('the host went away')
  })
})

describe('tunnel with batched response bodies', () => {
  it('an 8 MiB body arrives intact in fewer, larger chunks', async () => {
    const data = seededBytes(8 * 1024 * KiB, seededRandom(7))
    const { client } = createTunnelPair(async () => ({ head: { status: 200, headers: [] }, body: data }), { client: { batchMs: 5 } })
    const response = await client.request({ method: 'GET', url: '/big', headers: [] })
    const [counting, whole] = response.body.tee()
    const reader = counting.getReader()
    let chunks = 0
    for (;;) {
      const { done } = await reader.read()
      if (done) break
      chunks++
    }
    expect(sha256(await readAll(whole))).toBe(sha256(data))
    // Unbatched, a reader this fast gets every 64 KiB frame on its own (128 chunks).
    expect(chunks).toBeLessThan(8 * 1024 / 64 / 4)
  })
})

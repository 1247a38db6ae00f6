import { describe, expect, it, vi } from 'vitest'
import { FrameDecoder, FrameType, HeadSchema, MAX_FRAME_PAYLOAD, type Frame } from '../../../../shared/protocol/frames'
import { DEFAULT_MAX_QUEUED_CONTROL_BYTES, DEFAULT_MAX_QUEUED_CONTROL_FRAMES } from '../../../../lib/tunnel/limits'
import { DEFAULT_MAX_MESSAGE_BYTES, FrameSender, MAX_HIGH_WATER } from '../../../../lib/tunnel/sender'
import type { Transport } from '../../../../lib/tunnel/transport'

const MiB = 1024 * 1024

interface FakeTransport extends Transport {
  sent: Uint8Array[]
  buffered: number
  peak: number
  failWith: Error | null
  /** The network took everything queued. */
  drain(): void
}

/** A transport whose queue only empties when the test says so. */
function fakeTransport(): FakeTransport {
  const drains = new Set<() => void>()
  const transport: FakeTransport = {
    sent: [],
    buffered: 0,
    peak: 0,
    failWith: null,
    get bufferedAmount() {
      return transport.buffered
    },
    send(data) {
      if (transport.failWith) throw transport.failWith
      transport.sent.push(data)
      transport.buffered += data.byteLength
      transport.peak = Math.max(transport.peak, transport.buffered)
    },
    drain() {
      transport.buffered = 0
      for (const listener of drains) listener()
    },
    onMessage: () => () => {},
    onDrain(listener) {
      drains.add(listener)
      return () => drains.delete(listener)
    },
    onClose: () => () => {},
    close() {},
  }
  return transport
}

/** `transport` with its bufferedAmount readings counted; its queue its own (a data channel's) or shared (the relay's socket). */
function countingReads(transport: FakeTransport, ownQueue: boolean) {
  const counter = { reads: 0 }
  const counted: Transport = Object.create(transport, {
    bufferedAmount: { get: () => (counter.reads++, transport.buffered) },
    ...(ownQueue ? { ownQueue: { value: true } } : {}),
  })
  return { counted, counter }
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0))
const data = (stream: number, size: number, fill = stream): Frame => ({ type: FrameType.DATA, stream, data: new Uint8Array(size).fill(fill) })
const decodeAll = (messages: Uint8Array[]) => {
  const decoder = new FrameDecoder(HeadSchema)
  return messages.flatMap(message => decoder.push(message))
}

describe('FrameSender', () => {
  it('packs the small frames of one tick into one message, in order', async () => {
    const transport = fakeTransport()
    const sender = new FrameSender(transport)
    const frames: Frame[] = [
      { type: FrameType.HEAD, stream: 1, head: { method: 'GET', url: '/', headers: [] } },
      { type: FrameType.WINDOW, stream: 1, credit: 1000 },
      data(1, 100),
      { type: FrameType.END, stream: 1 },
    ]
    for (const frame of frames) sender.send(frame)
    expect(transport.sent).toHaveLength(0) // nothing before the tick ends
    await tick()
    expect(transport.sent).toHaveLength(1)
    expect(decodeAll(transport.sent)).toEqual(frames)
  })

  it('puts at most two full DATA frames (128 KiB of payload) in a message, whole frames only', async () => {
    const transport = fakeTransport()
    const sender = new FrameSender(transport)
    const frames = [1, 2, 3, 4, 5].map(i => data(i, MAX_FRAME_PAYLOAD))
    for (const frame of frames) sender.send(frame)
    await tick()
    expect(transport.sent.map(m => m.byteLength)).toEqual([DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_BYTES, MAX_FRAME_PAYLOAD + 9])
    expect(decodeAll(transport.sent)).toEqual(frames)
  })

  it('splits a frame longer than the message limit, and the decoder puts it back together', async () => {
    const transport = fakeTransport()
    const sender = new FrameSender(transport, { maxMessageBytes: 5000 })
    const frames = [data(1, 3), data(3, MAX_FRAME_PAYLOAD), { type: FrameType.END, stream: 3 } satisfies Frame]
    for (const frame of frames) sender.send(frame)
    await tick()
    expect(Math.max(...transport.sent.map(m => m.byteLength))).toBeLessThanOrEqual(5000)
    expect(decodeAll(transport.sent)).toEqual(frames)
  })

  it('never takes bufferedAmount over the high-water mark, and resumes on drain', async () => {
    const transport = fakeTransport()
    const sender = new FrameSender(transport, { highWater: MiB })
    for (let i = 0; i < 40; i++) sender.send(data(1, MAX_FRAME_PAYLOAD, i))
    await tick()
    expect(transport.buffered).toBeLessThanOrEqual(MiB)
    expect(transport.buffered).toBeGreaterThan(MiB - DEFAULT_MAX_MESSAGE_BYTES)
    const before = transport.sent.length
    transport.drain()
    expect(transport.sent.length).toBeGreaterThan(before)
    while (sender.queued > 0) transport.drain()
    expect(transport.peak).toBeLessThanOrEqual(MiB)
    expect(decodeAll(transport.sent).map(f => f.type === FrameType.DATA && f.data[0])).toEqual([...Array(40).keys()])
  })

  it('reads bufferedAmount only when what it sent since the last reading might not fit', async () => {
    const transport = fakeTransport()
    const { counted, counter } = countingReads(transport, true)
    const sender = new FrameSender(counted, { highWater: MiB })
    expect(counter.reads).toBe(1) // where it starts from
    counter.reads = 0
    // A visitor's traffic: small requests, one tick each, 100 of them (a few KiB in all), while the network sends nothing.
    for (let i = 0; i < 100; i++) {
      sender.send({ type: FrameType.WINDOW, stream: 2 * i + 1, credit: 1024 })
      await tick()
    }
    expect(transport.sent).toHaveLength(100)
    expect(counter.reads).toBe(0)
    // Bulk: it reads once its own count nears the high-water mark, and the real figure (the network took some) lets it go on.
    for (let i = 0; i < 40; i++) sender.send(data(1, MAX_FRAME_PAYLOAD, i))
    await tick()
    const atMark = counter.reads
    expect(atMark).toBeGreaterThan(0)
    transport.buffered = MiB / 2 // sent on by the network, no event
    sender.send(data(3, 1024))
    await tick()
    expect(counter.reads).toBeGreaterThan(atMark)
    expect(transport.peak).toBeLessThanOrEqual(MiB)
    while (sender.queued > 0) transport.drain()
    expect(transport.peak).toBeLessThanOrEqual(MiB)
  })

  it('on a shared queue (the relay\'s socket) it reads bufferedAmount for every message: others\' sends count too', async () => {
    const transport = fakeTransport()
    const { counted: shared, counter } = countingReads(transport, false)
    const sender = new FrameSender(shared, { highWater: MiB })
    sender.send({ type: FrameType.WINDOW, stream: 1, credit: 1024 })
    await tick()
    expect(transport.sent).toHaveLength(1)
    expect(counter.reads).toBeGreaterThan(1)
    // Another session fills the socket: nothing more goes until it has room.
    transport.buffered = MiB
    sender.send(data(3, 1024))
    await tick()
    expect(transport.sent).toHaveLength(1)
    transport.drain()
    expect(transport.sent).toHaveLength(2)
  })

  it('looks again by itself when no drain event comes', async () => {
    vi.useFakeTimers()
    try {
      const transport = fakeTransport()
      const sender = new FrameSender(transport, { highWater: 200_000 })
      for (let i = 0; i < 4; i++) sender.send(data(1, MAX_FRAME_PAYLOAD))
      await vi.advanceTimersByTimeAsync(0)
      const sent = transport.sent.length
      transport.buffered = 0 // emptied without an event
      await vi.advanceTimersByTimeAsync(100)
      expect(transport.sent.length).toBeGreaterThan(sent)
    }
    finally {
      vi.useRealTimers()
    }
  })

  it('holds producers back while full: writable() waits for room', async () => {
    const transport = fakeTransport()
    const sender = new FrameSender(transport, { highWater: MiB })
    for (let i = 0; i < 20; i++) sender.send(data(1, MAX_FRAME_PAYLOAD))
    await tick()
    let ready = false
    void sender.writable().then(() => {
      ready = true
    })
    await tick()
    expect(ready).toBe(false)
    while (sender.queued > 0) transport.drain()
    transport.drain()
    await tick()
    expect(ready).toBe(true)
  })

  it('reports a transport that refuses a message, then drops everything', async () => {
    const transport = fakeTransport()
    const onError = vi.fn()
    const sender = new FrameSender(transport, { onError })
    transport.failWith = new Error('InvalidStateError')
    sender.send(data(1, 10))
    await tick()
    expect(onError).toHaveBeenCalledWith(transport.failWith)
    sender.send(data(1, 10))
    await tick()
    expect(onError).toHaveBeenCalledTimes(1)
    expect(sender.queued).toBe(0)
    await expect(sender.writable()).resolves.toBeUndefined()
  })

  it('refuses a frame that may not go on the wire, at once', () => {
    const sender = new FrameSender(fakeTransport())
    expect(() => sender.send(data(1, MAX_FRAME_PAYLOAD + 1))).toThrow(/over/)
    expect(sender.queued).toBe(0)
  })

  it.each([
    ['a high-water mark over 8 MiB', { highWater: 8 * MiB + 1 }],
    ['a high-water mark of 0', { highWater: 0 }],
    ['a message limit under 1 KiB', { maxMessageBytes: 1000 }],
    ['a message limit over the high-water mark', { highWater: 100_000, maxMessageBytes: 200_000 }],
  ])('refuses %s', (_name, options) => {
    expect(() => new FrameSender(fakeTransport(), options)).toThrow(RangeError)
  })
})

describe('FrameSender: control frames for a peer that does not read', () => {
  /** A RESET of `bytes` on the wire (9-byte header, u16 code, reason). */
  const reset = (stream: number, bytes = 64): Frame => ({ type: FrameType.RESET, stream, code: 7, reason: 'x'.repeat(bytes - 11) })

  /** A sender over a transport that is full and stays full, and what it reported. */
  function blocked(options: ConstructorParameters<typeof FrameSender>[1] = {}) {
    const transport = fakeTransport()
    transport.buffered = MAX_HIGH_WATER
    const overflows: string[] = []
    const sender = new FrameSender(transport, { ...options, onOverflow: reason => overflows.push(reason) })
    return { transport, sender, overflows }
  }

  it.each([
    ['the default', undefined, DEFAULT_MAX_QUEUED_CONTROL_FRAMES],
    ['a configured 10', 10, 10],
  ])('%s: the limit\'s frames wait, one more drops the queue and reports it', async (_name, maxQueuedControlFrames, limit) => {
    const { transport, sender, overflows } = blocked({ maxQueuedControlFrames })
    for (let i = 1; i <= limit; i++) sender.send(reset(i, 16))
    await tick()
    expect(transport.sent).toEqual([])
    expect(sender.queuedControl).toEqual({ frames: limit, bytes: limit * 16 })
    expect(overflows).toEqual([])
    sender.send(reset(limit + 1, 16))
    expect(overflows).toEqual([`the peer does not read: ${limit + 1} frames (limit ${limit}) waiting to be sent`])
    expect(sender.queued).toBe(0)
    expect(sender.queuedControl).toEqual({ frames: 0, bytes: 0 })
    sender.send(reset(limit + 2, 16))
    expect(sender.queued).toBe(0) // closed: later frames are dropped
  })

  it.each([
    ['the default', undefined, DEFAULT_MAX_QUEUED_CONTROL_BYTES],
    ['a configured 1 KiB', 1024, 1024],
  ])('%s: the limit\'s bytes wait, one frame more is refused', (_name, maxQueuedControlBytes, limit) => {
    const { sender, overflows } = blocked({ maxQueuedControlBytes, maxQueuedControlFrames: limit })
    for (let i = 1; i <= limit / 64; i++) sender.send(reset(i))
    expect(sender.queuedControl.bytes).toBe(limit)
    expect(overflows).toEqual([])
    sender.send({ type: FrameType.END, stream: 1 })
    expect(overflows).toEqual([`the peer does not read: ${limit + 9} bytes of frames (limit ${limit}) waiting to be sent`])
  })

  it('counts only frames still queued: a peer that reads never reaches the limit, and DATA never counts', async () => {
    const transport = fakeTransport()
    const overflows: string[] = []
    const sender = new FrameSender(transport, { maxQueuedControlFrames: 10, onOverflow: reason => overflows.push(reason) })
    for (let round = 0; round < 5; round++) {
      for (let i = 1; i <= 10; i++) sender.send(reset(round * 10 + i))
      await tick()
      expect(sender.queuedControl).toEqual({ frames: 0, bytes: 0 })
      transport.drain()
    }
    transport.buffered = MAX_HIGH_WATER
    for (let i = 1; i <= 20; i++) sender.send(data(i, 10))
    expect(overflows).toEqual([])
    expect(sender.queuedControl.frames).toBe(0)
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { CHUNK_BYTES, chunkedChannel, MAX_JOINED_BYTES, MessageJoiner, SEND_HIGH_WATER, SEND_LOW_WATER, splitMessage } from '../../../../lib/peer/chunked-channel'
import { MAX_SITE_BYTES } from '../../../../lib/site'

function bytes(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xFF)
}

describe('chunked data-channel messages', () => {
  it.each([0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 5 * CHUNK_BYTES + 17, 3 * 1024 * 1024])('a %i-byte message survives the split and the join', (size) => {
    const message = bytes(size)
    const chunks = splitMessage(message)
    expect(chunks.every(chunk => chunk.byteLength <= CHUNK_BYTES + 1)).toBe(true)
    expect(chunks.length).toBe(Math.max(1, Math.ceil(size / CHUNK_BYTES)))
    const joiner = new MessageJoiner()
    const out = chunks.map(chunk => joiner.push(chunk))
    expect(out.slice(0, -1).every(part => part === null)).toBe(true)
    expect(out.at(-1)).toEqual(message)
  })

  it('joins messages one after another with the same joiner', () => {
    const joiner = new MessageJoiner()
    const first = bytes(CHUNK_BYTES * 2, 3)
    const second = bytes(10, 7)
    const joined = [...splitMessage(first), ...splitMessage(second)].map(chunk => joiner.push(chunk)).filter(part => part !== null)
    expect(joined).toEqual([first, second])
  })

  it('refuses a chunk without a valid first byte', () => {
    expect(() => new MessageJoiner().push(Uint8Array.of(7, 1, 2))).toThrow('starts with 7, not 0 or 1')
    expect(() => new MessageJoiner().push(new Uint8Array(0))).toThrow('starts with undefined')
  })

  it('refuses a message past the limit instead of buffering it all', () => {
    const joiner = new MessageJoiner(100)
    const chunks = splitMessage(bytes(250), 60)
    expect(joiner.push(chunks[0]!)).toBeNull()
    expect(() => joiner.push(chunks[1]!)).toThrow('over 100 bytes')
  })
})

/** The part of an RTCDataChannel that chunkedChannel uses, recording close(). */
class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'open'
  bufferedAmount = 0
  bufferedAmountLowThreshold = 0
  closed = false
  /** What was sent, in order; each send adds to bufferedAmount, as the platform's queue would. */
  sent: Uint8Array[] = []
  send(data: Uint8Array): void {
    this.sent.push(data)
    this.bufferedAmount += data.byteLength
  }

  close(): void {
    this.closed = true
    this.readyState = 'closed'
  }

  /** Deliver one chunk as the platform would: an ArrayBuffer. */
  deliver(chunk: Uint8Array<ArrayBuffer>): void {
    this.dispatchEvent(new MessageEvent('message', { data: chunk.buffer }))
  }
}

function open() {
  const fake = new FakeChannel()
  // The fake has every member chunkedChannel touches; the rest of RTCDataChannel is not needed here.
  const channel = chunkedChannel(fake as unknown as RTCDataChannel)
  const heard: ArrayBuffer[] = []
  channel.onmessage = (event: MessageEvent) => {
    heard.push(event.data)
  }
  return { fake, heard }
}

/** Send a message of `size` bytes to `fake` without building it: the same full chunk again and again, then the rest. */
function deliverMessage(fake: FakeChannel, size: number): void {
  const full = new Uint8Array(CHUNK_BYTES + 1)
  full[0] = 1
  const fullChunks = Math.floor((size - 1) / CHUNK_BYTES)
  for (let i = 0; i < fullChunks; i++) fake.deliver(full)
  fake.deliver(new Uint8Array(size - fullChunks * CHUNK_BYTES + 1))
}

describe('the largest message a co-author may send', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('is a whole site and 64 MiB for the structure around it: 320 MiB', () => {
    expect(MAX_JOINED_BYTES).toBe(MAX_SITE_BYTES + 64 * 1024 * 1024)
    expect(MAX_JOINED_BYTES).toBe(320 * 1024 * 1024)
  })

  it('is joined at the limit', () => {
    const { fake, heard } = open()
    deliverMessage(fake, MAX_JOINED_BYTES)
    expect(heard.map(data => data.byteLength)).toEqual([MAX_JOINED_BYTES])
    expect(fake.closed).toBe(false)
  })

  it('one byte over, closes the channel to that peer with a logged reason, hears nothing more from it, and leaves other peers be', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const hostile = open()
    const other = open()
    deliverMessage(hostile.fake, MAX_JOINED_BYTES + 1)
    expect(hostile.fake.closed).toBe(true)
    expect(hostile.heard).toEqual([])
    expect(warn).toHaveBeenCalledWith('[co-edit] closing the channel to a peer:', `a peer's message is over ${MAX_JOINED_BYTES} bytes, the most a co-author may send at once`)
    deliverMessage(hostile.fake, 10)
    expect(hostile.heard).toEqual([])
    deliverMessage(other.fake, 10)
    expect(other.heard.map(data => data.byteLength)).toEqual([10])
    expect(other.fake.closed).toBe(false)
  })
})

describe('sending a large message', () => {
  /** `bytes` bytes sent through a chunked view of a fake channel. */
  function sendThrough(bytes: number) {
    const fake = new FakeChannel()
    const channel = chunkedChannel(fake as unknown as RTCDataChannel)
    channel.send(new Uint8Array(bytes))
    return { fake, channel }
  }
  /** The channel sent what it held, down to `left` bytes, and says so. */
  function drain(fake: FakeChannel, left: number): void {
    fake.bufferedAmount = left
    fake.dispatchEvent(new Event('bufferedamountlow'))
  }

  it('hands chunks over while the channel holds at most SEND_HIGH_WATER bytes, and the rest as it drains below SEND_LOW_WATER', () => {
    const chunks = 20
    const { fake } = sendThrough(chunks * CHUNK_BYTES)
    expect(fake.bufferedAmountLowThreshold).toBe(SEND_LOW_WATER)
    // One chunk (CHUNK_BYTES + 1) is at most SEND_HIGH_WATER: a second follows it; two are past it.
    expect(CHUNK_BYTES + 1).toBeLessThanOrEqual(SEND_HIGH_WATER)
    expect(fake.sent).toHaveLength(2)
    drain(fake, SEND_LOW_WATER)
    expect(fake.sent).toHaveLength(3)
    for (let i = 0; fake.sent.length < chunks && i < chunks; i++) drain(fake, 0)
    expect(fake.sent).toHaveLength(chunks)
    expect(fake.sent.map(chunk => chunk[0])).toEqual([...Array.from({ length: chunks - 1 }, () => 1), 0])
  })

  it('at SEND_HIGH_WATER bytes held, sends one more chunk; one byte over, waits', () => {
    const { fake } = sendThrough(4 * CHUNK_BYTES)
    const before = fake.sent.length
    drain(fake, SEND_HIGH_WATER + 1)
    expect(fake.sent).toHaveLength(before)
    drain(fake, SEND_HIGH_WATER)
    expect(fake.sent).toHaveLength(before + 1)
  })

  it('keeps its own threshold when simple-peer sets one for its stream writes', () => {
    const { fake, channel } = sendThrough(1)
    channel.bufferedAmountLowThreshold = 64 * 1024
    expect(fake.bufferedAmountLowThreshold).toBe(SEND_LOW_WATER)
  })
})

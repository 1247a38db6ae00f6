import { afterEach, describe, expect, it, vi } from 'vitest'
import { CHUNK_BYTES, chunkedChannel, MAX_JOINED_BYTES, MessageJoiner, splitMessage } from '../../../../lib/peer/chunked-channel'
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
  closed = false
  send(): void {}
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

import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { CHUNK_BYTES, chunkedChannel, dropEchoes, MAX_JOINED_BYTES, MessageJoiner, SEND_HIGH_WATER, SEND_LOW_WATER, splitMessage } from '../../../../lib/peer/chunked-channel'
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

describe('updates are not sent back to the co-author they came from', () => {
  /** What y-webrtc's room is to us: the origin of what a peer's message applies. */
  const room = { name: 'the room' }

  /** y-webrtc's message of an update: messageSync, then y-protocols' update message. */
  function updateMessage(update: Uint8Array): Uint8Array<ArrayBuffer> {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    syncProtocol.writeUpdate(encoder, update)
    return encoding.toUint8Array(encoder) as Uint8Array<ArrayBuffer>
  }

  /**
   * A doc with two co-authors' channels, wired as y-webrtc wires them: a
   * peer's message is read with y-protocols (origin the room), and every
   * update of the doc goes to every channel.
   */
  function twoPeers(guarded: boolean) {
    const doc = new Y.Doc()
    const stop = guarded ? dropEchoes(doc, () => room) : () => {}
    const peers = ['a', 'b'].map(() => {
      const fake = new FakeChannel()
      const channel = chunkedChannel(fake as unknown as RTCDataChannel)
      channel.onmessage = (event: MessageEvent) => {
        const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer))
        decoding.readVarUint(decoder)
        syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, room)
      }
      return { fake, channel }
    })
    doc.on('update', (update: Uint8Array) => {
      for (const peer of peers) peer.channel.send(updateMessage(update))
    })
    /** Messages sent to a peer's channel, joined back (every one here fits in one chunk). */
    const sentTo = (index: number) => peers[index]!.fake.sent.map(chunk => chunk.subarray(1))
    const deliver = (index: number, message: Uint8Array<ArrayBuffer>) => {
      for (const chunk of splitMessage(message)) peers[index]!.fake.deliver(chunk)
    }
    return { doc, stop, sentTo, deliver }
  }

  /** An update of another author's doc: `key` set to `value` in map "m". */
  function authorUpdate(key: string, value: string, base?: Y.Doc): { doc: Y.Doc, update: Uint8Array } {
    const other = new Y.Doc()
    if (base) Y.applyUpdate(other, Y.encodeStateAsUpdate(base))
    const before = Y.encodeStateVector(other)
    other.getMap('m').set(key, value)
    return { doc: other, update: Y.encodeStateAsUpdate(other, before) }
  }

  it('an update from co-author A goes on to B, not back to A', () => {
    const { doc, sentTo, deliver } = twoPeers(true)
    const { update } = authorUpdate('title', 'from A')
    deliver(0, updateMessage(update))
    expect(doc.getMap('m').get('title')).toBe('from A')
    expect(sentTo(0)).toEqual([])
    expect(sentTo(1)).toHaveLength(1)
  })

  it('without the guard, y-webrtc sends it back to A (what the guard is for)', () => {
    const { sentTo, deliver } = twoPeers(false)
    deliver(0, updateMessage(authorUpdate('title', 'from A').update))
    expect(sentTo(0)).toHaveLength(1)
  })

  it('a change of our own goes to A too, even one made while A\'s message is applied', () => {
    const { doc, sentTo, deliver } = twoPeers(true)
    doc.getMap('m').observe((event) => {
      // An observer that answers a remote change with one of its own (a new transaction of ours).
      if (event.transaction.origin === room && !doc.getMap('m').has('seen')) doc.getMap('m').set('seen', 'yes')
    })
    deliver(0, updateMessage(authorUpdate('title', 'from A').update))
    expect(sentTo(0)).toHaveLength(1)
    const copy = new Y.Doc()
    for (const message of sentTo(0)) {
      const decoder = decoding.createDecoder(message)
      decoding.readVarUint(decoder)
      syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), copy, null)
    }
    expect(copy.getMap('m').get('seen')).toBe('yes')
    doc.getMap('m').set('local', 'typed here')
    expect(sentTo(0)).toHaveLength(2)
  })

  it('while the doc holds a pending update (from C, waiting for what it builds on), A\'s update that lets it in goes back to A as well', () => {
    const { doc, sentTo, deliver } = twoPeers(true)
    const first = authorUpdate('title', 'from A')
    // C's change builds on A's (it overwrites A's title), which this doc has not seen yet: it waits, pending.
    const fromC = authorUpdate('title', 'from C', first.doc)
    Y.applyUpdate(doc, fromC.update, 'C, through the other room')
    expect(doc.store.pendingStructs).not.toBeNull()
    deliver(0, updateMessage(first.update))
    expect(doc.store.pendingStructs).toBeNull()
    expect(doc.getMap('m').get('title')).toBe('from C')
    // A may never have heard from C: it gets the update, which carries C's change.
    expect(sentTo(0).length).toBeGreaterThan(0)
  })

  it('after stop, updates go back to A again', () => {
    const { stop, sentTo, deliver } = twoPeers(true)
    stop()
    deliver(0, updateMessage(authorUpdate('title', 'from A').update))
    expect(sentTo(0)).toHaveLength(1)
  })
})

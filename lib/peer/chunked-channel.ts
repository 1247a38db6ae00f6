/**
 * Data channels that carry messages of any size, for y-webrtc.
 *
 * y-webrtc sends a whole document state in one message when a co-author
 * joins, and Chromium refuses data-channel messages over 256 KiB (a site with
 * one photo is past that), so the late joiner never syncs
 * (https://github.com/yjs/y-webrtc/issues/20). y-webrtc talks to channels
 * through simple-peer, which takes its WebRTC classes from `peerOpts.wrtc`:
 * we hand it a peer connection whose channels split binary messages into
 * chunks and join them on arrival. Both ends run this code. The same
 * channels pace what they send (SEND_HIGH_WATER), and, with dropEchoes, do
 * not send a co-author back the update it just sent.
 *
 * Wire: every binary message starts with one byte, MORE (1) when the next
 * message continues it, LAST (0) when it ends it. Strings pass unchanged.
 */
import type * as Y from 'yjs'
import { MAX_SITE_BYTES } from '../site/site-bytes'
import { errorMessage } from '../../shared/error-message'

/** Payload bytes per chunk: under every browser's message limit (Safari's is 64 KiB). */
export const CHUNK_BYTES = 60 * 1024
/**
 * Chunks go to the channel while it holds at most this many bytes; the rest
 * wait for `bufferedamountlow`. Kept near one chunk: a fresh channel given a
 * whole site at once (6 MB) took a median 2.4 s to deliver it on loopback,
 * paced this way 0.9 s (`npm run bench`, co-editing). What is in flight is
 * not counted in the channel's buffer, so this does not cap the rate on a
 * long path; it only keeps the queue behind it short.
 */
export const SEND_HIGH_WATER = 64 * 1024
/** The channel's `bufferedAmountLowThreshold`: the next chunks are handed over before the last one has left. */
export const SEND_LOW_WATER = 16 * 1024
/**
 * The largest message a peer may send us, joined; past it the channel to that
 * peer is closed, nothing of the message applied. The largest legitimate
 * message is sync step 2, the whole doc, for a co-author who joins: a site's
 * content (at most `MAX_SITE_BYTES` after an import) plus Yjs's structure
 * (ids, map keys, what is left of deleted text) and y-webrtc's framing and
 * encryption, for which 64 MiB is ample. (y-indexeddb keeps what is applied,
 * so this also bounds what one message can add to everyone's storage.)
 */
export const MAX_JOINED_BYTES = MAX_SITE_BYTES + 64 * 1024 * 1024

const LAST = 0
const MORE = 1

function bytesOf(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return null
}

/** Split `message` into chunks, each with its MORE/LAST byte. */
export function splitMessage(message: Uint8Array, size = CHUNK_BYTES): Array<Uint8Array<ArrayBuffer>> {
  const chunks: Array<Uint8Array<ArrayBuffer>> = []
  for (let offset = 0; offset < message.byteLength || chunks.length === 0; offset += size) {
    const part = message.subarray(offset, offset + size)
    const chunk = new Uint8Array(part.byteLength + 1)
    chunk[0] = offset + size >= message.byteLength ? LAST : MORE
    chunk.set(part, 1)
    chunks.push(chunk)
  }
  return chunks
}

/** Joins chunks back into messages; throws on a chunk without a valid flag or a message past the limit. */
export class MessageJoiner {
  private parts: Uint8Array[] = []
  private size = 0

  constructor(private readonly limit = MAX_JOINED_BYTES) {}

  /** Take one chunk; returns the whole message when this chunk ended it. */
  push(chunk: Uint8Array): Uint8Array | null {
    const flag = chunk[0]
    if (flag !== LAST && flag !== MORE) throw new Error(`a data-channel chunk starts with ${String(flag)}, not 0 or 1`)
    const part = chunk.subarray(1)
    this.size += part.byteLength
    if (this.size > this.limit) {
      // Let go of what was buffered: the caller closes the channel, but the joiner may live on with it.
      this.parts = []
      this.size = 0
      throw new Error(`a peer's message is over ${this.limit} bytes, the most a co-author may send at once`)
    }
    this.parts.push(part)
    if (flag === MORE) return null
    const parts = this.parts
    const whole = new Uint8Array(this.size)
    let offset = 0
    for (const piece of parts) {
      whole.set(piece, offset)
      offset += piece.byteLength
    }
    this.parts = []
    this.size = 0
    return whole
  }
}

/** The channel whose joined message is being handed to y-webrtc right now (synchronously), or null. */
let delivering: RTCDataChannel | null = null
/** The update a channel must not be sent back: the one its own message just applied (see dropEchoes). */
let muted: { channel: RTCDataChannel, update: Uint8Array } | null = null

/** y-webrtc's `messageSync` (0), then y-protocols' `messageYjsUpdate` (2), then the update with its length. */
function isEchoOf(message: Uint8Array, update: Uint8Array): boolean {
  if (message[0] !== 0 || message[1] !== 2 || message.byteLength < update.byteLength + 3) return false
  const tail = message.subarray(message.byteLength - update.byteLength)
  for (let i = 0; i < update.byteLength; i++) if (tail[i] !== update[i]) return false
  return true
}

/**
 * Keep y-webrtc from sending a co-author back the update it just sent us.
 * y-webrtc relays every update of the doc to every peer, the one it came
 * from too: a late joiner sent the whole site (6 MB) back to the author who
 * had just sent it, and that author's tab, which also serves visitors,
 * received and applied it again. An update is not sent back when it was
 * applied from a message of that very channel (origin the room, handed over
 * synchronously from here), and the doc held no pending updates before it:
 * then the update holds nothing but what the message did. Otherwise (an
 * update that let a pending one of a third author in, a change of our own,
 * one from another tab through BroadcastChannel) it goes to everyone, as
 * before. Returns the function that stops it.
 */
export function dropEchoes(doc: Y.Doc, room: () => unknown): () => void {
  const clean = new WeakSet<Y.Transaction>()
  const before = (transaction: Y.Transaction) => {
    if (doc.store.pendingStructs === null && doc.store.pendingDs === null) clean.add(transaction)
  }
  const update = (bytes: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    const from = origin !== null && origin === room() && clean.has(transaction) ? delivering : null
    muted = from ? { channel: from, update: bytes } : null
    // y-webrtc sends in this same emit; the update is not kept past it.
    if (from) queueMicrotask(() => {
      if (muted?.update === bytes) muted = null
    })
  }
  doc.on('beforeTransaction', before)
  doc.on('update', update)
  return () => {
    doc.off('beforeTransaction', before)
    doc.off('update', update)
  }
}

/** `channel`, seen through a proxy whose `send` chunks binary data and whose `onmessage` hears joined messages. */
export function chunkedChannel(channel: RTCDataChannel): RTCDataChannel {
  const joiner = new MessageJoiner()
  const queue: Array<Uint8Array<ArrayBuffer>> = []
  const flush = () => {
    while (queue.length > 0 && channel.bufferedAmount <= SEND_HIGH_WATER && channel.readyState === 'open') {
      const next = queue.shift()
      if (next) channel.send(next)
    }
  }
  channel.bufferedAmountLowThreshold = SEND_LOW_WATER
  channel.addEventListener('bufferedamountlow', flush)
  const send = (data: string | Blob | ArrayBuffer | ArrayBufferView) => {
    if (typeof data === 'string') return channel.send(data)
    if (data instanceof Blob) return channel.send(data)
    const bytes = bytesOf(data)
    if (!bytes) return
    if (muted?.channel === channel && isEchoOf(bytes, muted.update)) {
      muted = null
      return
    }
    queue.push(...splitMessage(bytes))
    flush()
  }
  let handler: ((event: MessageEvent) => void) | null = null
  let refused = false
  channel.addEventListener('message', (event: MessageEvent) => {
    // Once refused, nothing more from this peer is heard, even what arrives before the close takes effect.
    if (refused) return
    const bytes = bytesOf(event.data)
    if (!bytes) return handler?.(event)
    let whole: Uint8Array | null
    try {
      whole = joiner.push(bytes)
    }
    catch (error) {
      refused = true
      console.warn('[co-edit] closing the channel to a peer:', errorMessage(error))
      channel.close()
      return
    }
    if (!whole) return
    delivering = channel
    try {
      handler?.(new MessageEvent('message', { data: whole.buffer }))
    }
    finally {
      delivering = null
    }
  })
  return new Proxy(channel, {
    get(target, key) {
      if (key === 'send') return send
      if (key === 'onmessage') return handler
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
    set(target, key, value) {
      if (key === 'onmessage') {
        handler = typeof value === 'function' ? value : null
        return true
      }
      // The pacing above owns the threshold; simple-peer sets its own (64 KiB) for stream writes, which y-webrtc does not use.
      if (key === 'bufferedAmountLowThreshold') return true
      return Reflect.set(target, key, value, target)
    },
  })
}

/**
 * simple-peer's `wrtc` option (y-webrtc's `peerOpts.wrtc`): a peer connection
 * whose data channels, made here or announced by the peer, are chunked.
 * (The class is made on call: Node, where unit tests run, has no RTCPeerConnection.)
 */
export function chunkingWrtc() {
  class ChunkingPeerConnection extends RTCPeerConnection {
    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      return chunkedChannel(super.createDataChannel(label, init))
    }

    override set ondatachannel(listener: ((event: RTCDataChannelEvent) => void) | null) {
      // The event keeps everything but its channel; a proxy is not a platform RTCDataChannel, so no new event can carry it.
      super.ondatachannel = listener && (event => listener(Object.create(event, { channel: { value: chunkedChannel(event.channel) } })))
    }

    override get ondatachannel(): ((event: RTCDataChannelEvent) => void) | null {
      return super.ondatachannel
    }
  }
  return { RTCPeerConnection: ChunkingPeerConnection, RTCSessionDescription, RTCIceCandidate }
}

import { describe, expect, it } from 'vitest'
import {
  encodeFrame, encodeFrames, encodeHead, FrameDecoder, FrameError, FrameType, HeadSchema, INITIAL_WINDOW, MAX_FRAME_PAYLOAD,
  MAX_HEAD_BYTES, RequestHeadSchema, ResetCode, ResponseHeadSchema, type Frame,
} from '../../../../shared/protocol/frames'

const bytes = (...values: number[]) => new Uint8Array(values)
const text = (value: string) => new TextEncoder().encode(value)
const anyDecoder = () => new FrameDecoder(HeadSchema)

/** A raw frame: 9-byte header then `payload`, with `length` overriding the announced length. */
function raw(type: number, stream: number, payload: Uint8Array, length = payload.byteLength): Uint8Array {
  const out = new Uint8Array(9 + payload.byteLength)
  const view = new DataView(out.buffer)
  view.setUint8(0, type)
  view.setUint32(1, stream)
  view.setUint32(5, length)
  out.set(payload, 9)
  return out
}

const FRAMES: Array<[string, Frame]> = [
  ['HEAD (request)', { type: FrameType.HEAD, stream: 1, head: { method: 'GET', url: '/a?b=1', headers: [['accept', 'text/html'], ['x', 'é']] } }],
  ['HEAD (response)', { type: FrameType.HEAD, stream: 1, head: { status: 404, statusText: 'Not Found', headers: [['set-cookie', 'a=1'], ['set-cookie', 'b=2']] } }],
  ['DATA', { type: FrameType.DATA, stream: 3, data: bytes(0, 1, 2, 255) }],
  ['empty DATA', { type: FrameType.DATA, stream: 5, data: new Uint8Array(0) }],
  ['full DATA', { type: FrameType.DATA, stream: 0xFFFF_FFFF, data: new Uint8Array(MAX_FRAME_PAYLOAD).fill(7) }],
  ['END', { type: FrameType.END, stream: 7 }],
  ['RESET', { type: FrameType.RESET, stream: 9, code: ResetCode.TIMEOUT, reason: 'délai dépassé' }],
  ['RESET without a reason', { type: FrameType.RESET, stream: 9, code: 0xFFFF, reason: '' }],
  ['WINDOW', { type: FrameType.WINDOW, stream: 11, credit: INITIAL_WINDOW }],
  ['WINDOW of u32 max', { type: FrameType.WINDOW, stream: 11, credit: 0xFFFF_FFFF }],
]

describe('frames: encode and decode', () => {
  it.each(FRAMES)('round-trips %s', (_name, frame) => {
    const decoder = anyDecoder()
    expect(decoder.push(encodeFrame(frame))).toEqual([frame])
    expect(decoder.buffered).toBe(0)
  })

  it('lays out the header as u8 type, u32 stream, u32 length, big-endian', () => {
    expect([...encodeFrame({ type: FrameType.WINDOW, stream: 0x01020304, credit: 0x0A0B0C0D })])
      .toEqual([5, 1, 2, 3, 4, 0, 0, 0, 4, 0x0A, 0x0B, 0x0C, 0x0D])
    expect([...encodeFrame({ type: FrameType.RESET, stream: 1, code: 0x0102, reason: 'x' })]).toEqual([4, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 120])
  })

  it('decodes several frames from one chunk, in order', () => {
    const all = FRAMES.map(([, frame]) => frame)
    expect(anyDecoder().push(encodeFrames(all))).toEqual(all)
  })

  it.each(FRAMES)('decodes %s split at every byte offset', (_name, frame) => {
    const encoded = encodeFrames([frame, { type: FrameType.END, stream: 1 }])
    // Every offset for the small frames; for the 64 KiB one, every offset near the ends and 60 in between.
    const step = Math.max(1, Math.floor(encoded.byteLength / 60))
    for (let cut = 0; cut <= encoded.byteLength; cut += cut < 40 || cut > encoded.byteLength - 40 ? 1 : step) {
      const decoder = anyDecoder()
      const out = [...decoder.push(encoded.subarray(0, cut)), ...decoder.push(encoded.subarray(cut))]
      expect(out).toEqual([frame, { type: FrameType.END, stream: 1 }])
      expect(decoder.buffered).toBe(0)
    }
  })

  it('decodes a byte-at-a-time stream of every frame', () => {
    const all = FRAMES.filter(([name]) => name !== 'full DATA').map(([, frame]) => frame)
    const decoder = anyDecoder()
    const out: Frame[] = []
    for (const byte of encodeFrames(all)) out.push(...decoder.push(bytes(byte)))
    expect(out).toEqual(all)
  })

  it('returns DATA payloads as views of the chunk (no copy) when a frame is not split', () => {
    const chunk = encodeFrame({ type: FrameType.DATA, stream: 1, data: bytes(1, 2, 3) })
    const [frame] = anyDecoder().push(chunk)
    expect(frame?.type === FrameType.DATA && frame.data.buffer).toBe(chunk.buffer)
  })

  it('keeps request and response heads apart by the decoder\'s schema', () => {
    const request = encodeFrame({ type: FrameType.HEAD, stream: 1, head: { method: 'GET', url: '/', headers: [] } })
    const response = encodeFrame({ type: FrameType.HEAD, stream: 1, head: { status: 200, headers: [] } })
    expect(new FrameDecoder(RequestHeadSchema).push(request)).toHaveLength(1)
    expect(new FrameDecoder(ResponseHeadSchema).push(response)).toHaveLength(1)
    expect(() => new FrameDecoder(RequestHeadSchema).push(response)).toThrow(FrameError)
    expect(() => new FrameDecoder(ResponseHeadSchema).push(request)).toThrow(FrameError)
  })
})

describe('frames: garbage is refused with a FrameError', () => {
  const head = (value: unknown) => raw(FrameType.HEAD, 1, text(JSON.stringify(value)))
  it.each([
    ['an unknown type', raw(9, 1, new Uint8Array(0)), 'unknown-type'],
    ['type zero', raw(0, 1, new Uint8Array(0)), 'unknown-type'],
    ['a DATA length over the maximum (header alone)', raw(FrameType.DATA, 1, new Uint8Array(0), MAX_FRAME_PAYLOAD + 1), 'too-long'],
    ['a HEAD length over the maximum', raw(FrameType.HEAD, 1, new Uint8Array(0), MAX_HEAD_BYTES + 1), 'too-long'],
    ['an END with a payload', raw(FrameType.END, 1, bytes(0)), 'bad-payload'],
    ['a RESET without a code', raw(FrameType.RESET, 1, bytes(0)), 'bad-payload'],
    ['a RESET reason that is not UTF-8', raw(FrameType.RESET, 1, bytes(0, 1, 0xFF)), 'bad-payload'],
    ['a WINDOW of 3 bytes', raw(FrameType.WINDOW, 1, bytes(0, 0, 1)), 'bad-payload'],
    ['a WINDOW of 0', raw(FrameType.WINDOW, 1, bytes(0, 0, 0, 0)), 'bad-payload'],
    ['a head that is not JSON', raw(FrameType.HEAD, 1, text('{nope')), 'bad-head'],
    ['a head that is not UTF-8', raw(FrameType.HEAD, 1, bytes(0xFF, 0xFE)), 'bad-head'],
    ['a head that is a JSON array', head([1, 2]), 'bad-head'],
    ['a lower-case method', head({ method: 'get', url: '/', headers: [] }), 'bad-head'],
    ['a method over 16 characters', head({ method: 'A'.repeat(17), url: '/', headers: [] }), 'bad-head'],
    ['a url that is not a path', head({ method: 'GET', url: 'http://evil/', headers: [] }), 'bad-head'],
    ['a url over 8192 characters', head({ method: 'GET', url: `/${'a'.repeat(8192)}`, headers: [] }), 'bad-head'],
    ['headers that are not pairs', head({ method: 'GET', url: '/', headers: [['a']] }), 'bad-head'],
    ['a header value that is a number', head({ method: 'GET', url: '/', headers: [['a', 1]] }), 'bad-head'],
    ['257 headers', head({ method: 'GET', url: '/', headers: Array.from({ length: 257 }, () => ['a', 'b']) }), 'bad-head'],
    ['a status of 99', head({ status: 99, headers: [] }), 'bad-head'],
    ['a status of 600', head({ status: 600, headers: [] }), 'bad-head'],
    ['a fractional status', head({ status: 200.5, headers: [] }), 'bad-head'],
  ])('refuses %s', (_name, chunk, code) => {
    const decoder = anyDecoder()
    expect(() => decoder.push(chunk)).toThrow(expect.objectContaining({ name: 'FrameError', code }))
    // The stream cannot resynchronise: the decoder keeps refusing.
    expect(() => decoder.push(encodeFrame({ type: FrameType.END, stream: 1 }))).toThrow(FrameError)
  })

  it('refuses an over-long header as soon as the header is complete, before its payload', () => {
    const decoder = anyDecoder()
    const header = raw(FrameType.DATA, 1, new Uint8Array(0), 1 << 30)
    expect(decoder.push(header.subarray(0, 5))).toEqual([])
    expect(() => decoder.push(header.subarray(5))).toThrow(FrameError)
  })

  it.each([1, 8, 9, 12])('reports input truncated after %i bytes of a frame', (cut) => {
    const decoder = anyDecoder()
    expect(decoder.push(encodeFrame({ type: FrameType.DATA, stream: 1, data: bytes(1, 2, 3, 4, 5) }).subarray(0, cut))).toEqual([])
    expect(() => decoder.end()).toThrow(expect.objectContaining({ code: 'truncated' }))
  })

  it.each<[string, Frame]>([
    ['an oversized DATA frame', { type: FrameType.DATA, stream: 1, data: new Uint8Array(MAX_FRAME_PAYLOAD + 1) }],
    ['a stream id over u32', { type: FrameType.END, stream: 2 ** 32 }],
    ['a negative stream id', { type: FrameType.END, stream: -1 }],
    ['a RESET code over u16', { type: FrameType.RESET, stream: 1, code: 0x10000, reason: '' }],
    ['a WINDOW of 0', { type: FrameType.WINDOW, stream: 1, credit: 0 }],
    ['a WINDOW over u32', { type: FrameType.WINDOW, stream: 1, credit: 2 ** 32 }],
    ['a head with a bad status', { type: FrameType.HEAD, stream: 1, head: { status: 700, headers: [] } }],
    ['a head with a bad method', { type: FrameType.HEAD, stream: 1, head: { method: 'get', url: '/', headers: [] } }],
  ])('refuses to encode %s', (_name, frame) => {
    expect(() => encodeFrame(frame)).toThrow(FrameError)
  })

  it('encodes a head without fields its schema does not know', () => {
    const head = { status: 200, headers: [], extra: 'dropped' }
    expect(JSON.parse(new TextDecoder().decode(encodeHead(head)))).toEqual({ status: 200, headers: [] })
  })
})

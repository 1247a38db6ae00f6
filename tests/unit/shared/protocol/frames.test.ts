import { describe, expect, it } from 'vitest'
import {
  decodeHead, encodeFrame, encodeHead, FrameDecoder, FrameError, FrameType, MAX_FRAME_PAYLOAD,
  RequestHeadSchema, ResponseHeadSchema, type Frame,
} from '../../../../shared/protocol/frames'

const bytes = (...values: number[]) => new Uint8Array(values)

const FRAMES: Array<[string, Frame]> = [
  ['HEAD', { type: FrameType.HEAD, stream: 1, head: encodeHead({ method: 'GET', url: '/a?b=1', headers: [['accept', 'text/html']] }) }],
  ['DATA', { type: FrameType.DATA, stream: 3, data: bytes(0, 1, 2, 255) }],
  ['empty DATA', { type: FrameType.DATA, stream: 5, data: new Uint8Array(0) }],
  ['full DATA', { type: FrameType.DATA, stream: 0xFFFFFFFF, data: new Uint8Array(MAX_FRAME_PAYLOAD).fill(7) }],
  ['END', { type: FrameType.END, stream: 7 }],
  ['RESET', { type: FrameType.RESET, stream: 9, code: 4, reason: 'délai dépassé' }],
  ['WINDOW', { type: FrameType.WINDOW, stream: 11, credit: 1 << 20 }],
]

describe('frames', () => {
  it.each(FRAMES)('round-trips %s', (_name, frame) => {
    expect(new FrameDecoder().push(encodeFrame(frame))).toEqual([frame])
  })

  it('decodes several frames from one chunk', () => {
    const all = FRAMES.map(([, frame]) => encodeFrame(frame))
    const joined = new Uint8Array(all.reduce((n, f) => n + f.byteLength, 0))
    let offset = 0
    for (const f of all) {
      joined.set(f, offset)
      offset += f.byteLength
    }
    expect(new FrameDecoder().push(joined)).toEqual(FRAMES.map(([, frame]) => frame))
  })

  it('decodes a frame split at every byte offset', () => {
    const frame: Frame = { type: FrameType.RESET, stream: 42, code: 1, reason: 'stop' }
    const encoded = encodeFrame(frame)
    for (let cut = 0; cut <= encoded.byteLength; cut++) {
      const decoder = new FrameDecoder()
      const first = decoder.push(encoded.subarray(0, cut))
      const second = decoder.push(encoded.subarray(cut))
      expect([...first, ...second]).toEqual([frame])
      expect(decoder.buffered).toBe(0)
    }
  })

  it('decodes a byte-at-a-time stream of mixed frames', () => {
    const decoder = new FrameDecoder()
    const out: Frame[] = []
    for (const [, frame] of FRAMES.slice(0, 3)) for (const byte of encodeFrame(frame)) out.push(...decoder.push(bytes(byte)))
    expect(out).toEqual(FRAMES.slice(0, 3).map(([, frame]) => frame))
  })

  it.each([
    ['an unknown type', bytes(9, 0, 0, 0, 1, 0, 0, 0, 0)],
    ['type zero', bytes(0, 0, 0, 0, 1, 0, 0, 0, 0)],
    ['a DATA length over the maximum', bytes(2, 0, 0, 0, 1, 0, 1, 0, 1)],
    ['an END with a payload', bytes(3, 0, 0, 0, 1, 0, 0, 0, 1, 0)],
    ['a RESET without a code', bytes(4, 0, 0, 0, 1, 0, 0, 0, 1, 0)],
    ['a WINDOW of 3 bytes', bytes(5, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 1)],
  ])('refuses %s', (_name, chunk) => {
    expect(() => new FrameDecoder().push(chunk)).toThrow(FrameError)
  })

  it('refuses to encode an oversized DATA frame', () => {
    expect(() => encodeFrame({ type: FrameType.DATA, stream: 1, data: new Uint8Array(MAX_FRAME_PAYLOAD + 1) })).toThrow(FrameError)
  })

  it.each([
    ['not JSON', new TextEncoder().encode('{nope')],
    ['not UTF-8', bytes(0xFF, 0xFE)],
    ['a lower-case method', encodeHead({ method: 'get', url: '/', headers: [] })],
    ['a url that is not a path', new TextEncoder().encode(JSON.stringify({ method: 'GET', url: 'http://evil/', headers: [] }))],
    ['headers that are not pairs', new TextEncoder().encode(JSON.stringify({ method: 'GET', url: '/', headers: [['a']] }))],
  ])('refuses a request head that is %s', (_name, payload) => {
    expect(() => decodeHead(payload, RequestHeadSchema)).toThrow(FrameError)
  })

  it.each([99, 600, 200.5])('refuses a response status of %s', (status) => {
    expect(() => decodeHead(encodeHead({ status, headers: [] }), ResponseHeadSchema)).toThrow(FrameError)
  })
})

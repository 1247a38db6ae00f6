import { describe, expect, it } from 'vitest'
import { SiteNameSchema, siteNameProblem } from '../../../../shared/protocol/site'
import {
  MAX_RELAY_PAYLOAD_BYTES, MAX_SIGNAL_BYTES, SESSION_ID_LENGTH, decodeRelay, decodeServerSignal, decodeSignal,
  encodeRelay, encodeSignal, isRelayFrame, type ClientMessage, type ServerMessage,
} from '../../../../shared/protocol/signal'

const session = 'AbCdEfGhIjKlMn_-'

describe('site names', () => {
  it.each(['abc', 'my-blog', 'a1-b2-c3', '123', 'x'.repeat(40)])('accepts %s', (name) => {
    expect(siteNameProblem(name)).toBeNull()
    expect(SiteNameSchema.safeParse(name).success).toBe(true)
  })

  it.each([
    ['', 'at least 3'],
    ['ab', 'at least 3'],
    ['x'.repeat(41), 'at most 40'],
    ['My-Blog', 'lowercase'],
    ['my_blog', 'lowercase'],
    ['my.blog', 'lowercase'],
    ['café', 'lowercase'],
    ['-blog', 'start with'],
    ['blog-', 'end with'],
    ['xn--blog', '3rd and 4th'],
  ])('refuses %j: %s', (name, hint) => {
    expect(siteNameProblem(name)).toContain(hint)
  })
})

describe('decodeSignal', () => {
  it.each<ClientMessage>([
    { type: 'host', site: 'blog' },
    { type: 'host', site: 'blog', token: 'secret' },
    { type: 'visit', site: 'blog' },
    { type: 'signal', session, data: { description: { type: 'offer', sdp: 'v=0' } } },
    { type: 'signal', session, data: { candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null } } },
    { type: 'signal', session, data: { candidate: null } },
    { type: 'leave', session },
    { type: 'ping' },
  ])('round-trips $type', (message) => {
    expect(decodeSignal(encodeSignal(message))).toEqual({ ok: true, message })
  })

  it.each([
    ['not JSON', '{nope', 'bad-json'],
    ['empty text', '', 'bad-json'],
    ['a JSON array', '[1,2]', 'bad-message'],
    ['a JSON string', '"ping"', 'bad-message'],
    ['null', 'null', 'bad-message'],
    ['no type', '{"site":"blog"}', 'bad-message'],
    ['a numeric type', '{"type":7}', 'bad-message'],
    ['an unknown type', '{"type":"subscribe"}', 'unknown-type'],
    ['a server-only type', '{"type":"visitor","session":"AbCdEfGhIjKlMn_-"}', 'unknown-type'],
    ['too long', JSON.stringify({ type: 'ping', pad: 'x'.repeat(MAX_SIGNAL_BYTES) }), 'too-large'],
    ['too long in UTF-8 only', JSON.stringify({ type: 'ping', pad: 'é'.repeat(MAX_SIGNAL_BYTES / 2) }), 'too-large'],
  ])('refuses %s with %s', (_, text, code) => {
    const result = decodeSignal(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatchObject({ type: 'error', code })
  })

  it('names the field at fault', () => {
    const result = decodeSignal('{"type":"visit","site":"Bad Name"}')
    expect(result.ok || result.error.message).toMatch(/site: .*lowercase/)
  })

  it('drops fields the schema does not know', () => {
    const result = decodeSignal(JSON.stringify({ type: 'leave', session, from: 'someone-else' }))
    expect(result).toEqual({ ok: true, message: { type: 'leave', session } })
  })

  it('decodes what the server sends, and refuses what it would not', () => {
    const visiting: ServerMessage = { type: 'visiting', session, site: 'blog', iceServers: [{ urls: ['stun:a', 'turn:b'], username: 'u', credential: 'c' }] }
    expect(decodeServerSignal(encodeSignal(visiting))).toEqual({ ok: true, message: visiting })
    // `visitor` with the session's ICE servers (a TURN credential), and without them as older servers send it.
    const visitor: ServerMessage = { type: 'visitor', session, iceServers: [{ urls: ['turn:b'], username: '1767003600:x', credential: 'c' }] }
    expect(decodeServerSignal(encodeSignal(visitor))).toEqual({ ok: true, message: visitor })
    expect(decodeServerSignal(JSON.stringify({ type: 'visitor', session }))).toEqual({ ok: true, message: { type: 'visitor', session } })
    expect(decodeServerSignal(JSON.stringify({ type: 'visitor', session, iceServers: 'turn:b' }))).toMatchObject({ ok: false, error: { code: 'bad-message' } })
    expect(decodeServerSignal('{"type":"host","site":"blog"}')).toMatchObject({ ok: false, error: { code: 'unknown-type' } })
    expect(decodeServerSignal('{"type":"error","code":"teapot","message":""}')).toMatchObject({ ok: false, error: { code: 'bad-message' } })
  })

  it('carries the session\'s relay rate in visiting and visitor, optional as older servers send neither', () => {
    const relay = { bytesPerSecond: 2 * 1024 * 1024, burstBytes: 16 * 1024 * 1024 }
    const visiting: ServerMessage = { type: 'visiting', session, site: 'blog', iceServers: [], relay }
    const visitor: ServerMessage = { type: 'visitor', session, relay }
    expect(decodeServerSignal(encodeSignal(visiting))).toEqual({ ok: true, message: visiting })
    expect(decodeServerSignal(encodeSignal(visitor))).toEqual({ ok: true, message: visitor })
    expect(decodeServerSignal(JSON.stringify({ type: 'visiting', session, site: 'blog', iceServers: [] }))).toEqual({ ok: true, message: { type: 'visiting', session, site: 'blog', iceServers: [] } })
    const refused = decodeServerSignal(JSON.stringify({ ...visitor, relay: { bytesPerSecond: 0, burstBytes: 1 } }))
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-message' } })
    const named = { type: 'error', code: 'relay-rate', message: 'dropped', session }
    expect(decodeServerSignal(JSON.stringify(named))).toEqual({ ok: true, message: named })
  })

  it('refuses to encode an oversized message', () => {
    expect(() => encodeSignal({ type: 'signal', session, data: { description: { type: 'offer', sdp: 'x'.repeat(MAX_SIGNAL_BYTES) } } })).toThrow(RangeError)
  })
})

describe('relay frames', () => {
  it('round-trips a payload, byte for byte', () => {
    const payload = new Uint8Array([0, 1, 2, 255, 123])
    const frame = encodeRelay(session, payload)
    expect(frame[0]).toBe(SESSION_ID_LENGTH)
    expect(new TextDecoder().decode(frame.subarray(1, 1 + SESSION_ID_LENGTH))).toBe(session)
    const decoded = decodeRelay(frame)
    expect(decoded.ok && [decoded.session, [...decoded.payload]]).toEqual([session, [...payload]])
    expect(isRelayFrame(frame)).toBe(true)
  })

  it('carries an empty payload and the largest one', () => {
    expect(decodeRelay(encodeRelay(session, new Uint8Array()))).toMatchObject({ ok: true, session })
    const big = encodeRelay(session, new Uint8Array(MAX_RELAY_PAYLOAD_BYTES))
    expect(big.length).toBe(MAX_SIGNAL_BYTES)
    expect(() => encodeRelay(session, new Uint8Array(MAX_RELAY_PAYLOAD_BYTES + 1))).toThrow(RangeError)
    expect(() => encodeRelay('short', new Uint8Array())).toThrow(TypeError)
  })

  it.each([
    ['empty', new Uint8Array()],
    ['n = 0', new Uint8Array([0, 1, 2])],
    ['shorter than n', new Uint8Array([16, 65, 66])],
    ['an id that is not base64url', new Uint8Array([16, ...new TextEncoder().encode('AbCdEfGhIjKlMn!?'), 1])],
    ['an id of the wrong length', new Uint8Array([3, 65, 66, 67, 1])],
  ])('refuses a frame that is %s', (_, frame) => {
    expect(decodeRelay(frame)).toMatchObject({ ok: false, error: { code: 'bad-message' } })
  })

  it('refuses an oversized frame', () => {
    expect(decodeRelay(new Uint8Array(MAX_SIGNAL_BYTES + 1).fill(16))).toMatchObject({ ok: false, error: { code: 'too-large' } })
  })

  it.each([
    ['{"type":"ping"}', false],
    [' {"type":"ping"}', false],
    ['\n{"type":"ping"}', false],
    ['\t{}', false],
    ['\r\n{}', false],
    ['', false],
  ])('tells JSON text %j from a relay frame', (text, relay) => {
    expect(isRelayFrame(new TextEncoder().encode(text))).toBe(relay)
  })
})

import { describe, expect, it } from 'vitest'
import { MAX_SIGNAL_BYTES, encodeRelay } from '../../../../../shared/protocol/signal'
import { parseIceServers } from '../../../../../server/utils/signaling/config'
import { toSignalingData } from '../../../../../server/utils/signaling/incoming'
import { isAllowedSignalingOrigin } from '../../../../../server/utils/signaling/origin'
import { createRecordingLog } from './fake-peers'

const LOCAL = 'http://{site}.localhost:{port}'
const DEPLOYED = 'https://{site}.sites.example.edu'

describe('isAllowedSignalingOrigin', () => {
  it.each([
    ['no Origin (not a browser)', undefined, 'localhost:3000', LOCAL],
    ['the same host', 'http://localhost:3000', 'localhost:3000', LOCAL],
    ['the same host, other case', 'http://LocalHost:3000', 'localhost:3000', LOCAL],
    ['a site origin on the app', 'http://blog.localhost:3000', 'localhost:3000', LOCAL],
    ['a site origin on itself', 'http://blog.localhost:3000', 'blog.localhost:3000', LOCAL],
    ['localhost on another port', 'http://localhost:5173', 'localhost:3000', LOCAL],
    ['127.0.0.1 on any port', 'http://127.0.0.1:8080', 'localhost:3000', LOCAL],
    ['[::1]', 'http://[::1]:3000', 'localhost:3000', LOCAL],
    ['a subdomain of the deployed host', 'https://blog.example.edu', 'example.edu', DEPLOYED],
    ['a site origin of the deployed pattern', 'https://blog.sites.example.edu', 'example.edu', DEPLOYED],
    ['the deployed host itself', 'https://example.edu', 'example.edu', DEPLOYED],
  ])('allows %s', (_, origin, host, pattern) => {
    expect(isAllowedSignalingOrigin(origin, host, pattern)).toBe(true)
  })

  it.each([
    ['another website', 'https://evil.example.com', 'example.edu', DEPLOYED],
    ['a look-alike suffix', 'https://evilexample.edu', 'example.edu', DEPLOYED],
    ['a subdomain on another port', 'https://blog.example.edu:8443', 'example.edu', DEPLOYED],
    ['another website against localhost', 'https://evil.example.com', 'localhost:3000', LOCAL],
    ['localhost as a label of another domain', 'https://localhost.evil.com', 'localhost:3000', LOCAL],
    ['an opaque origin', 'null', 'localhost:3000', LOCAL],
    ['a file origin', 'file://', 'localhost:3000', LOCAL],
    ['garbage', 'not a url', 'localhost:3000', LOCAL],
    ['an empty Origin', '', 'localhost:3000', LOCAL],
  ])('refuses %s', (_, origin, host, pattern) => {
    expect(isAllowedSignalingOrigin(origin, host, pattern)).toBe(false)
  })
})

describe('toSignalingData', () => {
  const asBytes = (value: Uint8Array) => () => value
  it('passes strings through', () => {
    expect(toSignalingData('{"type":"ping"}', () => { throw new Error('not called') })).toBe('{"type":"ping"}')
  })

  it('reads bytes that start like JSON text as text (crossws Node adapter)', () => {
    const raw = Buffer.from(' {"type":"ping"}')
    expect(toSignalingData(raw, asBytes(raw))).toBe(' {"type":"ping"}')
    const garbage = Buffer.from('hello')
    expect(toSignalingData(garbage, asBytes(garbage))).toBe('hello')
  })

  it('keeps relay frames and oversized messages as bytes', () => {
    const frame = encodeRelay('AbCdEfGhIjKlMn_-', new Uint8Array([123, 34]))
    expect(toSignalingData(frame, asBytes(frame))).toBe(frame)
    const big = new Uint8Array(MAX_SIGNAL_BYTES + 1).fill(123)
    expect(toSignalingData(big, asBytes(big))).toBe(big)
  })
})

describe('parseIceServers', () => {
  it('accepts RTCIceServer arrays and nothing', () => {
    const log = createRecordingLog()
    const servers = [{ urls: 'stun:stun.l.google.com:19302' }, { urls: ['turn:t.example.org'], username: 'u', credential: 'p' }]
    expect(parseIceServers(servers, log)).toEqual(servers)
    expect(parseIceServers(undefined, log)).toEqual([])
    expect(parseIceServers([], log)).toEqual([])
    expect(log.lines).toEqual([])
  })

  it.each([['a string', 'stun:x'], ['entries without urls', [{ url: 'stun:x' }]], ['an object', { urls: 'stun:x' }]])('logs and ignores %s', (_, value) => {
    const log = createRecordingLog()
    expect(parseIceServers(value, log)).toEqual([])
    expect(log.lines[0]?.level).toBe('error')
  })
})

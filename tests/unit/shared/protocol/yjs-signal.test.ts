import { describe, expect, it } from 'vitest'
import {
  MAX_YJS_SIGNAL_BYTES, decodeYjsServerSignal, decodeYjsSignal, encodeYjsSignal,
  type YjsServerMessage, type YjsSignalMessage,
} from '../../../../shared/protocol/yjs-signal'

describe('decodeYjsSignal', () => {
  // What y-webrtc 10 sends (src/y-webrtc.js): subscribe on connect (topics may be empty), announce and signal publishes.
  it.each<YjsSignalMessage>([
    { type: 'subscribe', topics: [] },
    { type: 'subscribe', topics: ['my-room', 'другая комната'] },
    { type: 'unsubscribe', topics: ['my-room'] },
    { type: 'publish', topic: 'my-room', data: 'AAECAwQ=' },
    { type: 'publish', topic: 'my-room', data: { type: 'announce', from: 'c0ffee' } },
    { type: 'publish', topic: 'my-room', data: { to: 'a', from: 'b', type: 'signal', token: 1.5, signal: { type: 'offer', sdp: 'v=0' } } },
    { type: 'ping' },
  ])('round-trips %j', (message) => {
    expect(decodeYjsSignal(encodeYjsSignal(message))).toEqual({ ok: true, message })
  })

  it('drops fields it does not know, outside the opaque payload', () => {
    const decoded = decodeYjsSignal(JSON.stringify({ type: 'publish', topic: 'r', data: { keep: 1 }, clients: 5, from: 'x' }))
    expect(decoded).toEqual({ ok: true, message: { type: 'publish', topic: 'r', data: { keep: 1 } } })
  })

  it('refuses server messages', () => {
    expect(decodeYjsSignal('{"type":"pong"}')).toMatchObject({ ok: false, error: { code: 'unknown-type' } })
  })
})

describe('decodeYjsServerSignal', () => {
  it.each<YjsServerMessage>([
    { type: 'publish', topic: 'r', data: 'AAE=', clients: 2 },
    { type: 'pong' },
    { type: 'error', code: 'too-many-topics', message: 'no' },
  ])('round-trips %j', (message) => {
    expect(decodeYjsServerSignal(encodeYjsSignal(message))).toEqual({ ok: true, message })
  })

  it.each([
    ['a publish without clients', { type: 'publish', topic: 'r', data: 'x' }],
    ['a negative count', { type: 'publish', topic: 'r', data: 'x', clients: -1 }],
    ['an unknown error code', { type: 'error', code: 'nope', message: '' }],
  ])('refuses %s', (_, message) => {
    expect(decodeYjsServerSignal(JSON.stringify(message)).ok).toBe(false)
  })
})

describe('encodeYjsSignal', () => {
  it('throws a RangeError over the size limit', () => {
    expect(() => encodeYjsSignal({ type: 'publish', topic: 'r', data: 'x'.repeat(MAX_YJS_SIGNAL_BYTES) })).toThrow(RangeError)
  })
})

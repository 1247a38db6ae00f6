import { describe, expect, it } from 'vitest'
import { MAX_SIGNAL_BYTES } from '../../../../../shared/protocol/signal'
import { DEFAULT_RELAY_RATE, createTestHub } from './fake-peers'

const session = 'AbCdEfGhIjKlMn_-'
const offer = { description: { type: 'offer', sdp: 'v=0' } }

/** A hub with a host, a visitor in a session, and a third peer for the bad input. */
async function scene() {
  const test = createTestHub()
  const server = await test.host('blog')
  const visitor = await test.visit('blog')
  const stranger = test.connect()
  server.take()
  /** The hub still does its job for everyone: new visitors, relaying, ping. */
  async function stillServes() {
    await visitor.say({ type: 'signal', session: visitor.session, data: { candidate: null } })
    expect(server.take()).toEqual([{ type: 'signal', session: visitor.session, data: { candidate: null } }])
    const late = await test.visit('blog')
    expect(server.take()).toEqual([{ type: 'visitor', session: late.session, relay: DEFAULT_RELAY_RATE }])
    await stranger.say({ type: 'ping' })
    expect(stranger.take()).toEqual([{ type: 'pong' }])
  }
  return { ...test, server, visitor, stranger, stillServes }
}

describe('signaling hub: bad input', () => {
  it.each([
    ['not JSON', '{"type":"ping"', 'bad-json'],
    ['binary garbage as text', '\u0000\u0001\u0002', 'bad-json'],
    ['a JSON array', '[]', 'bad-message'],
    ['a JSON number', '42', 'bad-message'],
    ['no type', '{}', 'bad-message'],
    ['an unknown type', '{"type":"subscribe","topic":"x"}', 'unknown-type'],
    ['a server message: visitor', JSON.stringify({ type: 'visitor', session }), 'unknown-type'],
    ['a server message: hosting', JSON.stringify({ type: 'hosting', site: 'blog', token: 'x' }), 'unknown-type'],
    ['a server message: invite', JSON.stringify({ type: 'invite', invite: 'A'.repeat(43), expiresAt: 0 }), 'unknown-type'],
    ['a server message: enrolled', JSON.stringify({ type: 'enrolled', site: 'blog' }), 'unknown-type'],
    ['a server message: session-closed', JSON.stringify({ type: 'session-closed', session, reason: 'host-left' }), 'unknown-type'],
    ['an oversized message', JSON.stringify({ type: 'ping', pad: 'x'.repeat(MAX_SIGNAL_BYTES) }), 'too-large'],
  ])('answers %s with %s, then serves everyone', async (_, text, code) => {
    const { stranger, stillServes } = await scene()
    await stranger.say(text)
    expect(stranger.take()).toEqual([{ type: 'error', code, message: expect.any(String) }])
    await stillServes()
  })

  it.each([
    ['host: site is a number', { type: 'host', site: 42 }],
    ['host: site is not a DNS label', { type: 'host', site: '-blog-' }],
    ['host: site is missing', { type: 'host' }],
    ['host: token is a number', { type: 'host', site: 'mine', token: 123 }],
    ['host: token is an object', { type: 'host', site: 'mine', token: { $ne: null } }],
    ['visit: site is null', { type: 'visit', site: null }],
    ['visit: site is an array', { type: 'visit', site: ['blog'] }],
    ['signal: session is missing', { type: 'signal', data: offer }],
    ['signal: session is a number', { type: 'signal', session: 1, data: offer }],
    ['signal: session is malformed', { type: 'signal', session: '../../etc', data: offer }],
    ['signal: data is missing', { type: 'signal', session }],
    ['signal: data is a string', { type: 'signal', session, data: 'offer' }],
    ['signal: description type is unknown', { type: 'signal', session, data: { description: { type: 'hello', sdp: '' } } }],
    ['signal: sdp is a number', { type: 'signal', session, data: { description: { type: 'offer', sdp: 1 } } }],
    ['signal: candidate is a string', { type: 'signal', session, data: { candidate: 'candidate:1' } }],
    ['signal: sdpMLineIndex is negative', { type: 'signal', session, data: { candidate: { candidate: '', sdpMLineIndex: -1 } } }],
    ['leave: session is an object', { type: 'leave', session: {} }],
    ['host: key is not base64url', { type: 'host', site: 'mine', key: 'MFkw/EwYH+'.repeat(12), signature: 'A'.repeat(86) }],
    ['host: key is a number', { type: 'host', site: 'mine', key: 42 }],
    ['host: signature is too short', { type: 'host', site: 'mine', key: 'A'.repeat(122), signature: 'A'.repeat(85) }],
    ['enrol: invite is missing', { type: 'enrol', site: 'mine', key: 'A'.repeat(122), signature: 'A'.repeat(86) }],
    ['enrol: signature is missing', { type: 'enrol', site: 'mine', key: 'A'.repeat(122), invite: 'A'.repeat(43) }],
    ['enrol: site is not a DNS label', { type: 'enrol', site: '../blog', key: 'A'.repeat(122), invite: 'A'.repeat(43), signature: 'A'.repeat(86) }],
    ['invite-mint: ttlSeconds is a string', { type: 'invite-mint', ttlSeconds: '3600' }],
    ['invite-revoke: invite is too long', { type: 'invite-revoke', invite: 'A'.repeat(44) }],
    ['type is the right word in the wrong case', { type: 'PING' }],
  ])('answers bad-message or unknown-type to %s', async (_, message) => {
    const { stranger, stillServes } = await scene()
    await stranger.say(JSON.stringify(message))
    const [reply] = stranger.take()
    expect(reply?.type === 'error' && ['bad-message', 'unknown-type'].includes(reply.code)).toBe(true)
    await stillServes()
  })

  it.each([
    ['signal', { type: 'signal', session: 'NOT-A-SESSION-00', data: offer }],
    ['leave', { type: 'leave', session: 'NOT-A-SESSION-00' }],
  ])('refuses %s for a session that does not exist', async (_, message) => {
    const { stranger, stillServes } = await scene()
    await stranger.say(JSON.stringify(message))
    expect(stranger.take()).toEqual([{ type: 'error', code: 'not-your-session', message: expect.stringContaining('NOT-A-SESSION-00') }])
    await stillServes()
  })

  it('refuses a signal or leave for a session the sender is not in, and relays nothing', async () => {
    const { server, visitor, stranger, stillServes } = await scene()
    await stranger.say({ type: 'signal', session: visitor.session, data: { description: { type: 'answer', sdp: 'evil' } } })
    await stranger.say({ type: 'leave', session: visitor.session })
    expect(stranger.take().map(reply => reply.type === 'error' && reply.code)).toEqual(['not-your-session', 'not-your-session'])
    expect(server.take()).toEqual([])
    expect(visitor.take()).toEqual([])
    await stillServes()
  })

  it('ignores forged sender fields: the connection says who sent a message', async () => {
    const { server, visitor, stranger } = await scene()
    const forged = { type: 'signal', session: visitor.session, data: { ...offer, from: server.id }, from: server.id, peer: server.id }
    await stranger.say(JSON.stringify(forged))
    expect(stranger.take()[0]).toMatchObject({ code: 'not-your-session' })
    await visitor.say(JSON.stringify({ ...forged, from: 'someone-else' }))
    expect(server.take()).toEqual([{ type: 'signal', session: visitor.session, data: offer }])
  })

  it('does not let a visitor pose as a host of a site by sending visitor messages', async () => {
    const { server, stranger, stillServes } = await scene()
    await stranger.say(JSON.stringify({ type: 'visitor', session }))
    expect(stranger.take()[0]).toMatchObject({ code: 'unknown-type' })
    expect(server.take()).toEqual([])
    await stillServes()
  })

  it('ignores messages from a peer it does not know, and disconnects of unknown peers', async () => {
    const { hub, log, stillServes } = await scene()
    await hub.message('ghost', '{"type":"ping"}')
    hub.disconnect('ghost')
    expect(log.lines.some(line => line.message.includes('ghost'))).toBe(true)
    await stillServes()
  })

  it('keeps going when sending to a peer throws', async () => {
    const { hub, log, connect, stillServes } = await scene()
    hub.connect({ id: 'broken', send: () => { throw new Error('socket gone') }, sendBinary: () => undefined, close: () => undefined })
    await hub.message('broken', '{"type":"ping"}')
    expect(log.lines.some(line => line.level === 'warn' && line.message.includes('broken'))).toBe(true)
    connect()
    await stillServes()
  })

  it('forgets the old entry when a peer id connects twice', async () => {
    const { hub, server, visitor, visit } = await scene()
    hub.connect({ id: visitor.id, send: () => undefined, sendBinary: () => undefined, close: () => undefined })
    expect(server.take()).toEqual([{ type: 'session-closed', session: visitor.session, reason: 'visitor-left' }])
    expect(hub.stats()).toEqual({ peers: 3, sessions: 0 })
    const late = await visit('blog')
    expect(server.take()).toEqual([{ type: 'visitor', session: late.session, relay: DEFAULT_RELAY_RATE }])
  })
})

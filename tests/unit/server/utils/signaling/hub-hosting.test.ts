import { describe, expect, it } from 'vitest'
import { createMemorySiteRegistry, type SiteRegistry } from '../../../../../server/utils/signaling/registry'
import { DEFAULT_RELAY_RATE, createTestHub } from './fake-peers'

describe('signaling hub: hosting', () => {
  it('registers the first host of a name and hands it an owner token', async () => {
    const { connect, log } = createTestHub()
    const host = connect()
    await host.say({ type: 'host', site: 'blog' })
    const [reply] = host.take()
    expect(reply).toMatchObject({ type: 'hosting', site: 'blog', token: expect.stringMatching(/^[\w-]{43}$/), code: expect.stringMatching(/^[A-Z]{6}$/) })
    expect(log.lines.filter(line => line.level !== 'info')).toEqual([])
  })

  it.each([
    ['without a token', undefined],
    ['with a wrong token', 'guessed-token'],
  ])('refuses a taken name %s', async (_, token) => {
    const { connect, host } = createTestHub()
    await host('blog')
    const other = connect()
    await other.say(token === undefined ? { type: 'host', site: 'blog' } : { type: 'host', site: 'blog', token })
    expect(other.take()).toEqual([{ type: 'error', code: 'name-taken', message: 'that name is taken' }])
  })

  it('lets a holder of the token host the same site too (co-authors)', async () => {
    const { host, visit, hub } = createTestHub()
    const first = await host('blog')
    const second = await host('blog', first.token)
    expect(second.token).toBe(first.token)
    await visit('blog')
    await visit('blog')
    expect([first.take(), second.take()]).toEqual([[{ type: 'visitor', session: expect.any(String), relay: DEFAULT_RELAY_RATE }], [{ type: 'visitor', session: expect.any(String), relay: DEFAULT_RELAY_RATE }]])
    expect(hub.stats()).toEqual({ peers: 4, sessions: 2 })
  })

  it('keeps the name when its host leaves and comes back with the token', async () => {
    const { hub, host, connect } = createTestHub()
    const first = await host('blog')
    hub.disconnect(first.id)
    const squatter = connect()
    await squatter.say({ type: 'host', site: 'blog' })
    expect(squatter.take()[0]).toMatchObject({ code: 'name-taken' })
    expect((await host('blog', first.token)).token).toBe(first.token)
  })

  it('hosts one site per connection', async () => {
    const { host } = createTestHub()
    const peer = await host('blog')
    await peer.say({ type: 'host', site: 'wiki' })
    await peer.say({ type: 'host', site: 'blog', token: peer.token })
    expect(peer.take().map(message => message.type === 'error' && message.code)).toEqual(['already-hosting', 'already-hosting'])
  })

  it('refuses a second host message sent before the first one is answered', async () => {
    const { connect } = createTestHub()
    const peer = connect()
    await Promise.all([peer.say({ type: 'host', site: 'blog' }), peer.say({ type: 'host', site: 'wiki' })])
    expect(peer.take().map(message => message.type)).toEqual(['error', 'hosting'])
  })

  it('does not register a host that left while its claim was pending', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const inner = createMemorySiteRegistry()
    const registry: SiteRegistry = { ...inner, claim: async (site, token) => gate.then(() => inner.claim(site, token)) }
    const { hub, connect } = createTestHub({ registry })
    const peer = connect()
    const pending = peer.say({ type: 'host', site: 'blog' })
    hub.disconnect(peer.id)
    release()
    await pending
    expect(peer.take()).toEqual([])
    const visitor = connect()
    await visitor.say({ type: 'visit', site: 'blog' })
    expect(visitor.take()[0]).toMatchObject({ code: 'no-host' })
  })

  it('answers ping with pong', async () => {
    const { connect } = createTestHub()
    const peer = connect()
    await peer.say({ type: 'ping' })
    expect(peer.take()).toEqual([{ type: 'pong' }])
  })

  it('answers internal when the registry fails, and keeps serving', async () => {
    const registry: SiteRegistry = { ...createMemorySiteRegistry(), claim: () => Promise.reject(new Error('storage down')) }
    const { connect, log } = createTestHub({ registry })
    const peer = connect()
    await peer.say({ type: 'host', site: 'blog' })
    expect(peer.take()).toEqual([{ type: 'error', code: 'internal', message: expect.any(String) }])
    expect(log.lines.some(line => line.level === 'error')).toBe(true)
    await peer.say({ type: 'ping' })
    expect(peer.take()).toEqual([{ type: 'pong' }])
  })
})

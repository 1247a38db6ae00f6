import { parseSetCookie } from 'cookie-es'
import { describe, expect, it } from 'vitest'
import { MemorySessionStore, SessionSigner, toResponse, useSession, type VEvent } from '../../../../../lib/vserver/event'
import { makeEvent, SECRET } from './fixtures'

function sessionCookie(event: VEvent): string | undefined {
  const header = toResponse(event, null).headers.find(([name, value]) => name === 'set-cookie' && value.startsWith('ps_session='))
  return header?.[1]
}

function cookieValue(setCookie: string | undefined): string {
  return parseSetCookie(setCookie ?? '')?.value ?? ''
}

describe('useSession', () => {
  it('gives a new visitor a signed, HttpOnly, SameSite=Lax session cookie', async () => {
    const event = makeEvent()
    const session = await useSession(event)
    expect(session.id).toMatch(/^[\w-]{24}$/)
    expect(session.data).toEqual({})
    const header = sessionCookie(event)
    expect(header).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/)
    expect(cookieValue(header)).toBe(await new SessionSigner(SECRET).sign(session.id))
  })

  it('keeps data across requests through the cookie', async () => {
    const sessions = new MemorySessionStore()
    const first = makeEvent({ sessions })
    const session = await useSession(first)
    await session.update({ user: 'ada' })
    await session.update(data => ({ visits: Number(data.visits ?? 0) + 1 }))
    const cookie = `ps_session=${cookieValue(sessionCookie(first))}`

    const second = makeEvent({ sessions, headers: [['cookie', cookie]] })
    const again = await useSession(second)
    expect(again.id).toBe(session.id)
    expect(again.data).toEqual({ user: 'ada', visits: 1 })
    expect(sessionCookie(second)).toBeUndefined()
  })

  it.each([
    // Each tamper changes a character for sure: a random id may already start with X, a signature end in AA.
    ['a tampered id', (value: string) => `${value.startsWith('X') ? 'Y' : 'X'}${value.slice(1)}`],
    ['a tampered signature', (value: string) => `${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`],
    ['no signature', (value: string) => value.split('.')[0] ?? ''],
    ['garbage', () => 'not.a!valid.cookie'],
  ])('ignores %s and starts a new session', async (_name, tamper) => {
    const sessions = new MemorySessionStore()
    const first = makeEvent({ sessions })
    const session = await useSession(first)
    await session.update({ user: 'admin' })
    const cookie = `ps_session=${tamper(cookieValue(sessionCookie(first)))}`
    const second = makeEvent({ sessions, headers: [['cookie', cookie]] })
    const other = await useSession(second)
    expect(other.id).not.toBe(session.id)
    expect(other.data).toEqual({})
    expect(sessionCookie(second)).toBeDefined()
  })

  it('refuses a cookie signed with another site secret', async () => {
    const sessions = new MemorySessionStore()
    const signed = await new SessionSigner('another secret, long enough').sign('someid')
    const session = await useSession(makeEvent({ sessions, headers: [['cookie', `ps_session=${signed}`]] }))
    expect(session.id).not.toBe('someid')
  })

  it('clear() forgets the data and issues a new id', async () => {
    const sessions = new MemorySessionStore()
    const event = makeEvent({ sessions })
    const session = await useSession(event)
    const oldId = session.id
    await session.update({ user: 'ada' })
    await session.clear()
    expect(session.id).not.toBe(oldId)
    expect(session.data).toEqual({})
    expect(await sessions.get(oldId)).toBeUndefined()
    expect(cookieValue(sessionCookie(event)).startsWith(`${session.id}.`)).toBe(true)
  })

  it('is one session per request and cookie name, with options', async () => {
    const event = makeEvent()
    expect(await useSession(event)).toBe(await useSession(event))
    const admin = await useSession(event, { name: 'admin', maxAge: 3600 })
    expect(admin).not.toBe(await useSession(event))
    const header = toResponse(event, null).headers.find(([name, value]) => name === 'set-cookie' && value.startsWith('admin='))
    expect(header?.[1]).toContain('Max-Age=3600')
  })

  it('refuses a patch that is not an object', async () => {
    const session = await useSession(makeEvent())
    await expect(session.update(() => JSON.parse('["x"]'))).rejects.toThrow(/patch must be an object/)
  })
})

describe('MemorySessionStore', () => {
  it('copies data in and out and forgets idle sessions', async () => {
    let now = 0
    const store = new MemorySessionStore(1000, () => now)
    const data = { n: 1 }
    await store.set('a', data)
    data.n = 2
    expect(await store.get('a')).toEqual({ n: 1 })
    now = 999
    expect(store.size).toBe(1)
    now = 1000
    expect(await store.get('a')).toBeUndefined()
    expect(store.size).toBe(0)
  })
})

describe('SessionSigner', () => {
  it('refuses a short secret', () => {
    expect(() => new SessionSigner('short')).toThrow(/at least 16 bytes/)
  })
})

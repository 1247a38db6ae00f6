import { createHash, randomInt } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { JOIN_CODE_ALPHABET, JoinCodeSchema } from '../../../../../shared/protocol/lesson'
import { JOIN_CODE_ATTEMPTS, randomJoinCode } from '../../../../../server/utils/lesson/join-codes'
import { createMemorySiteStore, createStorageSiteRegistry } from '../../../../../server/utils/signaling/registry'
import { createTestHub } from '../signaling/fake-peers'

/** A code source that hands out `codes` in order, then fails the test. */
function scripted(...codes: string[]) {
  return () => {
    const code = codes.shift()
    if (code === undefined) throw new Error('the scripted codes ran out')
    return code
  }
}

describe('randomJoinCode', () => {
  it('draws six letters of the alphabet, every letter reachable', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 500; i++) {
      const code = randomJoinCode()
      expect(JoinCodeSchema.safeParse(code).success).toBe(true)
      for (const char of code) seen.add(char)
    }
    expect([...seen].toSorted().join('')).toBe([...JOIN_CODE_ALPHABET].toSorted().join(''))
  })

  it('maps each draw to one letter', () => {
    const draws = [0, 1, 2, 17, 17, 0]
    const ranges: number[] = []
    expect(randomJoinCode((max) => {
      ranges.push(max)
      return draws.shift() ?? 0
    })).toBe('BCDZZB')
    expect(ranges).toEqual(Array(6).fill(18))
    expect(randomJoinCode(max => randomInt(max))).toMatch(/^[A-Z]{6}$/)
  })
})

describe('site registry: join codes', () => {
  it('gives a site its code on the first claim and the same code on every later one', async () => {
    const store = createMemorySiteStore()
    const registry = createStorageSiteRegistry(store, { codeSource: scripted('BCDFGH', 'JKMNPR') })
    const first = await registry.claim('blog')
    if (!first.ok) throw new Error('claim refused')
    expect(first.code).toBe('BCDFGH')
    expect(await registry.claim('blog', first.token)).toEqual({ ok: true, token: first.token, code: 'BCDFGH' })
    expect(await registry.siteOfCode('BCDFGH')).toBe('blog')
    expect(store.entries.get('signaling:sites:blog')).toMatchObject({ code: 'BCDFGH' })
    expect(store.entries.get('signaling:codes:BCDFGH')).toEqual({ site: 'blog' })
  })

  it('does not give a code to a refused claim', async () => {
    const registry = createStorageSiteRegistry(createMemorySiteStore(), { codeSource: scripted('BCDFGH') })
    await registry.claim('blog')
    expect(await registry.claim('blog', 'wrong')).toEqual({ ok: false })
  })

  it('draws again when a code is taken', async () => {
    const registry = createStorageSiteRegistry(createMemorySiteStore(), { codeSource: scripted('BCDFGH', 'BCDFGH', 'BCDFGH', 'JKMNPR') })
    expect(await registry.claim('blog')).toMatchObject({ code: 'BCDFGH' })
    expect(await registry.claim('wiki')).toMatchObject({ code: 'JKMNPR' })
    expect([await registry.siteOfCode('BCDFGH'), await registry.siteOfCode('JKMNPR')]).toEqual(['blog', 'wiki'])
  })

  it('keeps codes unique when sites register at the same time', async () => {
    const registry = createStorageSiteRegistry(createMemorySiteStore(), { codeSource: scripted('BCDFGH', 'BCDFGH', 'JKMNPR', 'BCDFGH', 'JKMNPR', 'STVWXZ') })
    const claims = await Promise.all(['blog', 'wiki', 'quiz'].map(site => registry.claim(site)))
    expect(claims.map(claim => claim.ok && claim.code).toSorted()).toEqual(['BCDFGH', 'JKMNPR', 'STVWXZ'])
  })

  it('gives up after a bounded number of taken codes, and registers nothing', async () => {
    const store = createMemorySiteStore()
    const registry = createStorageSiteRegistry(store, { codeSource: () => 'BCDFGH' })
    await registry.claim('blog')
    await expect(registry.claim('wiki')).rejects.toThrow(`after ${JOIN_CODE_ATTEMPTS} attempts`)
    expect(await registry.isClaimed('wiki')).toBe(false)
  })

  it('gives a code to a site stored before join codes existed, at its next claim', async () => {
    const store = createMemorySiteStore()
    const token = 'an-owner-token-from-last-year'
    store.entries.set('signaling:sites:blog', { tokenHash: createHash('sha256').update(token).digest('hex'), createdAt: '2025-09-01T08:00:00.000Z' })
    const registry = createStorageSiteRegistry(store, { codeSource: scripted('JKMNPR') })
    expect(await registry.claim('blog')).toEqual({ ok: false })
    expect(await registry.claim('blog', token)).toEqual({ ok: true, token, code: 'JKMNPR' })
    expect(await registry.claim('blog', token)).toEqual({ ok: true, token, code: 'JKMNPR' })
    expect(store.entries.get('signaling:sites:blog')).toMatchObject({ createdAt: '2025-09-01T08:00:00.000Z', code: 'JKMNPR' })
    expect(await registry.siteOfCode('JKMNPR')).toBe('blog')
  })

  it.each([
    ['an unknown code', 'BCDFGH'],
    ['a lower-case code (the caller normalises)', 'bcdfgh'],
    ['a key path', 'sites:blog'],
    ['nothing', ''],
  ])('finds no site for %s', async (_, code) => {
    const registry = createStorageSiteRegistry(createMemorySiteStore(), { codeSource: scripted('JKMNPR') })
    await registry.claim('blog')
    expect(await registry.siteOfCode(code)).toBeNull()
  })

  it('refuses to read a corrupt code entry', async () => {
    const store = createMemorySiteStore()
    store.entries.set('signaling:codes:BCDFGH', { site: 42 })
    await expect(createStorageSiteRegistry(store).siteOfCode('BCDFGH')).rejects.toThrow('corrupt')
  })
})

describe('signaling hub: join codes', () => {
  it('sends the code in hosting, the same to co-authors and to a returning host', async () => {
    const { hub, host } = createTestHub()
    const first = await host('blog')
    const [reply] = first.received
    const code = reply?.type === 'hosting' ? reply.code : undefined
    expect(code).toMatch(/^[A-Z]{6}$/)
    const coAuthor = await host('blog', first.token)
    hub.disconnect(first.id)
    hub.disconnect(coAuthor.id)
    const back = await host('blog', first.token)
    expect([coAuthor.received[0], back.received[0]]).toEqual([
      { type: 'hosting', site: 'blog', token: first.token, code },
      { type: 'hosting', site: 'blog', token: first.token, code },
    ])
  })

  it('tells whether the site of a code is online now', async () => {
    const { hub, host } = createTestHub()
    const peer = await host('blog')
    const reply = peer.received[0]
    if (reply?.type !== 'hosting' || !reply.code) throw new Error('no code')
    expect(await hub.joinCode(reply.code)).toEqual({ site: 'blog', online: true })
    hub.disconnect(peer.id)
    expect(await hub.joinCode(reply.code)).toEqual({ site: 'blog', online: false })
    expect(await hub.joinCode('ZZZZZZ')).toBeNull()
  })
})

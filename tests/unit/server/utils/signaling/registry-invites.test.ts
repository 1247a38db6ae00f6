import { describe, expect, it } from 'vitest'
import { INVITE_TTL_SECONDS } from '../../../../../shared/protocol/signal'
import { createMemorySiteStore, createStorageSiteRegistry } from '../../../../../server/utils/signaling/registry'
import { MAX_AUTHORS, MAX_INVITES } from '../../../../../server/utils/signaling/site-entry'

const keyOf = (name: string) => `key-${name}`.padEnd(122, 'A')
const owner = keyOf('owner')
const now = Date.UTC(2026, 2, 2, 9, 0, 0)
const day = INVITE_TTL_SECONDS.default
type Registry = ReturnType<typeof createStorageSiteRegistry>

/** A registry with `blog` owned by `owner`. */
async function ownedSite() {
  const store = createMemorySiteStore()
  const registry = createStorageSiteRegistry(store)
  await registry.claimWithKey('blog', owner)
  /** Mint an invite to blog as its owner; fails the test on a refusal. */
  async function mint(ttl = day, at = now): Promise<string> {
    const minted = await registry.mintInvite('blog', owner, ttl, at)
    if (!minted.ok) throw new Error(`mint refused: ${minted.reason}`)
    return minted.invite
  }
  const stored = () => store.entries.get('signaling:sites:blog')
  return { store, registry, mint, stored }
}

describe('site registry: invites', () => {
  it('mints a 256-bit code expiring after the ttl, and keeps only its hash', async () => {
    const { registry, stored } = await ownedSite()
    const minted = await registry.mintInvite('blog', owner, day, now)
    expect(minted).toEqual({ ok: true, invite: expect.stringMatching(/^[\w-]{43}$/), expiresAt: now + day * 1000 })
    expect(JSON.stringify(stored())).not.toContain(minted.ok ? minted.invite : '?')
    expect(stored()).toMatchObject({ invites: [{ hash: expect.stringMatching(/^[0-9a-f]{64}$/), expiresAt: now + day * 1000, by: expect.stringMatching(/^[\w-]{16}$/) }] })
  })

  it('enrols keys as authors with a live invite, several with one invite, each once', async () => {
    const { registry, mint } = await ownedSite()
    const invite = await mint()
    expect(await registry.enrol('blog', keyOf('bob'), invite, now + 1000)).toEqual({ ok: true, role: 'author', room: { epoch: 0 } })
    expect(await registry.enrol('blog', keyOf('cy'), invite, now + 2000)).toEqual({ ok: true, role: 'author', room: { epoch: 0 } })
    expect(await registry.enrol('blog', keyOf('bob'), invite, now + 3000)).toEqual({ ok: true, role: 'author', room: { epoch: 0 } })
    expect(await registry.enrol('blog', owner, invite, now + 3000)).toEqual({ ok: true, role: 'owner', room: { epoch: 0 } })
    expect((await registry.authors('blog')).map(author => [author.key, author.role])).toEqual([[owner, 'owner'], [keyOf('bob'), 'author'], [keyOf('cy'), 'author']])
    expect(await registry.claimWithKey('blog', keyOf('bob'))).toMatchObject({ ok: true, role: 'author' })
  })

  it('refuses an invite at its expiry, and accepts it a millisecond before', async () => {
    const { registry, mint } = await ownedSite()
    const invite = await mint(60)
    expect(await registry.enrol('blog', keyOf('late'), invite, now + 60_000)).toEqual({ ok: false, reason: 'bad-invite' })
    expect(await registry.enrol('blog', keyOf('bob'), invite, now + 59_999)).toEqual({ ok: true, role: 'author', room: { epoch: 0 } })
    expect(await registry.authors('blog')).toHaveLength(2)
  })

  it('refuses a revoked invite, and keeps the others', async () => {
    const { registry, mint } = await ownedSite()
    const [revoked, kept] = [await mint(), await mint()]
    expect(await registry.revokeInvite('blog', owner, revoked, now)).toEqual({ ok: true })
    expect(await registry.revokeInvite('blog', owner, revoked, now)).toEqual({ ok: true })
    expect(await registry.enrol('blog', keyOf('bob'), revoked, now)).toEqual({ ok: false, reason: 'bad-invite' })
    expect(await registry.enrol('blog', keyOf('cy'), kept, now)).toEqual({ ok: true, role: 'author', room: { epoch: 0 } })
  })

  it.each([
    ['a forged code', async () => ({ site: 'blog', invite: 'A'.repeat(43) })],
    ['another site\'s invite', async (registry: Registry) => {
      await registry.claimWithKey('wiki', keyOf('wiki-owner'))
      const minted = await registry.mintInvite('wiki', keyOf('wiki-owner'), day, now)
      return { site: 'blog', invite: minted.ok ? minted.invite : '' }
    }],
    ['an invite to a free name', async (_: Registry, mint: () => Promise<string>) => ({ site: 'quiz', invite: await mint() })],
  ])('refuses %s, and changes nothing', async (_, make) => {
    const { registry, mint, stored } = await ownedSite()
    const { site, invite } = await make(registry, mint)
    const before = structuredClone(stored())
    expect(await registry.enrol(site, keyOf('eve'), invite, now)).toEqual({ ok: false, reason: 'bad-invite' })
    expect(stored()).toEqual(before)
    expect(await registry.isClaimed('quiz')).toBe(false)
  })

  it('lets only the owner mint and revoke', async () => {
    const { registry, mint } = await ownedSite()
    const invite = await mint()
    await registry.enrol('blog', keyOf('bob'), invite, now)
    for (const key of [keyOf('bob'), keyOf('eve')]) {
      expect(await registry.mintInvite('blog', key, day, now)).toEqual({ ok: false, reason: 'not-owner' })
      expect(await registry.revokeInvite('blog', key, invite, now)).toEqual({ ok: false, reason: 'not-owner' })
    }
    expect(await registry.mintInvite('quiz', owner, day, now)).toEqual({ ok: false, reason: 'not-owner' })
    expect(await registry.enrol('blog', keyOf('cy'), invite, now)).toEqual({ ok: true, role: 'author', room: { epoch: 0 } })
  })

  it(`keeps at most ${MAX_INVITES} live invites, and drops expired ones`, async () => {
    const { registry, mint, stored } = await ownedSite()
    for (let i = 0; i < MAX_INVITES; i++) await mint(60)
    expect(await registry.mintInvite('blog', owner, 60, now + 59_999)).toEqual({ ok: false, reason: 'too-many' })
    // A minute later they have all expired: a mint succeeds and the list holds only it.
    await mint(day, now + 60_000)
    expect(stored()).toMatchObject({ invites: [{ expiresAt: now + 60_000 + day * 1000 }] })
  })

  it(`makes room for an invite when one of ${MAX_INVITES} is revoked`, async () => {
    const { registry, mint } = await ownedSite()
    const codes: string[] = []
    for (let i = 0; i < MAX_INVITES; i++) codes.push(await mint())
    expect((await registry.mintInvite('blog', owner, day, now)).ok).toBe(false)
    await registry.revokeInvite('blog', owner, codes[0] ?? '', now)
    expect((await registry.mintInvite('blog', owner, day, now)).ok).toBe(true)
  })

  it(`keeps at most ${MAX_AUTHORS} authors, the owner included`, async () => {
    const { registry, mint } = await ownedSite()
    const invite = await mint()
    const enrolled = await Promise.all(Array.from({ length: MAX_AUTHORS }, (_, i) => registry.enrol('blog', keyOf(`a${i}`), invite, now)))
    expect(enrolled.filter(outcome => outcome.ok)).toHaveLength(MAX_AUTHORS - 1)
    expect(enrolled.at(-1)).toEqual({ ok: false, reason: 'too-many' })
    expect(await registry.authors('blog')).toHaveLength(MAX_AUTHORS)
    // Those already in are still let in.
    expect(await registry.enrol('blog', keyOf('a0'), invite, now)).toEqual({ ok: true, role: 'author', room: { epoch: 0 } })
    expect(await registry.claimWithKey('blog', keyOf('a0'))).toMatchObject({ ok: true, role: 'author' })
  })
})

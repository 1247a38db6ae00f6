import { describe, expect, it } from 'vitest'
import { SITE_EXPIRY_DAYS } from '../../../../../server/utils/limits/defaults'
import { createMemorySiteStore, createStorageSiteRegistry } from '../../../../../server/utils/signaling/registry'
import { HOSTED_STAMP_MS } from '../../../../../server/utils/signaling/site-entry'

const DAY = 24 * 3600_000
const TERM = SITE_EXPIRY_DAYS * DAY

function scene() {
  let now = Date.UTC(2030, 0, 1)
  const store = createMemorySiteStore()
  const registry = createStorageSiteRegistry(store, { now: () => now })
  return { store, registry, advance: (ms: number) => (now += ms), now: () => now }
}

describe(`site registry: names no tab hosted for ${SITE_EXPIRY_DAYS} days expire`, () => {
  it('keeps a name one millisecond short of the term, and frees it at the term, code and all', async () => {
    const { registry, advance } = scene()
    const claim = await registry.claim('blog')
    if (!claim.ok) throw new Error('refused')
    advance(TERM - 1)
    expect(await registry.isClaimed('blog')).toBe(true)
    expect(await registry.siteOfCode(claim.code)).toBe('blog')
    expect(await registry.claim('blog')).toEqual({ ok: false })
    advance(1)
    expect(await registry.isClaimed('blog')).toBe(false)
    expect(await registry.siteOfCode(claim.code)).toBeNull()
    const again = await registry.claim('blog')
    expect(again.ok).toBe(true)
    // The old code never leads to the new owner's site.
    expect(again.ok && again.code).not.toBe(claim.code)
    expect(await registry.siteOfCode(claim.code)).toBeNull()
  })

  it('restarts the term at each registration (stamped at most once an hour)', async () => {
    const { registry, store, advance } = scene()
    const claim = await registry.claim('blog')
    if (!claim.ok) throw new Error('refused')
    advance(TERM - DAY)
    expect((await registry.claim('blog', claim.token)).ok).toBe(true)
    const stamped = JSON.stringify(store.entries.get('signaling:sites:blog'))
    advance(HOSTED_STAMP_MS - 1)
    await registry.claim('blog', claim.token)
    expect(JSON.stringify(store.entries.get('signaling:sites:blog'))).toBe(stamped)
    advance(TERM - HOSTED_STAMP_MS)
    expect(await registry.isClaimed('blog')).toBe(true)
    advance(1)
    expect(await registry.isClaimed('blog')).toBe(false)
  })

  it('keeps an entry from before expiry working, and starts its term at the first sweep', async () => {
    const { registry, store, advance, now } = scene()
    const claim = await registry.claim('old')
    if (!claim.ok) throw new Error('refused')
    const entry = { ...(store.entries.get('signaling:sites:old') as Record<string, unknown>) }
    delete entry.lastHostedAt
    store.entries.set('signaling:sites:old', entry)
    advance(10 * TERM)
    expect(await registry.isClaimed('old')).toBe(true)
    expect(await registry.siteOfCode(claim.code)).toBe('old')
    expect(await registry.sweepExpired()).toEqual({ removed: 0, stamped: 1, corrupt: 0 })
    expect(store.entries.get('signaling:sites:old')).toMatchObject({ lastHostedAt: now() })
    advance(TERM - 1)
    expect(await registry.sweepExpired()).toEqual({ removed: 0, stamped: 0, corrupt: 0 })
    expect((await registry.claim('old', claim.token)).ok).toBe(true)
  })

  it('sweeps expired names and their codes out of the store, and leaves the rest', async () => {
    const { registry, store, advance } = scene()
    const gone = await registry.claim('gone')
    advance(DAY)
    const kept = await registry.claim('kept')
    if (!gone.ok || !kept.ok) throw new Error('refused')
    store.entries.set('signaling:sites:broken', { createdAt: 'x' })
    advance(TERM - DAY)
    expect(await registry.sweepExpired()).toEqual({ removed: 1, stamped: 0, corrupt: 1 })
    expect(store.entries.has('signaling:sites:gone')).toBe(false)
    expect(store.entries.has(`signaling:codes:${gone.code}`)).toBe(false)
    expect(store.entries.has('signaling:sites:kept')).toBe(true)
    expect(await registry.siteOfCode(kept.code)).toBe('kept')
  })
})

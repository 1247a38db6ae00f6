import { describe, expect, it } from 'vitest'
import { siteNameStatus } from '../../../../server/utils/site-names'
import { createTestHub } from './signaling/fake-peers'

describe('site name status', () => {
  it('says a fresh name is free and offline', async () => {
    const { hub } = createTestHub()
    expect(await siteNameStatus('blog', site => hub.siteStatus(site))).toEqual({ name: 'blog', taken: false, online: false })
  })

  it('says a registered name is taken and online, and suggests the next free one', async () => {
    const { hub, host } = createTestHub()
    await host('blog')
    await host('blog-2')
    expect(await siteNameStatus('blog', site => hub.siteStatus(site))).toEqual({ name: 'blog', taken: true, online: true, suggestion: 'blog-3' })
  })

  it('keeps a name taken after its host left (the owner may come back)', async () => {
    const { hub, host } = createTestHub()
    const first = await host('class-wall')
    hub.disconnect(first.id)
    expect(await siteNameStatus('class-wall', site => hub.siteStatus(site))).toMatchObject({ taken: true, online: false, suggestion: 'class-wall-2' })
  })

  it('keeps a suggestion within 40 characters', async () => {
    const { hub, host } = createTestHub()
    const long = 'a'.repeat(40)
    await host(long)
    const status = await siteNameStatus(long, site => hub.siteStatus(site))
    expect(status.suggestion).toBe(`${'a'.repeat(38)}-2`)
  })

  it('counts up from a numbered name', async () => {
    const { hub, host } = createTestHub()
    await host('quiz-7')
    expect((await siteNameStatus('quiz-7', site => hub.siteStatus(site))).suggestion).toBe('quiz-8')
  })
})

import { describe, expect, it } from 'vitest'
import { forgetRecentSite, listRecentSites, recordRecentSite, type KeyValue } from '../../../../lib/studio/recent-sites'

function memory(initial?: string): KeyValue & { value: string | null } {
  const store = {
    value: initial ?? null,
    getItem: () => store.value,
    setItem: (_: string, value: string) => { store.value = value },
  }
  return store
}

describe('recent sites', () => {
  it('lists the most recently opened first, each name once', () => {
    const storage = memory()
    recordRecentSite(storage, 'blog', 1)
    recordRecentSite(storage, 'quiz', 2)
    recordRecentSite(storage, 'blog', 3)
    expect(listRecentSites(storage)).toEqual([{ name: 'blog', openedAt: 3 }, { name: 'quiz', openedAt: 2 }])
  })

  it('keeps at most 30', () => {
    const storage = memory()
    for (let i = 0; i < 35; i++) recordRecentSite(storage, `site-${i}`, i)
    const list = listRecentSites(storage)
    expect(list).toHaveLength(30)
    expect(list[0]?.name).toBe('site-34')
  })

  it('forgets a site', () => {
    const storage = memory()
    recordRecentSite(storage, 'blog', 1)
    recordRecentSite(storage, 'quiz', 2)
    expect(forgetRecentSite(storage, 'blog')).toEqual([{ name: 'quiz', openedAt: 2 }])
  })

  it.each([
    ['not JSON', '{oops'],
    ['not a list', '{"name":"blog"}'],
    ['entries of the wrong shape', '[{"name":3,"openedAt":"x"}]'],
  ])('reads a damaged list (%s) as empty and recovers on the next write', (_, stored) => {
    const storage = memory(stored)
    expect(listRecentSites(storage)).toEqual([])
    recordRecentSite(storage, 'blog', 5)
    expect(listRecentSites(storage)).toEqual([{ name: 'blog', openedAt: 5 }])
  })
})

import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { YjsSessionStore } from '../../../../lib/site'
import { SESSION_TTL_MS } from '../../../../lib/vserver/event/session/store'

function sessions(ttlMs?: number) {
  const clock = { now: 1_000 }
  const store = new YjsSessionStore(new Y.Doc(), { ttlMs, now: () => clock.now })
  return { store, clock }
}

describe('YjsSessionStore', () => {
  it('stores, returns copies, and deletes', async () => {
    const { store } = sessions()
    await store.set('s1', { user: 'ada', cart: [1, 2] })
    const got = await store.get('s1')
    expect(got).toEqual({ user: 'ada', cart: [1, 2] })
    if (got) got.user = 'eve'
    expect(await store.get('s1')).toEqual({ user: 'ada', cart: [1, 2] })
    await store.delete('s1')
    expect(await store.get('s1')).toBeUndefined()
  })

  it('stores JSON: a Date comes back as its ISO string', async () => {
    const { store } = sessions()
    await store.set('s', { at: new Date(0) })
    expect(await store.get('s')).toEqual({ at: '1970-01-01T00:00:00.000Z' })
  })

  it('forgets a session the default 7 days after its last write, and drops it from the doc on read', async () => {
    const { store, clock } = sessions()
    await store.set('s', { n: 1 })
    clock.now += SESSION_TTL_MS - 1
    expect(await store.get('s')).toEqual({ n: 1 })
    await store.set('s', { n: 2 })
    clock.now += SESSION_TTL_MS - 1
    expect(await store.get('s')).toEqual({ n: 2 })
    clock.now += 1
    expect(await store.get('s')).toBeUndefined()
    expect(store.doc.getMap('sessions').has('s')).toBe(false)
  })

  it('sweeps expired sessions and counts live ones', async () => {
    const { store, clock } = sessions(100)
    await store.set('old', {})
    clock.now += 60
    await store.set('new', {})
    clock.now += 50
    expect(store.sweep()).toBe(1)
    expect(store.size).toBe(1)
    expect(await store.get('new')).toEqual({})
    clock.now += 100
    expect(store.size).toBe(0)
  })
})

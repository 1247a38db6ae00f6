import { describe, expect, it, vi } from 'vitest'
import { createDatabase, MemoryDocumentStore, type DocumentChange } from '../../../../../lib/vserver/db'

function setup() {
  const store = new MemoryDocumentStore()
  const db = createDatabase(store)
  const batches: DocumentChange[][] = []
  const off = db.onChange(changes => batches.push(changes))
  return { store, db, batches, off }
}

describe('change events', () => {
  it('reports inserts, updates and removes, one batch per call', async () => {
    const { db, batches } = setup()
    const posts = db.collection('posts')
    await posts.insert([{ _id: 'a', n: 1 }, { _id: 'b', n: 2 }])
    await posts.update({}, { $inc: { n: 1 } }, { multi: true })
    await posts.remove('a')
    expect(batches).toEqual([
      [{ type: 'set', collection: 'posts', id: 'a', doc: { _id: 'a', n: 1 } }, { type: 'set', collection: 'posts', id: 'b', doc: { _id: 'b', n: 2 } }],
      [{ type: 'set', collection: 'posts', id: 'a', doc: { _id: 'a', n: 2 } }, { type: 'set', collection: 'posts', id: 'b', doc: { _id: 'b', n: 3 } }],
      [{ type: 'delete', collection: 'posts', id: 'a' }],
    ])
  })

  it('fires nothing for refused or empty calls, and stops after unsubscribe', async () => {
    const { db, batches, off } = setup()
    const posts = db.collection('posts')
    await expect(posts.insert({ f: () => 1 })).rejects.toThrow()
    await posts.update({ n: 1 }, { n: 2 })
    await posts.remove({ n: 1 })
    expect(batches).toEqual([])
    off()
    await posts.insert({ n: 1 })
    expect(batches).toEqual([])
  })

  it('lists collections while they hold documents, and drops them', async () => {
    const { db, batches } = setup()
    await db.collection('b').insert({ _id: '1' })
    await db.collection('a').insert({ _id: '1' })
    expect(await db.collections()).toEqual(['a', 'b'])
    await db.collection('a').remove('1')
    expect(await db.collections()).toEqual(['b'])
    expect(await db.drop('b')).toBe(true)
    expect(await db.drop('b')).toBe(false)
    expect(await db.collections()).toEqual([])
    expect(batches.at(-1)).toEqual([{ type: 'drop', collection: 'b' }])
  })

  it('keeps a failing listener from breaking writes or other listeners', async () => {
    const { db, batches } = setup()
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    db.onChange(() => {
      throw new Error('studio broke')
    })
    await db.collection('posts').insert({ n: 1 })
    expect(batches).toHaveLength(1)
    expect(await db.collection('posts').count()).toBe(1)
    expect(error).toHaveBeenCalledWith('[db] change listener failed', expect.any(Error))
    error.mockRestore()
  })

  it('hands listeners frozen documents, so they cannot change stored data', async () => {
    const { db, batches } = setup()
    await db.collection('posts').insert({ _id: 'a', tags: ['x'] })
    const change = batches[0]?.[0]
    if (change?.type !== 'set') throw new Error('expected a set change')
    expect(() => change.doc.tags = []).toThrow(TypeError)
    expect(await db.collection('posts').get('a')).toEqual({ _id: 'a', tags: ['x'] })
  })
})

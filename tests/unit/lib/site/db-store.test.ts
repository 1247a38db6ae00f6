import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { YjsDocumentStore } from '../../../../lib/site'
import { createDatabase, type DocumentChange } from '../../../../lib/vserver/db'
import { connect, exchange } from './helpers'

function setup() {
  const store = new YjsDocumentStore(new Y.Doc())
  const db = createDatabase(store)
  const batches: DocumentChange[][] = []
  db.onChange(changes => batches.push(changes))
  return { store, db, batches }
}

const POSTS = [
  { _id: 'p1', title: 'Hello', votes: 3, tags: ['intro'], author: { name: 'ada' } },
  { _id: 'p2', title: 'Second', votes: 10, tags: ['news', 'long'], author: { name: 'bob' } },
  { _id: 'p3', title: 'Third', votes: 7, tags: [], author: { name: 'ada' } },
]

describe('the database over YjsDocumentStore', () => {
  it.each([
    [{}, ['p1', 'p2', 'p3']],
    [{ votes: { $gt: 5 } }, ['p2', 'p3']],
    [{ 'author.name': 'ada' }, ['p1', 'p3']],
    [{ tags: { $contains: 'news' } }, ['p2']],
    [{ $or: [{ votes: 3 }, { title: 'Third' }] }, ['p1', 'p3']],
    [{ missing: { $exists: true } }, []],
  ])('finds %j → %j, in insertion order', async (filter, ids) => {
    const { db } = setup()
    await db.collection('posts').insert(POSTS)
    expect((await db.collection('posts').find(filter)).map(doc => doc._id)).toEqual(ids)
    expect(await db.collection('posts').count(filter)).toBe(ids.length)
  })

  it('sorts, limits, updates with operators, removes by filter and refuses duplicates', async () => {
    const { db } = setup()
    const posts = db.collection('posts')
    await posts.insert(POSTS)
    expect((await posts.find({}, { sort: { votes: -1 }, limit: 2 })).map(doc => doc._id)).toEqual(['p2', 'p3'])
    expect(await posts.update({ 'author.name': 'ada' }, { $inc: { votes: 1 }, $push: { tags: 'ada' } }, { multi: true })).toBe(2)
    expect(await posts.get('p1')).toEqual({ ...POSTS[0], votes: 4, tags: ['intro', 'ada'] })
    expect(await posts.remove({ votes: { $lt: 9 } })).toBe(2)
    expect((await posts.find()).map(doc => doc._id)).toEqual(['p2'])
    await expect(posts.insert({ _id: 'p2' })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/already exists/) })
  })

  it('keeps an updated document in its place and puts new ones last', async () => {
    const { db } = setup()
    const posts = db.collection('posts')
    await posts.insert(POSTS)
    await posts.update('p1', { title: 'Changed' })
    await posts.insert({ _id: 'a0' })
    expect((await posts.find()).map(doc => doc._id)).toEqual(['p1', 'p2', 'p3', 'a0'])
  })

  it('hands out copies: changing a found document changes nothing stored, stored ones are frozen', async () => {
    const { db, store } = setup()
    await db.collection('posts').insert({ _id: 'a', tags: ['x'] })
    const found = await db.collection('posts').get('a')
    if (Array.isArray(found?.tags)) found.tags.push('y')
    expect(await db.collection('posts').get('a')).toEqual({ _id: 'a', tags: ['x'] })
    expect(Object.isFrozen(store.get('posts', 'a')?.tags)).toBe(true)
  })

  it('reports one batch per call, with a drop for a dropped collection', async () => {
    const { db, batches } = setup()
    const posts = db.collection('posts')
    await posts.insert([{ _id: 'a', n: 1 }, { _id: 'b', n: 2 }])
    await posts.update({}, { $inc: { n: 1 } }, { multi: true })
    await posts.remove('a')
    await db.drop('posts')
    expect(batches).toEqual([
      [{ type: 'set', collection: 'posts', id: 'a', doc: { _id: 'a', n: 1 } }, { type: 'set', collection: 'posts', id: 'b', doc: { _id: 'b', n: 2 } }],
      [{ type: 'set', collection: 'posts', id: 'a', doc: { _id: 'a', n: 2 } }, { type: 'set', collection: 'posts', id: 'b', doc: { _id: 'b', n: 3 } }],
      [{ type: 'delete', collection: 'posts', id: 'a' }],
      [{ type: 'drop', collection: 'posts' }],
    ])
    expect(await db.collections()).toEqual([])
  })

  it('joins nested transactions into one batch', () => {
    const { store, batches } = setup()
    store.transact(() => {
      store.set('a', { _id: '1' })
      store.transact(() => store.set('b', { _id: '2' }))
      expect(batches).toEqual([])
    })
    expect(batches).toEqual([[{ type: 'set', collection: 'a', id: '1', doc: { _id: '1' } }, { type: 'set', collection: 'b', id: '2', doc: { _id: '2' } }]])
  })

  it('reports a drop before the documents written again in the same transaction', () => {
    const { store, batches } = setup()
    store.set('c', { _id: 'old' })
    store.set('c', { _id: 'kept' })
    batches.length = 0
    store.transact(() => {
      store.drop('c')
      store.set('c', { _id: 'kept', v: 2 })
    })
    expect(batches).toEqual([[{ type: 'drop', collection: 'c' }, { type: 'set', collection: 'c', id: 'kept', doc: { _id: 'kept', v: 2 } }]])
    expect([...store.list('c')]).toEqual([{ _id: 'kept', v: 2 }])
  })
})

describe('YjsDocumentStore across peers', () => {
  it('converges, lists in the same order on both peers, and reports remote changes', async () => {
    const a = new YjsDocumentStore(new Y.Doc())
    const b = new YjsDocumentStore(new Y.Doc())
    const heard: DocumentChange[][] = []
    b.onChange(changes => heard.push(changes))
    // Offline from each other, both insert into the same new collection.
    await createDatabase(a).collection('msgs').insert([{ _id: 'z', from: 'a' }, { _id: 'm', from: 'a' }])
    await createDatabase(b).collection('msgs').insert([{ _id: 'y', from: 'b' }, { _id: 'c', from: 'b' }])
    exchange(a.doc, b.doc)
    const order = [...a.list('msgs')].map(doc => doc._id)
    expect(order).toHaveLength(4)
    expect([...b.list('msgs')].map(doc => doc._id)).toEqual(order)
    // Equal places fall back to _id order: z and y were both first.
    expect(order).toEqual(['y', 'z', 'c', 'm'])
    expect(heard).toHaveLength(2)
    expect(heard[1]).toEqual([
      { type: 'set', collection: 'msgs', id: 'z', doc: { _id: 'z', from: 'a' } },
      { type: 'set', collection: 'msgs', id: 'm', doc: { _id: 'm', from: 'a' } },
    ])
  })

  it('reports remote updates, deletes and drops (a drop arrives as deletes)', async () => {
    const a = new YjsDocumentStore(new Y.Doc())
    const b = new YjsDocumentStore(new Y.Doc())
    connect(a.doc, b.doc)
    const heard: DocumentChange[][] = []
    b.onChange(changes => heard.push(changes))
    const posts = createDatabase(a).collection('posts')
    await posts.insert([{ _id: '1' }, { _id: '2' }])
    await posts.update('1', { x: 1 })
    await posts.remove('2')
    await createDatabase(a).drop('posts')
    expect(heard.slice(1)).toEqual([
      [{ type: 'set', collection: 'posts', id: '1', doc: { _id: '1', x: 1 } }],
      [{ type: 'delete', collection: 'posts', id: '2' }],
      [{ type: 'delete', collection: 'posts', id: '1' }],
    ])
    expect(b.collections()).toEqual([])
  })

  it('ignores a malformed entry a broken peer wrote, with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const doc = new Y.Doc()
    doc.getMap('db').set('posts/1', { seq: 1, doc: { _id: 'other' } })
    doc.getMap('db').set('posts/2', { seq: 2, doc: { _id: '2', ok: true } })
    const store = new YjsDocumentStore(doc)
    expect([...store.list('posts')]).toEqual([{ _id: '2', ok: true }])
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/malformed/), 'posts/1')
    warn.mockRestore()
  })
})

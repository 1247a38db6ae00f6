import { beforeEach, describe, expect, it } from 'vitest'
import { generateId } from '../../../../../lib/vserver/db/ids'
import { createDatabase, MemoryDocumentStore, type Collection, type Database } from '../../../../../lib/vserver/db'

let db: Database
let posts: Collection
beforeEach(() => {
  db = createDatabase(new MemoryDocumentStore())
  posts = db.collection('posts')
})

describe('insert and get', () => {
  it('generates an _id, puts it first and returns the stored document', async () => {
    const doc = await posts.insert({ title: 'Hi' })
    expect(doc._id).toMatch(/^[0-9a-z]{19}$/)
    expect(Object.keys(doc)).toEqual(['_id', 'title'])
    expect(await posts.get(doc._id)).toEqual(doc)
  })

  it('generates distinct ids that sort by creation time', async () => {
    const docs = await posts.insert(Array.from({ length: 200 }, (_, i) => ({ i })))
    expect(new Set(docs.map(doc => doc._id)).size).toBe(200)
    expect(generateId(1_700_000_000_000) < generateId(1_700_000_000_001)).toBe(true)
  })

  it('ids made in the same millisecond still sort in creation order, so a stable sort keeps insertion order', async () => {
    const ids = Array.from({ length: 500 }, () => generateId(1_700_000_000_000))
    expect(new Set(ids).size).toBe(500)
    expect([...ids].sort()).toEqual(ids)
    const docs = await posts.insert(Array.from({ length: 50 }, (_, i) => ({ i, createdAt: 'same' })))
    const newestFirst = await posts.find({}, { sort: { createdAt: -1, _id: -1 } })
    expect(newestFirst.map(doc => doc.i)).toEqual(docs.map(doc => doc.i).reverse())
  })

  it('keeps a given _id and refuses a duplicate, alone or in a batch, storing nothing', async () => {
    await posts.insert({ _id: 'x', n: 1 })
    await expect(posts.insert({ _id: 'x', n: 2 })).rejects.toMatchObject({ status: 400, message: 'posts.insert: a document with _id "x" already exists' })
    await expect(posts.insert([{ _id: 'y' }, { _id: 'x' }])).rejects.toMatchObject({ status: 400 })
    await expect(posts.insert([{ _id: 'z' }, { _id: 'z' }])).rejects.toMatchObject({ status: 400 })
    expect(await posts.count()).toBe(1)
    expect(await posts.get('x')).toEqual({ _id: 'x', n: 1 })
  })

  it('returns null for a missing id and an empty list for an empty batch', async () => {
    expect(await posts.get('nope')).toBeNull()
    expect(await posts.insert([])).toEqual([])
  })

  it('returns copies: changing a result or the input changes nothing stored', async () => {
    const input = { _id: 'p', tags: ['a'], author: { name: 'Ada' } }
    const inserted = await posts.insert(input)
    input.tags.push('from input')
    inserted.tags = ['from insert']
    const got = await posts.get('p')
    if (!got) throw new Error('expected a document')
    got.author = 'changed'
    const [found] = await posts.find()
    if (!found) throw new Error('expected a document')
    found._id = 'q'
    const one = await posts.findOne({ _id: 'p' })
    expect(one).toEqual({ _id: 'p', tags: ['a'], author: { name: 'Ada' } })
  })
})

describe('find options', () => {
  beforeEach(async () => {
    await posts.insert([
      { _id: '1', title: 'b', views: 5, author: { name: 'Ada' } },
      { _id: '2', title: 'a', views: 5, author: { name: 'Linus' } },
      { _id: '3', title: 'c', views: 9 },
      { _id: '4', title: 'd', views: 1, author: { name: 'Grace' } },
    ])
  })
  const ids = (docs: Array<{ _id: string }>) => docs.map(doc => doc._id).join('')

  it.each<[string, Parameters<Collection['find']>[1], string]>([
    ['insertion order without options', {}, '1234'],
    ['sort ascending', { sort: { title: 1 } }, '2134'],
    ['sort descending', { sort: { views: -1 } }, '3124'],
    ['sort by two keys, stable', { sort: { views: -1, title: 1 } }, '3214'],
    ['sort by a dotted path, missing first', { sort: { 'author.name': 1 } }, '3142'],
    ['limit', { limit: 2 }, '12'],
    ['skip', { skip: 3 }, '4'],
    ['sort, skip and limit', { sort: { views: 1 }, skip: 1, limit: 2 }, '12'],
    ['limit 0', { limit: 0 }, ''],
  ])('%s', async (_label, options, expected) => {
    expect(ids(await posts.find({}, options))).toBe(expected)
  })

  it('keeps only the given fields (and _id)', async () => {
    expect(await posts.find({ views: 5 }, { fields: ['title', 'author.name', 'none'] })).toEqual([
      { _id: '1', title: 'b', author: { name: 'Ada' } },
      { _id: '2', title: 'a', author: { name: 'Linus' } },
    ])
  })

  it('findOne takes the first match in sort order', async () => {
    expect(await posts.findOne({ views: { $gt: 1 } }, { sort: { views: -1 } })).toMatchObject({ _id: '3' })
    expect(await posts.findOne({ views: 100 })).toBeNull()
  })

  it('counts with and without a filter', async () => {
    expect(await posts.count()).toBe(4)
    expect(await posts.count({ views: 5 })).toBe(2)
  })

  it.each<[string, unknown, RegExp]>([
    ['a negative limit', { limit: -1 }, /options\.limit/],
    ['a fractional skip', { skip: 1.5 }, /options\.skip/],
    ['a sort direction of 2', { sort: { title: 2 } }, /options\.sort\.title/],
    ['an unknown option', { order: 1 }, /order/],
  ])('refuses %s', async (_label, options, message) => {
    await expect(posts.find({}, options as never)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) })
  })

  it('stays fast on 5,000 documents with a filter and a sort', async () => {
    const big = db.collection('big')
    await big.insert(Array.from({ length: 5000 }, (_, i) => ({ n: (i * 7919) % 5000, group: i % 10, name: `item ${i}` })))
    const started = performance.now()
    const found = await big.find({ group: { $in: [1, 2, 3] }, n: { $gte: 100 } }, { sort: { n: -1 }, limit: 20 })
    expect(performance.now() - started).toBeLessThan(100)
    expect(found).toHaveLength(20)
    expect(found.map(doc => doc.n)).toEqual([...found.map(doc => doc.n)].sort((a, b) => Number(b) - Number(a)))
  })
})

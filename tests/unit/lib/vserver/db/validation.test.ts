import { describe, expect, it } from 'vitest'
import { createDatabase, MemoryDocumentStore, type DocumentInput } from '../../../../../lib/vserver/db'

const circular: Record<string, unknown> = { a: 1 }
circular.self = circular
const deep: Record<string, unknown> = {}
let cursor = deep
for (let i = 0; i < 70; i++) {
  const next: Record<string, unknown> = {}
  cursor.x = next
  cursor = next
}

describe('documents', () => {
  it.each<[string, unknown, RegExp]>([
    ['a function', { f: () => 1 }, /"f" is a function; documents hold JSON only/],
    ['undefined in an array', { list: [1, undefined] }, /"list\.1" is undefined/],
    ['NaN', { n: Number.NaN }, /"n" is NaN/],
    ['Infinity, nested', { stats: { max: Infinity } }, /"stats\.max" is Infinity/],
    ['a bigint', { n: 1n }, /"n" is a bigint/],
    ['a symbol', { s: Symbol('x') }, /"s" is a symbol/],
    ['a Map', { m: new Map() }, /"m" is a Map/],
    ['a class instance', { u: new URL('http://x') }, /"u" is a URL/],
    ['an invalid Date', { at: new Date('nope') }, /"at" is an invalid Date/],
    ['a circular structure', circular, /"self" refers back to itself/],
    ['too deep nesting', deep, /nests deeper than 64 levels/],
    ['a "$" field name', { $where: 1 }, /field name "\$where" starts with "\$"/],
    ['a dotted field name', { 'a.b': 1 }, /field name "a\.b" contains "\."/],
    ['an empty field name', { nested: { '': 1 } }, /field name "nested\." is empty/],
    ['a __proto__ field', JSON.parse('{"__proto__": {"x": 1}}'), /field name "__proto__" is reserved/],
    ['a numeric _id', { _id: 7 }, /_id must be a non-empty string.*got number/],
    ['an empty _id', { _id: '' }, /_id must be a non-empty string/],
    ['an array', [[1, 2]], /a document must be a plain object, got an array/],
    ['a string', 'hello', /a document must be a plain object, got a string/],
    ['null', null, /a document must be a plain object/],
    ['a document over 1 MiB', { body: 'é'.repeat(600 * 1024) }, /is 12\d{5} bytes as JSON; the limit is 1048576 bytes/],
  ])('refuses %s with a clear 400 and stores nothing', async (_label, doc, message) => {
    const db = createDatabase(new MemoryDocumentStore())
    const posts = db.collection('posts')
    await expect(posts.insert(doc as DocumentInput)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) })
    await expect(posts.insert([{ ok: true }, doc as DocumentInput])).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^posts\.insert \[1\]: /) })
    expect(await posts.count()).toBe(0)
    expect(await db.collections()).toEqual([])
  })

  it('converts Dates to ISO strings and leaves undefined properties out', async () => {
    const posts = createDatabase(new MemoryDocumentStore()).collection('posts')
    const doc = await posts.insert({ _id: 'd', at: new Date(Date.UTC(2024, 0, 2)), gone: undefined, list: [new Date(0)] })
    expect(doc).toEqual({ _id: 'd', at: '2024-01-02T00:00:00.000Z', list: ['1970-01-01T00:00:00.000Z'] })
    expect(Object.keys(doc)).not.toContain('gone')
  })

  it('accepts a document just under the size limit and the same object twice (not circular)', async () => {
    const posts = createDatabase(new MemoryDocumentStore()).collection('posts')
    const shared = { n: 1 }
    await expect(posts.insert({ body: 'x'.repeat(1024 * 1024 - 100), a: shared })).resolves.toMatchObject({ a: { n: 1 } })
    await expect(posts.insert({ a: shared, b: shared, c: [shared, shared] })).resolves.toMatchObject({ c: [{ n: 1 }, { n: 1 }] })
  })
})

describe('collection names', () => {
  const db = createDatabase(new MemoryDocumentStore())
  it.each(['posts', 'Users_2', 'a-b', 'x'.repeat(64)])('accepts %j', (name) => {
    expect(db.collection(name).name).toBe(name)
  })

  it.each<unknown>(['', 'x'.repeat(65), 'has space', 'dot.ted', 'slash/ed', '../up', 'é', 42, undefined])('refuses %j with a 400', async (name) => {
    expect(() => db.collection(name as string)).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(/^db\.collection: collection name .* is not allowed/) }))
    await expect(db.drop(name as string)).rejects.toMatchObject({ status: 400 })
    expect(await db.collections()).toEqual([])
  })
})

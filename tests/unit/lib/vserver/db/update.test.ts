import { beforeEach, describe, expect, it } from 'vitest'
import { createDatabase, MemoryDocumentStore, type Collection, type UpdatePatch } from '../../../../../lib/vserver/db'

let posts: Collection
beforeEach(async () => {
  posts = createDatabase(new MemoryDocumentStore()).collection('posts')
  await posts.insert([
    { _id: 'a', title: 'A', views: 1, tags: ['x'], author: { name: 'Ada', age: 36 } },
    { _id: 'b', title: 'B', views: 2, tags: [] },
    { _id: 'c', title: 'C', views: 2 },
  ])
})

describe('update', () => {
  const A = { _id: 'a', title: 'A', views: 1, tags: ['x'], author: { name: 'Ada', age: 36 } }
  it.each<[string, UpdatePatch, object]>([
    ['a shallow merge', { title: 'New', extra: true }, { ...A, title: 'New', extra: true }],
    ['a shallow merge replacing a nested object', { author: { name: 'Grace' } }, { ...A, author: { name: 'Grace' } }],
    ['a merge that leaves undefined fields out', { title: undefined, views: 5 }, { ...A, views: 5 }],
    ['a merge with the same _id', { _id: 'a', views: 7 }, { ...A, views: 7 }],
    ['$set on a dotted path', { $set: { 'author.age': 37, 'meta.edited': true } }, { ...A, author: { name: 'Ada', age: 37 }, meta: { edited: true } }],
    ['$set on an array index', { $set: { 'tags.0': 'y', 'tags.1': 'z' } }, { ...A, tags: ['y', 'z'] }],
    ['$unset with an object', { $unset: { 'author.age': true, views: 1 } }, { _id: 'a', title: 'A', tags: ['x'], author: { name: 'Ada' } }],
    ['$unset with a list', { $unset: ['title', 'tags.0', 'missing.path'] }, { _id: 'a', views: 1, tags: [], author: A.author }],
    ['$inc', { $inc: { 'views': 10, 'author.age': -1, 'likes': 1 } }, { ...A, views: 11, likes: 1, author: { name: 'Ada', age: 35 } }],
    ['$push', { $push: { tags: 'y', comments: { by: 'Bo' } } }, { ...A, tags: ['x', 'y'], comments: [{ by: 'Bo' }] }],
    ['several operators', { $set: { title: 'S' }, $inc: { views: 1 } }, { ...A, title: 'S', views: 2 }],
    ['a Date, stored as an ISO string', { $set: { at: new Date(0) } }, { ...A, at: '1970-01-01T00:00:00.000Z' }],
  ])('applies %s', async (_label, patch, expected) => {
    expect(await posts.update('a', patch)).toBe(1)
    expect(await posts.get('a')).toEqual(expected)
  })

  it('updates the first match of a filter, or every match with multi', async () => {
    expect(await posts.update({ views: 2 }, { $set: { hot: true } })).toBe(1)
    expect(await posts.count({ hot: true })).toBe(1)
    expect(await posts.update({ views: 2 }, { $set: { hot: true } }, { multi: true })).toBe(2)
    expect(await posts.count({ hot: true })).toBe(2)
  })

  it('returns 0 when nothing matches', async () => {
    expect(await posts.update('nope', { title: 'x' })).toBe(0)
    expect(await posts.update({ views: 99 }, { title: 'x' }, { multi: true })).toBe(0)
  })

  it.each<[string, unknown, RegExp]>([
    ['a change of _id', { _id: 'z' }, /cannot change _id/],
    ['$set of _id', { $set: { _id: 'z' } }, /\$set cannot change _id/],
    ['operators mixed with fields', { $set: { a: 1 }, title: 'x' }, /mixes operators and plain fields/],
    ['an unknown operator', { $rename: { a: 'b' } }, /unknown update operator "\$rename"/],
    ['$inc of a string field', { $inc: { title: 1 } }, /\$inc cannot add to "title"/],
    ['$inc by a string', { $inc: { views: '1' } }, /needs a finite number/],
    ['$push to a non-array', { $push: { title: 'x' } }, /\$push cannot append to "title"/],
    ['$set through a string', { $set: { 'title.x': 1 } }, /"title" is a string, not an object/],
    ['$set of undefined', { $set: { title: undefined } }, /use \$unset/],
    ['$set of a function', { $set: { title: () => 'x' } }, /"title" is a function/],
    ['a patch that is not an object', 'title', /a patch must be a plain object/],
    ['a patch that is too large', { body: 'x'.repeat(1024 * 1024) }, /the limit is 1048576 bytes \(1 MiB\)/],
  ])('refuses %s and changes nothing', async (_label, patch, message) => {
    const before = await posts.find()
    await expect(posts.update('a', patch as UpdatePatch)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) })
    await expect(posts.update({}, patch as UpdatePatch, { multi: true })).rejects.toMatchObject({ status: 400 })
    expect(await posts.find()).toEqual(before)
  })

  it('reports a malformed patch even when nothing matches', async () => {
    await expect(posts.update('nope', { $bogus: 1 })).rejects.toMatchObject({ status: 400 })
  })

  it('refuses an invalid multi option', async () => {
    await expect(posts.update('a', { title: 'x' }, { multi: 'yes' } as never)).rejects.toMatchObject({ message: expect.stringMatching(/options\.multi/) })
  })
})

describe('remove', () => {
  it('removes by id', async () => {
    expect(await posts.remove('a')).toBe(1)
    expect(await posts.remove('a')).toBe(0)
    expect(await posts.get('a')).toBeNull()
  })

  it('removes every match of a filter', async () => {
    expect(await posts.remove({ views: 2 })).toBe(2)
    expect((await posts.find()).map(doc => doc._id)).toEqual(['a'])
  })

  it('refuses a target that is neither an id nor a filter', async () => {
    await expect(posts.remove(42 as never)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/an _id \(a string\) or a filter/) })
    await expect(posts.remove('')).rejects.toMatchObject({ status: 400 })
    expect(await posts.count()).toBe(3)
  })
})

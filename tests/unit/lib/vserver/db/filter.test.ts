import { beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, MemoryDocumentStore, type Collection, type Filter } from '../../../../../lib/vserver/db'

const POSTS = [
  { _id: 'a', title: 'Hello world', views: 10, tags: ['intro', 'news'], author: { name: 'Ada', age: 36 }, draft: false },
  { _id: 'b', title: 'Second post', views: 25, tags: ['news'], author: { name: 'Grace', age: 45 }, draft: true },
  { _id: 'c', title: 'Mustache tips', views: 3, tags: [], author: { name: 'Ada', age: 36 }, pinned: null },
  { _id: 'd', title: 'Zebra', views: 40, author: { name: 'Linus' }, draft: false, rating: 'high' },
]

let posts: Collection
beforeAll(async () => {
  posts = createDatabase(new MemoryDocumentStore()).collection('posts')
  await posts.insert(POSTS)
})

const ids = async (filter: Filter) => (await posts.find(filter)).map(doc => doc._id).sort().join(',')

describe('filters', () => {
  it.each<[string, Filter, string]>([
    ['no filter', {}, 'a,b,c,d'],
    ['equality', { views: 10 }, 'a'],
    ['equality on a dotted path', { 'author.name': 'Ada' }, 'a,c'],
    ['equality on an array index', { 'tags.0': 'news' }, 'b'],
    ['deep equality on an object', { author: { age: 36, name: 'Ada' } }, 'a,c'],
    ['deep equality on an array', { tags: ['news'] }, 'b'],
    ['equality with null', { pinned: null }, 'c'],
    ['several fields (and)', { 'author.name': 'Ada', views: 3 }, 'c'],
    ['$eq', { draft: { $eq: false } }, 'a,d'],
    ['$gt', { views: { $gt: 10 } }, 'b,d'],
    ['$gte', { views: { $gte: 10 } }, 'a,b,d'],
    ['$lt', { views: { $lt: 10 } }, 'c'],
    ['$lte', { views: { $lte: 10 } }, 'a,c'],
    ['$gt and $lt together', { views: { $gt: 5, $lt: 30 } }, 'a,b'],
    ['$gt on strings', { title: { $gt: 'S' } }, 'b,d'],
    ['$gt ignores other types', { rating: { $gt: 5 } }, ''],
    ['$lt on a nested number', { 'author.age': { $lt: 40 } }, 'a,c'],
    ['$ne (missing fields count as different)', { draft: { $ne: true } }, 'a,c,d'],
    ['$in', { views: { $in: [3, 40, 99] } }, 'c,d'],
    ['$in with objects', { author: { $in: [{ name: 'Linus' }] } }, 'd'],
    ['$nin', { 'author.name': { $nin: ['Ada', 'Linus'] } }, 'b'],
    ['$contains on a string', { title: { $contains: 'post' } }, 'b'],
    ['$contains on an array', { tags: { $contains: 'news' } }, 'a,b'],
    ['$contains on neither', { views: { $contains: 1 } }, ''],
    ['$exists true', { draft: { $exists: true } }, 'a,b,d'],
    ['$exists false', { tags: { $exists: false } }, 'd'],
    ['$exists on a null value', { pinned: { $exists: true } }, 'c'],
    ['$and', { $and: [{ 'author.name': 'Ada' }, { views: { $gt: 5 } }] }, 'a'],
    ['$or', { $or: [{ views: { $gt: 30 } }, { tags: { $contains: 'intro' } }] }, 'a,d'],
    ['$or inside $and', { $and: [{ $or: [{ views: 3 }, { views: 40 }] }, { draft: false }] }, 'd'],
    ['a path into a missing object', { 'missing.deeper': { $exists: false } }, 'a,b,c,d'],
  ])('%s', async (_label, filter, expected) => {
    expect(await ids(filter)).toBe(expected)
  })

  it.each<[string, unknown, RegExp]>([
    ['an unknown operator', { views: { $regex: 'x' } }, /unknown operator "\$regex" on "views"/],
    ['an unknown top-level operator', { $nor: [] }, /"\$nor" is not a filter operator here/],
    ['operators mixed with fields', { author: { $exists: true, name: 'Ada' } }, /mixes operators and field names/],
    ['$in without an array', { views: { $in: 3 } }, /views\.\$in needs an array/],
    ['$gt with an object', { views: { $gt: {} } }, /needs a number or a string/],
    ['$exists with a string', { views: { $exists: 'yes' } }, /needs true or false/],
    ['$or with an empty array', { $or: [] }, /\$or needs a non-empty array/],
    ['an undefined value', { author: undefined }, /undefined; use \{ \$exists: false \}/],
    ['a function value', { author: () => 1 }, /is a function/],
    ['an empty path part', { 'author..name': 'x' }, /not a field path/],
    ['an array as the filter', [1], /must be a plain object/],
  ])('refuses %s with a 400', async (_label, filter, message) => {
    const error = await posts.find(filter as Filter).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 400, message: expect.stringMatching(new RegExp(`^posts\\.find: .*${message.source}`)) })
  })
})

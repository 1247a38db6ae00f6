import { afterEach, describe, expect, it } from 'vitest'
import { createDatabase, MemoryDocumentStore, type Database } from '../../../../lib/vserver/db'
import { MemoryFileStore } from '../../../../lib/vserver/memory-files'
import type { VResponse } from '../../../../lib/vserver/types'
import { DB_CACHE_MAX_DOCUMENTS, DB_CACHE_MAX_ENTRIES, DbReadCache } from '../../../../lib/worker/db-cache'
import { createWorkerServer, type WorkerServer } from '../../../../lib/worker/pool'
import { fakeWorkers } from '../../../helpers/fake-worker'

/** A read that counts how often it reached "the page". */
function asker<T>(value: () => T) {
  const asked = { count: 0 }
  return { asked, ask: async () => {
    asked.count++
    return value()
  } }
}

describe('the worker\'s database answers', () => {
  it('answers the same question again without asking, each caller with its own copy', async () => {
    const cache = new DbReadCache()
    const { asked, ask } = asker(() => [{ _id: 'a', tags: ['x'] }])
    const first = await cache.read('notes', ['find', {}, null], ask)
    first[0]!.tags.push('changed by the first caller')
    const second = await cache.read('notes', ['find', {}, null], ask)
    expect(second).toEqual([{ _id: 'a', tags: ['x'] }])
    second[0]!.tags.push('and by the second')
    expect(await cache.read('notes', ['find', {}, null], ask)).toEqual([{ _id: 'a', tags: ['x'] }])
    expect(asked.count).toBe(1)
  })

  it('forgets the answers about a collection that changed, and which collections exist; keeps the others', async () => {
    const cache = new DbReadCache()
    const notes = asker(() => 1)
    const users = asker(() => 2)
    const names = asker(() => ['notes', 'users'])
    const readAll = () => Promise.all([cache.read('notes', ['count', null], notes.ask), cache.read('users', ['count', null], users.ask), cache.read(null, ['collections'], names.ask)])
    await readAll()
    cache.changed(['notes'])
    await readAll()
    expect([notes.asked.count, users.asked.count, names.asked.count]).toEqual([2, 1, 2])
    cache.changed(null)
    await readAll()
    expect([notes.asked.count, users.asked.count, names.asked.count]).toEqual([3, 2, 3])
  })

  it('does not keep an answer whose call was in flight when a change arrived', async () => {
    const cache = new DbReadCache()
    let release = () => {}
    let asked = 0
    const slow = () => {
      asked++
      return new Promise<number>((resolve) => {
        release = () => resolve(1)
      })
    }
    const pending = cache.read('notes', ['count', null], slow)
    cache.changed(['notes'])
    release()
    expect(await pending).toBe(1)
    const again = cache.read('notes', ['count', null], slow)
    release()
    await again
    expect(asked).toBe(2)
  })

  it('does not keep answers to questions that are not plain JSON (undefined, a Date, a RegExp)', async () => {
    const cache = new DbReadCache()
    for (const filter of [{ a: undefined }, { at: new Date(0) }, { name: /x/ }, { n: Number.NaN }]) {
      const { asked, ask } = asker(() => 0)
      await cache.read('notes', ['count', filter], ask)
      await cache.read('notes', ['count', filter], ask)
      expect(asked.count).toBe(2)
    }
    expect(cache.size.entries).toBe(0)
  })

  it('errors are not kept', async () => {
    const cache = new DbReadCache()
    let asked = 0
    const failing = async () => {
      asked++
      throw new Error('db.find: bad filter')
    }
    await expect(cache.read('notes', ['find', { $bad: 1 }, null], failing)).rejects.toThrow('bad filter')
    await expect(cache.read('notes', ['find', { $bad: 1 }, null], failing)).rejects.toThrow('bad filter')
    expect(asked).toBe(2)
  })

  it(`keeps DB_CACHE_MAX_ENTRIES (${DB_CACHE_MAX_ENTRIES}) answers; one more lets the least recently used go`, async () => {
    const cache = new DbReadCache()
    const { asked, ask } = asker(() => 0)
    for (let i = 0; i < DB_CACHE_MAX_ENTRIES; i++) await cache.read('notes', ['count', { i }], ask)
    expect(cache.size.entries).toBe(DB_CACHE_MAX_ENTRIES)
    await cache.read('notes', ['count', { i: 0 }], ask) // now the most recently used
    await cache.read('notes', ['count', { i: 'one more' }], ask)
    expect(cache.size.entries).toBe(DB_CACHE_MAX_ENTRIES)
    const before = asked.count
    await cache.read('notes', ['count', { i: 0 }], ask)
    expect(asked.count).toBe(before)
    await cache.read('notes', ['count', { i: 1 }], ask)
    expect(asked.count).toBe(before + 1)
  })

  it(`keeps an answer of DB_CACHE_MAX_DOCUMENTS (${DB_CACHE_MAX_DOCUMENTS}) documents, not one of more, and at most that many in all`, async () => {
    const cache = new DbReadCache()
    const docs = (n: number) => Array.from({ length: n }, (_, i) => ({ _id: String(i) }))
    await cache.read('notes', ['find', { all: true }, null], async () => docs(DB_CACHE_MAX_DOCUMENTS))
    expect(cache.size).toEqual({ entries: 1, documents: DB_CACHE_MAX_DOCUMENTS })
    await cache.read('notes', ['find', { more: true }, null], async () => docs(DB_CACHE_MAX_DOCUMENTS + 1))
    expect(cache.size).toEqual({ entries: 1, documents: DB_CACHE_MAX_DOCUMENTS })
    await cache.read('notes', ['find', { few: true }, null], async () => docs(10))
    expect(cache.size).toEqual({ entries: 1, documents: 10 })
  })
})

describe('database answers in the handler worker', () => {
  let server: WorkerServer | undefined
  afterEach(() => server?.destroy())

  /** The site's database, counting the reads that reach it (the page's work). */
  function countedDb(): { db: Database, reads: { count: number } } {
    const db = createDatabase(new MemoryDocumentStore())
    const reads = { count: 0 }
    const collection = (name: string) => new Proxy(db.collection(name), {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          if (['find', 'findOne', 'get', 'count'].includes(String(key))) reads.count++
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    return { db: { ...db, collection }, reads }
  }

  async function setUp() {
    const files = new MemoryFileStore()
    await files.write('routes/notes.get.js', `export default defineHandler(async () => (await db.collection('notes').find({}, { sort: { n: 1 } })).map(note => note.n).join(','))`)
    await files.write('routes/add.post.js', `export default defineHandler(async (event) => {
  const notes = db.collection('notes')
  await notes.insert(await readBody(event))
  return (await notes.find({}, { sort: { n: 1 } })).map(note => note.n).join(',')
})`)
    const { db, reads } = countedDb()
    server = createWorkerServer({ files, db, secret: 'a secret of at least 16 bytes', createWorker: fakeWorkers().create })
    const text = (response: VResponse) => (response.body instanceof Uint8Array ? new TextDecoder().decode(response.body) : '')
    const get = async (url: string) => text(await server!.handle({ method: 'GET', url, headers: [], body: null }))
    const post = async (url: string, body: unknown) => text(await server!.handle({ method: 'POST', url, headers: [['content-type', 'application/json']], body: new TextEncoder().encode(JSON.stringify(body)) }))
    return { db, reads, get, post }
  }

  it('a page read for every visitor asks the page once, until the collection changes', async () => {
    const { db, reads, get } = await setUp()
    await db.collection('notes').insert([{ n: 1 }, { n: 2 }])
    for (let i = 0; i < 5; i++) expect(await get('/notes')).toBe('1,2')
    expect(reads.count).toBe(1)
    // A change on the page (a co-author's edit arrives the same way), and the next request sees it.
    await db.collection('notes').insert({ n: 3 })
    expect(await get('/notes')).toBe('1,2,3')
    expect(reads.count).toBe(2)
  })

  it('a handler reads its own write', async () => {
    const { reads, get, post } = await setUp()
    expect(await get('/notes')).toBe('')
    expect(await post('/add', { n: 7 })).toBe('7')
    expect(await get('/notes')).toBe('7')
    expect(reads.count).toBe(2)
  })
})

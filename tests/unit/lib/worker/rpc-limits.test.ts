import { afterEach, describe, expect, it } from 'vitest'
import type { RequestLog } from '../../../../lib/vserver/app'
import { createDatabase, MAX_DOCUMENT_BYTES, MemoryDocumentStore } from '../../../../lib/vserver/db'
import { MemoryFileStore } from '../../../../lib/vserver/memory-files'
import type { VRequest, VResponse } from '../../../../lib/vserver/types'
import { createWorkerServer, type WorkerServer } from '../../../../lib/worker/pool'
import {
  DEFAULT_MAX_CONCURRENT_RPC_CALLS, DEFAULT_MAX_RPC_CALLS_PER_REQUEST, DEFAULT_MAX_RPC_DOCUMENTS, DEFAULT_MAX_RPC_RESULT_BYTES, RpcBudget, rpcLimits,
  type RpcLimits,
} from '../../../../lib/worker/rpc-limits'
import { fakeWorkers } from '../../../helpers/fake-worker'

// A site's handlers, in the real handler worker (in process), calling the
// page's database more than a request may: each call past a limit throws in
// the handler, the visitor gets a 500, the author the reason in the log.
// Each call asks a question of its own (`count({ asked, i })`): the worker keeps
// answers it already got (db-cache.ts), and only questions reach the page.

const SITE: Record<string, string> = {
  // `?n=` calls, or with `?probe` as many as it may, saying how many that was.
  'routes/calls.js': `export default defineHandler(async (event) => {
  const { n, probe } = getQuery(event)
  let made = 0
  const asked = Math.random()
  try {
    while (probe !== undefined || made < Number(n)) { await db.collection('notes').count({ asked, i: made }); made++ }
  }
  catch (error) {
    if (probe === undefined) throw error
  }
  return { made }
})`,
  'routes/loop.js': `export default defineHandler(async () => {
  for (let i = 0; ; i++) await db.collection('notes').count({ i })
})`,
  'routes/find.js': `export default defineHandler(async (event) => {
  const limit = getQuery(event).limit
  return (await db.collection('notes').find({}, limit ? { limit: Number(limit) } : {})).length
})`,
  'routes/insert.post.js': `export default defineHandler(async (event) => (await db.collection('notes').insert(await readBody(event))).length)`,
  'routes/later.js': `export default defineHandler(() => {
  setTimeout(() => db.collection('notes').count().then(n => { globalThis.later = 'counted ' + n }, (error) => { globalThis.later = error.message }), 20)
  return 'scheduled'
})`,
  'routes/later-result.js': `export default defineHandler(() => globalThis.later ?? 'not yet')`,
}

let server: WorkerServer | undefined
afterEach(() => server?.destroy())

async function setUp(rpc?: RpcLimits) {
  const files = new MemoryFileStore()
  for (const [path, content] of Object.entries(SITE)) await files.write(path, content)
  const db = createDatabase(new MemoryDocumentStore())
  const logs: RequestLog[] = []
  server = createWorkerServer({ files, db, secret: 'a secret of at least 16 bytes', createWorker: fakeWorkers().create, log: entry => logs.push(entry), rpc })
  const fetch = async (url: string, body?: unknown): Promise<{ status: number, text: string, error?: string }> => {
    const request: VRequest = body === undefined
      ? { method: 'GET', url, headers: [], body: null }
      : { method: 'POST', url, headers: [['content-type', 'application/json']], body: new TextEncoder().encode(JSON.stringify(body)) }
    const response: VResponse = await server!.handle(request)
    const text = response.body instanceof Uint8Array ? new TextDecoder().decode(response.body) : ''
    return { status: response.status, text, error: logs.findLast(entry => entry.url === url)?.error?.message }
  }
  return { server, db, logs, fetch }
}

describe('handler worker: calls one request may make', () => {
  it.each([
    ['the default', undefined, DEFAULT_MAX_RPC_CALLS_PER_REQUEST],
    ['a configured 20', 20, 20],
  ])('%s: a handler makes the limit\'s calls (its own file reads among them), one more throws: 500, reason logged', async (_name, maxCallsPerRequest, limit) => {
    const { fetch } = await setUp({ maxCallsPerRequest })
    await fetch('/calls?n=0') // the route's module is loaded and cached
    const probe = await fetch('/calls?probe')
    const room = Number(JSON.parse(probe.text).made)
    expect(room).toBeGreaterThan(limit - 10) // the rest went to finding and reading the route
    expect(room).toBeLessThanOrEqual(limit)
    expect((await fetch(`/calls?n=${room}`)).status).toBe(200)
    const over = await fetch(`/calls?n=${room + 1}`)
    expect(over.status).toBe(500)
    expect(over.error).toBe(`RpcLimitError: db.count: the request made more than ${limit} calls to the site's data (limit ${limit})`)
  })

  it('a handler that loops on the database is stopped at the limit, long before its time limit; the next request is served', async () => {
    const { fetch } = await setUp()
    const started = performance.now()
    const looped = await fetch('/loop')
    expect(looped.status).toBe(500) // not 504 after 5 s of the studio's thread answering it
    expect(looped.error).toMatch(/more than 1000 calls/)
    expect(performance.now() - started).toBeLessThan(4000)
    expect((await fetch('/calls?n=3')).status).toBe(200)
  })

  it('a call while no request is in flight (a timer a handler left) is refused', async () => {
    const { fetch } = await setUp()
    expect((await fetch('/later')).text).toBe('scheduled')
    await new Promise(resolve => setTimeout(resolve, 100))
    expect((await fetch('/later-result')).text).toBe('db.count: called while no request is in flight (a timer or promise a handler left behind?)')
  })
})

describe('handler worker: documents and bytes one call may return', () => {
  const insertMany = async (db: ReturnType<typeof createDatabase>, n: number, extra: Record<string, unknown> = {}) =>
    db.collection('notes').insert(Array.from({ length: n }, (_, i) => ({ _id: `d${i}`, ...extra })))

  it.each([
    ['the default', undefined, DEFAULT_MAX_RPC_DOCUMENTS],
    ['a configured 10', 10, 10],
  ])('%s: find returns the limit\'s documents; one more matching throws (500, reason logged) unless the handler pages', async (_name, maxDocuments, limit) => {
    const { db, fetch } = await setUp({ maxDocuments })
    await insertMany(db, limit)
    expect(await fetch('/find')).toMatchObject({ status: 200, text: String(limit) })
    await db.collection('notes').insert({ _id: 'one-more' })
    const over = await fetch('/find')
    expect(over.status).toBe(500)
    expect(over.error).toBe(`RpcLimitError: notes.find: more than ${limit} documents match (limit ${limit}); page through them with limit and skip`)
    expect(await fetch(`/find?limit=${limit}`)).toMatchObject({ status: 200, text: String(limit) })
  })

  it('insert takes the limit\'s documents at once; one more is refused and nothing stored', async () => {
    const { db, fetch } = await setUp({ maxDocuments: 10 })
    expect(await fetch('/insert', Array.from({ length: 10 }, () => ({})))).toMatchObject({ status: 200, text: '10' })
    const over = await fetch('/insert', Array.from({ length: 11 }, () => ({})))
    expect(over.status).toBe(500)
    expect(over.error).toBe('RpcLimitError: notes.insert: 11 documents at once (limit 10); nothing was stored')
    expect(await db.collection('notes').count()).toBe(10)
  })

  it.each([
    ['the default', undefined, DEFAULT_MAX_RPC_RESULT_BYTES],
    ['a configured 4 KiB', 4096, 4096],
  ])('%s: find returns the limit\'s bytes of JSON; one byte more throws', async (_name, maxResultBytes, limit) => {
    const { db, fetch } = await setUp({ maxResultBytes })
    // Documents `{"_id":"dN","s":"…"}` that add up to the limit exactly (each under MAX_DOCUMENT_BYTES, so one can grow a byte).
    const per = Math.min(MAX_DOCUMENT_BYTES / 2, limit / 4)
    const count = limit / per
    const wrap = (i: number) => JSON.stringify({ _id: `d${i}`, s: '' }).length
    await db.collection('notes').insert(Array.from({ length: count }, (_, i) => ({ _id: `d${i}`, s: 'x'.repeat(per - wrap(i)) })))
    expect(await fetch('/find')).toMatchObject({ status: 200, text: String(count) })
    await db.collection('notes').update('d0', { $set: { s: 'x'.repeat(per - wrap(0) + 1) } })
    const over = await fetch('/find')
    expect(over.status).toBe(500)
    expect(over.error).toBe(`RpcLimitError: notes.find: the documents are over ${limit} bytes as JSON (limit ${limit}); ask for fewer (limit) or fewer fields (fields)`)
  }, 30_000)
})

describe('RpcBudget', () => {
  const call = { method: 'db.count', collection: 'notes' } as const

  it.each([
    ['the default', undefined, DEFAULT_MAX_CONCURRENT_RPC_CALLS],
    ['a configured 3', 3, 3],
  ])('%s: the limit\'s calls run at once, one more is refused until one is done', (_name, maxConcurrentCalls, limit) => {
    const budget = new RpcBudget(rpcLimits({ maxConcurrentCalls }))
    budget.open(1)
    for (let i = 0; i < limit; i++) expect(budget.begin(call)).toBeNull()
    expect(budget.begin(call)).toBe(`db.count: ${limit} calls to the site's data are running at once (limit ${limit})`)
    budget.done()
    expect(budget.begin(call)).toBeNull()
  })

  it('charges the oldest request in flight with calls left: together they make at most their sum', () => {
    const budget = new RpcBudget(rpcLimits({ maxCallsPerRequest: 2 }))
    budget.open(1)
    budget.open(2)
    const made = Array.from({ length: 5 }, () => {
      const refused = budget.begin(call)
      budget.done()
      return refused === null
    })
    expect(made).toEqual([true, true, true, true, false])
    budget.close(1)
    budget.open(3)
    expect(budget.begin(call)).toBeNull() // request 3's own
  })

  it.each([
    ['maxCallsPerRequest', { maxCallsPerRequest: 0 }],
    ['maxConcurrentCalls', { maxConcurrentCalls: 0 }],
    ['maxDocuments', { maxDocuments: 0 }],
    ['maxResultBytes', { maxResultBytes: 10 }],
  ])('refuses a %s that allows nothing', (_name, limits) => {
    expect(() => rpcLimits(limits)).toThrow(RangeError)
  })
})

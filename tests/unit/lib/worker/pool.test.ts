import { afterEach, describe, expect, it } from 'vitest'
import type { RequestLog } from '../../../../lib/vserver/app'
import { createDatabase, MemoryDocumentStore } from '../../../../lib/vserver/db'
import { MemorySessionStore } from '../../../../lib/vserver/event'
import { MemoryFileStore } from '../../../../lib/vserver/memory-files'
import type { AuthorError } from '../../../../lib/vserver/modules'
import type { VRequest, VResponse } from '../../../../lib/vserver/types'
import { createWorkerServer, type WorkerServer } from '../../../../lib/worker/pool'
import { fakeWorkers } from '../../../helpers/fake-worker'

const SITE: Record<string, string> = {
  'public/index.html': '<h1>static home</h1>',
  'routes/index.js': `export default defineHandler(() => 'route home')`,
  'routes/hello/[name].get.js': `export default defineHandler((event) => {
  console.log('greeting', getRouterParam(event, 'name'))
  return render('hello', { name: getRouterParam(event, 'name') })
})`,
  'views/hello.mustache': '<p>Hello, {{name}}!</p>',
  'routes/notes.post.js': `export default defineHandler(async (event) => {
  const note = await db.collection('notes').insert(await readBody(event))
  setResponseStatus(event, 201)
  return note
})`,
  'routes/notes.get.js': `export default defineHandler(async () => ({
  notes: await db.collection('notes').find({ n: { $gte: 2 } }, { sort: { n: -1 } }),
  count: await db.collection('notes').count(),
}))`,
  'routes/bad-doc.js': `export default defineHandler(() => db.collection('notes').insert({ when: () => 1 }))`,
  'routes/visits.js': `export default defineHandler(async (event) => {
  const session = await useSession(event)
  await session.update({ visits: (session.data.visits ?? 0) + 1 })
  return { visits: session.data.visits }
})`,
  'routes/hang.js': `export default defineHandler(() => new Promise(() => {}))`,
  'routes/boom.js': `export default defineHandler(() => {\n  console.log('about to fail')\n  throw new Error('the database is on fire')\n})`,
  'routes/many-headers.js': `export default defineHandler((event) => {
  for (let i = 0; i < 300; i++) setResponseHeader(event, 'x-h' + i, 'v')
  return 'too many'
})`,
  'routes/stream.js': `export default defineHandler(() => new ReadableStream({
  start(c) { c.enqueue('one,'); c.enqueue(new TextEncoder().encode('two')); c.close() },
}))`,
}

const encoder = new TextEncoder()
async function text(response: VResponse): Promise<string> {
  const { body } = response
  if (!(body instanceof ReadableStream)) return body ? new TextDecoder().decode(body) : ''
  const decoder = new TextDecoder()
  let out = ''
  const reader = body.getReader()
  for (let read = await reader.read(); !read.done; read = await reader.read()) out += decoder.decode(read.value, { stream: true })
  return out + decoder.decode()
}
const header = (response: VResponse, name: string) => response.headers.find(([key]) => key === name)?.[1]
const get = (url: string, headers: VRequest['headers'] = []): VRequest => ({ method: 'GET', url, headers, body: null })

async function siteFiles(): Promise<MemoryFileStore> {
  const files = new MemoryFileStore()
  for (const [path, content] of Object.entries(SITE)) await files.write(path, content)
  return files
}

let server: WorkerServer | undefined
afterEach(() => server?.destroy())

async function setUp(timeoutMs = 5000) {
  const workers = fakeWorkers()
  const logs: RequestLog[] = []
  const warnings: Array<{ message: string, error?: AuthorError }> = []
  const files = await siteFiles()
  const sessions = new MemorySessionStore()
  const db = createDatabase(new MemoryDocumentStore())
  server = createWorkerServer({
    files, db, sessions, secret: 'a secret of at least 16 bytes', timeoutMs, createWorker: workers.create,
    log: entry => logs.push(entry), warn: (message, error) => warnings.push({ message, error }),
  })
  return { server, workers, logs, warnings, files, sessions, db }
}

describe('createWorkerServer', () => {
  it('answers a route through the worker, and static files without it', async () => {
    const { server, workers, logs } = await setUp()
    const home = await server.handle(get('/'))
    expect(await text(home)).toBe('<h1>static home</h1>')
    expect(workers.made).toHaveLength(0)
    const hello = await server.handle(get('/hello/ada'))
    expect(hello.status).toBe(200)
    expect(await text(hello)).toBe('<p>Hello, ada!</p>')
    expect(workers.made).toHaveLength(1)
    expect(logs.map(entry => [entry.url, entry.status])).toEqual([['/', 200], ['/hello/ada', 200]])
    expect(logs[1]).toMatchObject({ route: 'routes/hello/[name].get.js', console: [{ level: 'log', text: 'greeting ada' }] })
  })

  it('serves file reads from the worker cache until the file changes', async () => {
    const { server, files } = await setUp()
    expect(await text(await server.handle(get('/hello/a')))).toBe('<p>Hello, a!</p>')
    await files.write('views/hello.mustache', '<p>Hi, {{name}}.</p>')
    expect(await text(await server.handle(get('/hello/b')))).toBe('<p>Hi, b.</p>')
  })

  it('runs database calls on the page, with its errors as the handler sees them', async () => {
    const { server, db } = await setUp()
    for (const n of [1, 2, 3]) {
      const body = encoder.encode(JSON.stringify({ n }))
      const created = await server.handle({ method: 'POST', url: '/notes', headers: [['content-type', 'application/json']], body })
      expect(created.status).toBe(201)
    }
    expect(await db.collection('notes').count()).toBe(3)
    const listed: unknown = JSON.parse(await text(await server.handle(get('/notes'))))
    expect(listed).toMatchObject({ notes: [{ n: 3 }, { n: 2 }], count: 3 })
    const bad = await server.handle(get('/bad-doc', [['accept', 'application/json']]))
    expect(bad.status).toBe(400)
    expect(await text(bad)).toContain('JSON data only')
  })

  it('keeps sessions on the page, so they outlive a replaced worker', async () => {
    const { server, workers, sessions } = await setUp()
    const first = await server.handle(get('/visits'))
    const cookie = header(first, 'set-cookie')?.split(';')[0] ?? ''
    expect(JSON.parse(await text(first))).toEqual({ visits: 1 })
    workers.made[0]?.crash('boom')
    const second = await server.handle(get('/visits', [['cookie', cookie]]))
    expect(JSON.parse(await text(second))).toEqual({ visits: 2 })
    expect(workers.made).toHaveLength(2)
    const sid = cookie.split('=')[1]?.split('.')[0] ?? ''
    expect(await sessions.get(sid)).toEqual({ visits: 2 })
  })

  it('answers 504 past the limit, 503 to the others on that worker, and serves the next request from a fresh one', async () => {
    const { server, workers, logs } = await setUp(100)
    const started = performance.now()
    const hung = server.handle(get('/hang'))
    await new Promise(resolve => setTimeout(resolve, 30))
    const other = server.handle(get('/hang'))
    const timedOut = await hung
    expect(performance.now() - started).toBeLessThan(1000)
    expect(timedOut.status).toBe(504)
    expect(await text(timedOut)).toContain('took longer than 0.1 s')
    const replaced = await other
    expect(replaced.status).toBe(503)
    expect(header(replaced, 'retry-after')).toBe('1')
    expect(workers.made[0]?.terminated).toBe(true)
    expect(await text(await server.handle(get('/hello/again')))).toBe('<p>Hello, again!</p>')
    expect(workers.made).toHaveLength(2)
    expect(logs.filter(entry => entry.url === '/hang').map(entry => entry.status)).toEqual([504, 503])
  })

  it('gives the visitor a plain 500 and the author the error and the console lines', async () => {
    const { server, logs } = await setUp()
    const response = await server.handle(get('/boom'))
    expect(response.status).toBe(500)
    expect(await text(response)).not.toContain('on fire')
    const entry = logs.find(item => item.url === '/boom')
    expect(entry?.error).toMatchObject({ message: 'Error: the database is on fire', file: 'routes/boom.js', line: 3 })
    expect(entry?.console.map(line => line.text)).toEqual(['about to fail'])
  })

  it('answers 500 to a response whose headers the tunnel cannot carry, and tells the author why', async () => {
    const { server, workers, warnings } = await setUp()
    const response = await server.handle(get('/many-headers'))
    expect(response.status).toBe(500)
    expect(await text(response)).not.toContain('too many')
    expect(warnings.map(w => w.error?.message)).toEqual([expect.stringMatching(/^A response's headers break the tunnel's limits \(.*256.*\); the visitor got a 500$/)])
    expect(await text(await server.handle(get('/hello/next')))).toBe('<p>Hello, next!</p>')
    expect(workers.made).toHaveLength(1)
  })

  it('streams a body chunk by chunk', async () => {
    const { server } = await setUp()
    const response = await server.handle(get('/stream'))
    expect(response.body).toBeInstanceOf(ReadableStream)
    expect(await text(response)).toBe('one,two')
  })

  it('answers 503 to requests in flight on a crashed worker and replaces it', async () => {
    const { server, workers, warnings } = await setUp()
    const hung = server.handle(get('/hang'))
    await new Promise(resolve => setTimeout(resolve, 30))
    workers.made[0]?.crash('out of memory')
    expect((await hung).status).toBe(503)
    expect(warnings.some(w => w.message.includes('out of memory'))).toBe(true)
    expect((await server.handle(get('/hello/x'))).status).toBe(200)
  })

  it.each([
    ['not an object', 42],
    ['an unknown type', { type: 'surprise' }],
    ['a response with a bad id', { type: 'response', id: -1, status: 200, headers: [], body: null, stream: false }],
    ['a response for no request', { type: 'response', id: 99, status: 200, headers: [], body: null, stream: false }],
    ['a log entry without fields', { type: 'log', entry: { url: '/' } }],
    ['an rpc to an unknown method', { type: 'rpc', id: 1, call: { method: 'files.write', path: 'x' } }],
  ])('refuses %s from the worker and keeps serving', async (_name, message) => {
    const { server, workers, warnings, logs } = await setUp()
    expect((await server.handle(get('/hello/a'))).status).toBe(200)
    workers.made[0]?.inside.postMessage(message)
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(warnings.length).toBe(1)
    expect((await server.handle(get('/hello/b'))).status).toBe(200)
    expect(logs).toHaveLength(2)
  })

  it('applies a new time limit to later requests, and refuses a bad one', async () => {
    const { server } = await setUp()
    server.setTimeoutMs(50)
    expect(await text(await server.handle(get('/hang')))).toContain('took longer than 0.05 s')
    expect(() => server.setTimeoutMs(0)).toThrow(RangeError)
  })

  it('answers 503 after destroy', async () => {
    const { server, workers } = await setUp()
    expect((await server.handle(get('/'))).status).toBe(200)
    server.destroy()
    expect((await server.handle(get('/hello/a'))).status).toBe(503)
    expect(workers.made).toHaveLength(0)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { createHostRuntime, RECONNECT_MAX_MS, RECONNECT_MIN_MS, REMOVAL_GRACE_MS, VISITOR_CHANGES_MS, VISITOR_COUNTS_MS, type HostRuntime, type HostRuntimeEvents } from '../../../../lib/host/runtime'
import { openSiteDoc, type SiteDoc } from '../../../../lib/site'
import { SignalingError } from '../../../../lib/peer/signaling-client'
import { decodeLessonEvents, type LessonEvent } from '../../../../shared/protocol/lesson'
import { authorRoleKey, ownerTokenKey } from '../../../../shared/storage-keys'
import { loadAuthorKey, memoryKeyStore, type AuthorKey } from '../../../../lib/studio/author-key'
import { fakeClock } from '../../../helpers/fake-clock'
import { fakeHosting } from '../../../helpers/fake-hosting'
import { fakeWorkers } from '../../../helpers/fake-worker'
import { memoryStorage } from '../../../helpers/memory-storage'

const runtimes: HostRuntime[] = []
afterEach(() => {
  for (const runtime of runtimes.splice(0)) runtime.destroy()
})


async function siteWith(files: Record<string, string>): Promise<SiteDoc> {
  const site = openSiteDoc()
  for (const [path, text] of Object.entries(files)) await site.files.write(path, text)
  return site
}

async function setUp(options: { files?: Record<string, string>, storage?: ReturnType<typeof memoryStorage>, hosting?: ReturnType<typeof fakeHosting>, key?: AuthorKey } = {}) {
  const site = await siteWith(options.files ?? {
    'public/index.html': '<h1>home</h1>',
    'public/css/site.css': 'body { color: red }',
    'routes/hello.get.js': `export default defineHandler(() => { console.log('said hello'); return 'hello from a route' })`,
    'routes/boom.get.js': `export default defineHandler(() => {\n  throw new Error('on fire')\n})`,
  })
  const storage = options.storage ?? memoryStorage()
  const hosting = options.hosting ?? fakeHosting()
  const clock = fakeClock()
  const workers = fakeWorkers()
  const key = options.key
  const runtime = createHostRuntime({ name: 'class-site', site, storage, signalUrl: 'ws://signal.invalid/_ps/signal', iceServers: [], createWorker: workers.create, clock, host: hosting.host, key: key && (async () => key) })
  runtimes.push(runtime)
  const seen: { [K in keyof HostRuntimeEvents]: HostRuntimeEvents[K][] } = { state: [], visitors: [], log: [], lesson: [], room: [] }
  runtime.on('state', value => seen.state.push(value))
  runtime.on('visitors', value => seen.visitors.push(value))
  runtime.on('log', value => seen.log.push(value))
  runtime.on('lesson', value => seen.lesson.push(value))
  runtime.on('room', value => seen.room.push(value))
  return { site, storage, hosting, clock, workers, runtime, seen }
}

/** Wait until `check` passes (events arrive on later macrotasks of the in-memory transport). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return
    await new Promise(resolve => setTimeout(resolve, 5))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** A lesson channel's events as they arrive: `next(n)` reads until n more have come. */
function lessonEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader()
  const queued: LessonEvent[] = []
  let rest = ''
  return {
    async next(count: number): Promise<LessonEvent[]> {
      while (queued.length < count) {
        const { value, done } = await reader.read()
        if (done) break
        const decoded = decodeLessonEvents(rest + new TextDecoder().decode(value))
        rest = decoded.rest
        queued.push(...decoded.events)
      }
      return queued.splice(0, count)
    },
  }
}

describe('host runtime: registration', () => {
  it('registers with the owner token this browser holds, and keeps the one signaling issues', async () => {
    const storage = memoryStorage({ [ownerTokenKey('class-site')]: 'earlier-token-0123456789' })
    const { runtime, hosting, seen } = await setUp({ storage, hosting: fakeHosting({ token: 'fresh-token-0123456789', code: 'KMNPRS' }) })
    expect(runtime.state().status).toBe('starting')
    const state = await runtime.start()
    expect(hosting.registrations[0]).toMatchObject({ site: 'class-site', token: 'earlier-token-0123456789', signalUrl: 'ws://signal.invalid/_ps/signal' })
    expect(state).toEqual({ status: 'serving', problem: '', code: 'KMNPRS' })
    expect(seen.state.at(-1)).toEqual(state)
    expect(storage.map.get(ownerTokenKey('class-site'))).toBe('fresh-token-0123456789')
  })

  it('registers by key: the key is passed to signaling, the role kept, a legacy token sent once and then dropped', async () => {
    const storage = memoryStorage({ [ownerTokenKey('class-site')]: 'legacy-token-0123456789' })
    const key = await loadAuthorKey(memoryKeyStore())
    const { runtime, hosting } = await setUp({ storage, hosting: fakeHosting({ role: 'owner' }), key })
    await runtime.start()
    expect(hosting.registrations[0]).toMatchObject({ key: { publicKey: key.publicKey }, token: 'legacy-token-0123456789' })
    expect(storage.map.get(authorRoleKey('class-site'))).toBe('owner')
    expect(storage.map.has(ownerTokenKey('class-site'))).toBe(false)
    expect(await runtime.mintInvite()).toMatchObject({ code: expect.stringMatching(/^[\w-]{43}$/) })
    expect(hosting.invites).toHaveLength(1)
  })

  it('registers a name new to this browser without a token', async () => {
    const { runtime, hosting } = await setUp()
    await runtime.start()
    expect(hosting.registrations[0]?.token).toBeUndefined()
  })

  it('a taken name is refused with the server\'s message, and no token is kept', async () => {
    const { runtime, storage } = await setUp({ hosting: fakeHosting({ refuse: new SignalingError('name-taken', 'the name class-site is taken') }) })
    const state = await runtime.start()
    expect(state).toMatchObject({ status: 'refused', problem: 'the name class-site is taken' })
    expect(storage.map.size).toBe(0)
  })

  it('destroyed while registering: the session that arrives is stopped and nothing is kept', async () => {
    const { runtime, hosting, storage, seen } = await setUp()
    const started = runtime.start()
    runtime.destroy()
    await started
    expect(hosting.stopped).toBe(true)
    expect(storage.map.size).toBe(0)
    expect(seen.state.map(state => state.status)).not.toContain('serving')
  })

  it('says so when the signaling connection drops, and registers again RECONNECT_MIN_MS later', async () => {
    const { runtime, hosting, clock } = await setUp()
    await runtime.start()
    hosting.drop('server restarted')
    expect(runtime.state().status).toBe('disconnected')
    clock.advance(RECONNECT_MIN_MS - 1)
    expect(hosting.registrations).toHaveLength(1)
    clock.advance(1)
    await until(() => runtime.state().status === 'serving', 'serving again')
    expect(hosting.registrations).toHaveLength(2)
    expect(hosting.stopped).toBe(true) // the old session, and its visitors, were let go
  })

  it('a server that cannot be reached yet is tried again, each wait twice the last up to RECONNECT_MAX_MS; its refusal ends the tries', async () => {
    const answer: Parameters<typeof fakeHosting>[0] = {}
    const hosting = fakeHosting(answer)
    const { runtime, clock } = await setUp({ hosting })
    await runtime.start()
    answer.refuse = new Error('the signaling connection closed before it opened')
    hosting.drop()
    const waits: number[] = []
    let wait = RECONNECT_MIN_MS
    for (let tries = 1; tries <= 8; tries++) {
      clock.advance(wait - 1)
      expect(hosting.registrations).toHaveLength(tries)
      clock.advance(1)
      await until(() => hosting.registrations.length === tries + 1, `try ${tries}`)
      await until(() => clock.pending() > 0, `the wait after try ${tries}`)
      expect(runtime.state().status).toBe('disconnected')
      waits.push(wait)
      wait = Math.min(wait * 2, RECONNECT_MAX_MS)
    }
    expect(waits.at(-1)).toBe(RECONNECT_MAX_MS)
    answer.refuse = new SignalingError('name-taken', 'that name is taken')
    clock.advance(RECONNECT_MAX_MS)
    await until(() => runtime.state().status === 'refused', 'refused')
    expect(clock.pending()).toBe(0)
  })

  it('a close from a session it has replaced is no news, and destroy() cancels a pending try', async () => {
    const { runtime, hosting, clock } = await setUp()
    await runtime.start()
    hosting.drop()
    clock.advance(RECONNECT_MIN_MS)
    await until(() => runtime.state().status === 'serving', 'serving again')
    hosting.registrations[0]!.onClose?.('late close of the first session')
    expect(runtime.state().status).toBe('serving')
    hosting.drop()
    runtime.destroy()
    clock.advance(RECONNECT_MAX_MS)
    expect(hosting.registrations).toHaveLength(2)
  })
})

describe('host runtime: serving', () => {
  it('serves a static file through the tunnel and logs the request', async () => {
    const { runtime, hosting, seen } = await setUp()
    await runtime.start()
    const answer = await hosting.visit('visitor-1').fetch('/')
    expect(answer).toMatchObject({ status: 200, text: '<h1>home</h1>' })
    await until(() => seen.log.length > 0, 'the log line')
    expect(seen.log[0]).toMatchObject({ visitor: 'visitor-1', method: 'GET', url: '/', status: 200 })
  })

  it('runs a route in the worker, with its console output as a note in the log', async () => {
    const { runtime, hosting, seen } = await setUp()
    await runtime.start()
    const answer = await hosting.visit('visitor-1').fetch('/hello')
    expect(answer).toMatchObject({ status: 200, text: 'hello from a route' })
    await until(() => seen.log.some(entry => 'note' in entry), 'the console note')
    expect(seen.log).toContainEqual({ note: 'GET /hello console.log: said hello' })
  })

  it('a route that throws answers 500 and tells the author where', async () => {
    const { runtime, hosting, seen } = await setUp()
    await runtime.start()
    expect((await hosting.visit('visitor-1').fetch('/boom')).status).toBe(500)
    await until(() => seen.log.some(entry => 'note' in entry), 'the error note')
    expect(seen.log.find(entry => 'note' in entry)).toEqual({ note: 'GET /boom → 500: Error: on fire (routes/boom.get.js:2)' })
  })

  it('lists visitors as they come and go, with the time they came and their requests', async () => {
    const { runtime, hosting, clock } = await setUp()
    await runtime.start()
    const visitor = hosting.visit('visitor-1')
    expect(runtime.visitors()).toEqual([{ session: 'visitor-1', since: clock.now(), route: 'direct', requests: 0 }])
    await visitor.fetch('/css/site.css')
    await until(() => runtime.visitors()[0]?.requests === 1, 'the request count')
    expect(runtime.visitors()[0]?.lastPath).toBe('/css/site.css')
    hosting.leave('visitor-1')
    expect(runtime.visitors()).toEqual([])
  })

  it(`tells request counts at most once per VISITOR_COUNTS_MS (${VISITOR_COUNTS_MS} ms), arrivals at once`, async () => {
    const { runtime, hosting, seen, clock } = await setUp()
    await runtime.start()
    const visitor = hosting.visit('visitor-1')
    expect(seen.visitors).toHaveLength(1)
    for (const path of ['/', '/css/site.css', '/']) await visitor.fetch(path)
    await until(() => runtime.visitors()[0]?.requests === 3, 'the counts')
    expect(seen.visitors).toHaveLength(1)
    clock.advance(VISITOR_COUNTS_MS - 1)
    expect(seen.visitors).toHaveLength(1)
    clock.advance(1)
    expect(seen.visitors).toHaveLength(2)
    expect(seen.visitors[1]?.[0]?.requests).toBe(3)
  })

  it(`tells a burst of arrivals and departures at most once per VISITOR_CHANGES_MS (${VISITOR_CHANGES_MS} ms): the first at once, the rest together`, async () => {
    const { runtime, hosting, seen, clock } = await setUp()
    await runtime.start()
    hosting.visit('visitor-1')
    expect(seen.visitors.map(list => list.length)).toEqual([1])
    for (const session of ['visitor-2', 'visitor-3', 'visitor-4']) hosting.visit(session)
    hosting.leave('visitor-2')
    expect(seen.visitors).toHaveLength(1)
    expect(runtime.visitors().map(visitor => visitor.session)).toEqual(['visitor-1', 'visitor-3', 'visitor-4'])
    clock.advance(VISITOR_CHANGES_MS - 1)
    expect(seen.visitors).toHaveLength(1)
    clock.advance(1)
    expect(seen.visitors.map(list => list.map(visitor => visitor.session))).toEqual([['visitor-1'], ['visitor-1', 'visitor-3', 'visitor-4']])
    // Quiet for a window: the next change is told at once again.
    clock.advance(VISITOR_CHANGES_MS)
    hosting.leave('visitor-1')
    expect(seen.visitors).toHaveLength(3)
    expect(seen.visitors[2]?.map(visitor => visitor.session)).toEqual(['visitor-3', 'visitor-4'])
  })

  it('follows a change of the time limit: a hanging route gets its 504 after the new limit', async () => {
    const { runtime, hosting, site } = await setUp({ files: { 'routes/hang.get.js': 'export default defineHandler(() => new Promise(() => {}))' } })
    await runtime.start()
    site.settings.setTimeLimitSeconds(1)
    const started = Date.now()
    expect((await hosting.visit('visitor-1').fetch('/hang')).status).toBe(504)
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('a change of the origins handlers may reach starts a fresh worker (the sandbox\'s CSP is fixed at start)', async () => {
    const { runtime, hosting, site, workers } = await setUp()
    await runtime.start()
    const visitor = hosting.visit('visitor-1')
    expect((await visitor.fetch('/hello')).status).toBe(200)
    expect(workers.made).toHaveLength(1)
    site.settings.setTimeLimitSeconds(9)
    expect(workers.made[0]?.terminated).toBe(false)
    site.settings.setAllowedOrigins(['https://api.example.com'])
    expect(workers.made[0]?.terminated).toBe(true)
    expect((await visitor.fetch('/hello')).status).toBe(200)
    expect(workers.made).toHaveLength(2)
  })

  it('removing an author: the room moves first, then the session secret and lead key rotate, and old session cookies stop working', async () => {
    const authors = [
      { id: 'owner-id-0123456', role: 'owner' as const, addedAt: 'then', online: true, self: true },
      { id: 'bob-id-012345678', role: 'author' as const, name: 'Bob', addedAt: 'then', online: true, self: false },
    ]
    const hosting = fakeHosting({ role: 'owner', authors })
    const { runtime, site, seen } = await setUp({ hosting, files: { 'routes/visits.get.js': `export default defineHandler(async (event) => {
  const session = await useSession(event)
  await session.update({ visits: (session.data.visits ?? 0) + 1 })
  return { visits: session.data.visits }
})` } })
    await runtime.start()
    expect(runtime.room()).toEqual({ epoch: 0 })
    expect((await runtime.authors()).map(author => author.name ?? author.id)).toEqual(['owner-id-0123456', 'Bob'])
    const visitor = hosting.visit('visitor-1')
    const first = await visitor.fetch('/visits')
    const cookie = first.headers.find(([name]) => name === 'set-cookie')?.[1].split(';')[0] ?? ''
    expect((await visitor.fetch('/visits', { headers: [['cookie', cookie]] })).text).toBe('{"visits":2}')
    const [secret, lead] = [site.settings.sessionSecret(() => ''), runtime.leadKey()]
    const order: string[] = []
    runtime.on('room', room => order.push(`room ${room?.epoch} with secret ${site.settings.sessionSecret(() => '') === secret ? 'old' : 'new'}`))
    await runtime.removeAuthor('bob-id-012345678')
    expect(order).toEqual(['room 1 with secret old'])
    expect(seen.room).toEqual([{ epoch: 1, secret: expect.any(String) }])
    expect(runtime.room()?.epoch).toBe(1)
    expect(site.settings.sessionSecret(() => '')).not.toBe(secret)
    expect(runtime.leadKey()).not.toBe(lead)
    // The old cookie no longer verifies: the visit counts from one again.
    expect((await visitor.fetch('/visits', { headers: [['cookie', cookie]] })).text).toBe('{"visits":1}')
    await expect(runtime.removeAuthor('bob-id-012345678')).rejects.toThrow(/no other author/)
  })

  it('destroy stops serving: signaling closed, visitors cut', async () => {
    const { runtime, hosting } = await setUp()
    await runtime.start()
    const visitor = hosting.visit('visitor-1')
    runtime.destroy()
    expect(hosting.stopped).toBe(true)
    await expect(visitor.fetch('/')).rejects.toThrow()
  })
})

describe('host runtime: lessons', () => {
  it('a visitor\'s lesson channel names it in the roster and stays out of the request log', async () => {
    const { runtime, hosting, seen } = await setUp()
    await runtime.start()
    const visitor = hosting.visit('visitor-1')
    const channel = await visitor.open('/_ps/lesson?id=student-0001&name=Ada')
    expect(channel.status).toBe(200)
    expect(await lessonEvents(channel.body).next(1)).toEqual([{ type: 'hello', leading: false, lesson: false }])
    await until(() => runtime.visitors()[0]?.name === 'Ada', 'the roster name')
    expect(runtime.visitors()[0]).toMatchObject({ id: 'student-0001', lastPath: '/' })
    expect(seen.log.filter(entry => !('note' in entry) && entry.url.startsWith('/_ps/lesson'))).toEqual([])
  })

  it('a saved stylesheet swaps in place; a saved page reloads; typing a draft sends nothing', async () => {
    const { runtime, site, seen } = await setUp()
    await runtime.start()
    site.files.text('public/css/site.css')?.insert(0, '/* typing */ ')
    await site.files.write('public/css/site.css', 'body { color: green }')
    await site.files.write('public/index.html', '<h1>new home</h1>')
    expect(seen.lesson).toEqual([
      { type: 'reload', css: ['/css/site.css'], page: false },
      { type: 'reload', css: [], page: true },
    ])
  })

  it('sends no reload when the authors turned live reload off', async () => {
    const { runtime, site, seen } = await setUp()
    await runtime.start()
    site.settings.setLiveReload(false)
    await site.files.write('public/index.html', '<h1>quiet</h1>')
    expect(seen.lesson).toEqual([])
  })

  it('the leader\'s moves, written by any author\'s host, send the followers along', async () => {
    const { runtime, hosting, site } = await setUp()
    await runtime.start()
    const channel = await hosting.visit('visitor-1').open('/_ps/lesson?id=student-0001')
    const events = lessonEvents(channel.body)
    expect(await events.next(1)).toEqual([{ type: 'hello', leading: false, lesson: false }])
    site.lesson.setLeader({ path: '/quiz/2', scroll: 0.5 })
    expect(await events.next(2)).toEqual([{ type: 'hello', leading: false, lesson: true }, { type: 'navigate', path: '/quiz/2', scroll: 0.5 }])
  })

  it('removing a visitor tells it, keeps it out, and cuts its connection only after the grace period', async () => {
    const { runtime, hosting, site, clock } = await setUp()
    await runtime.start()
    const channel = await hosting.visit('visitor-1').open('/_ps/lesson?id=student-0001&name=Bo')
    const events = lessonEvents(channel.body)
    await events.next(1)
    await until(() => runtime.visitors()[0]?.id === 'student-0001', 'the roster entry')
    runtime.removeVisitor('visitor-1')
    expect(await events.next(1)).toEqual([{ type: 'removed' }])
    expect(site.lesson.isRemoved('student-0001')).toBe(true)
    clock.advance(REMOVAL_GRACE_MS - 1)
    expect(hosting.disconnected).toEqual([])
    clock.advance(1)
    expect(hosting.disconnected).toEqual(['visitor-1'])
    const again = await hosting.visit('visitor-2').open('/_ps/lesson?id=student-0001&name=Bo')
    expect(again.status).toBe(403)
  })

  it('keeps one lead key in the site, made once', async () => {
    const { runtime, site } = await setUp()
    const key = runtime.leadKey()
    expect(key).toMatch(/^[\w-]{16,}$/)
    expect(runtime.leadKey()).toBe(key)
    expect(site.settings.leadKey(() => 'other')).toBe(key)
  })
})

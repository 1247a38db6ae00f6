import { describe, expect, it } from 'vitest'
import { LessonHub, type LessonHubOptions } from '../../../../lib/lesson/hub'
import { decodeLessonEvents, type LessonEvent, type LessonReport } from '../../../../shared/protocol/lesson'
import type { VRequest, VResponse } from '../../../../lib/vserver/types'

function hub(options: Partial<LessonHubOptions> = {}) {
  const leads: Array<LessonReport | null> = []
  const live = new LessonHub({ leadKey: () => 'teacher-key', onLead: report => leads.push(report), isRemoved: () => false, now: () => 1000, ...options })
  return { live, leads }
}

function get(query: string): VRequest {
  return { method: 'GET', url: `/_ps/lesson?${query}`, headers: [], body: null }
}

function post(report: unknown): VRequest {
  return { method: 'POST', url: '/_ps/lesson', headers: [], body: new TextEncoder().encode(JSON.stringify(report)) }
}

/** A live stream's reader that keeps a read in flight across calls, so no chunk is dropped. */
function reading(response: VResponse | null) {
  if (!(response?.body instanceof ReadableStream)) throw new Error('not a stream')
  const reader = response.body.getReader()
  let pending: ReturnType<typeof reader.read> | null = null
  return {
    async next(): Promise<Uint8Array | null> {
      pending ??= reader.read()
      const result = await Promise.race([pending, new Promise<'wait'>(resolve => setTimeout(() => resolve('wait'), 20))])
      if (result === 'wait') return null
      pending = null
      return result.done ? null : result.value
    },
  }
}

/** Read what a live stream has queued so far. */
async function events(response: VResponse | null, reader = reading(response)): Promise<LessonEvent[]> {
  const out: LessonEvent[] = []
  for (let chunk = await reader.next(); chunk; chunk = await reader.next()) out.push(...decodeLessonEvents(new TextDecoder().decode(chunk)).events)
  return out
}

describe('the host live channel', () => {
  it('leaves the site\'s own paths alone', () => {
    expect(hub().live.handle({ method: 'GET', url: '/live', headers: [], body: null }, 's1')).toBeNull()
  })

  it('greets a visitor, lists it with its name, and follows where it goes', async () => {
    const { live } = hub()
    const response = live.handle(get('id=visitor-1&name=Ada'), 's1')
    expect(response?.status).toBe(200)
    expect(await events(response)).toEqual([{ type: 'hello', leading: false, lesson: false }])
    expect(live.handle(post({ path: '/quiz', scroll: 0 }), 's1')?.status).toBe(204)
    expect(live.visitors()).toEqual([{ session: 's1', id: 'visitor-1', name: 'Ada', path: '/quiz', since: 1000, leading: false }])
  })

  it('lets the visitor with the lead key lead: followers hear where it goes, the leader does not', async () => {
    const { live, leads } = hub()
    const follower = reading(live.handle(get('id=student-1'), 's1'))
    const leader = reading(live.handle(get('id=teacher-1&lead=teacher-key'), 's2'))
    expect(await events(null, leader)).toEqual([{ type: 'hello', leading: true, lesson: true }])
    await events(null, follower)
    live.handle(post({ path: '/results', scroll: 0.5 }), 's2')
    expect(leads).toEqual([{ path: '/results', scroll: 0.5 }])
    live.lead(leads[0]!)
    expect(await events(null, follower)).toEqual([{ type: 'hello', leading: false, lesson: true }, { type: 'navigate', path: '/results', scroll: 0.5 }])
    expect(await events(null, leader)).toEqual([{ type: 'hello', leading: true, lesson: true }])
    // A student who arrives later goes straight to where the lesson is.
    expect(await events(live.handle(get('id=student-2'), 's3'))).toEqual([{ type: 'hello', leading: false, lesson: true }, { type: 'navigate', path: '/results', scroll: 0.5 }])
  })

  it('does not let a wrong lead key lead', async () => {
    const { live, leads } = hub()
    expect(await events(live.handle(get('id=student-1&lead=guess'), 's1'))).toEqual([{ type: 'hello', leading: false, lesson: false }])
    live.handle(post({ path: '/x', scroll: 0 }), 's1')
    expect(leads).toEqual([])
  })

  it('tells a removed visitor, ends its stream, and keeps it out', async () => {
    const removed = new Set<string>()
    const { live } = hub({ isRemoved: id => removed.has(id) })
    const reader = reading(live.handle(get('id=student-1&name=Bob'), 's1'))
    await events(null, reader)
    removed.add('student-1')
    expect(live.remove('s1')).toBe(true)
    expect(await events(null, reader)).toEqual([{ type: 'removed' }])
    expect(live.visitors()).toEqual([])
    expect(live.handle(get('id=student-1'), 's4')?.status).toBe(403)
  })

  it('broadcasts reloads to everyone', async () => {
    const { live } = hub()
    const a = reading(live.handle(get('id=visitor-a'), 's1'))
    const b = reading(live.handle(get('id=visitor-b'), 's2'))
    await events(null, a)
    await events(null, b)
    live.broadcast({ type: 'reload', css: ['/css/site.css'], page: false })
    for (const reader of [a, b]) expect(await events(null, reader)).toEqual([{ type: 'reload', css: ['/css/site.css'], page: false }])
  })

  it.each([
    ['a GET without an id', get('name=x'), 400],
    ['an id with spaces', get('id=a%20b%20c%20d%20e'), 400],
    ['a report before the channel', post({ path: '/', scroll: 0 }), 409],
    ['a PUT', { method: 'PUT', url: '/_ps/lesson', headers: [], body: null }, 405],
  ] as Array<[string, VRequest, number]>)('refuses %s with %i', (_, request, status) => {
    expect(hub().live.handle(request, 's9')?.status).toBe(status)
  })

  it.each([
    ['not JSON', new TextEncoder().encode('{oops')],
    ['a path without a slash', new TextEncoder().encode('{"path":"x","scroll":0}')],
    ['a scroll past the end', new TextEncoder().encode('{"path":"/","scroll":2}')],
  ])('refuses a report that is %s, and nothing changes', async (_, body) => {
    const { live } = hub()
    await events(live.handle(get('id=visitor-1'), 's1'))
    expect(live.handle({ method: 'POST', url: '/_ps/lesson', headers: [], body }, 's1')?.status).toBe(400)
    expect(live.visitors()[0]?.path).toBe('/')
  })

  it('forgets a visitor whose peer left', async () => {
    const { live } = hub()
    await events(live.handle(get('id=visitor-1'), 's1'))
    let heard = 0
    live.onChange(() => heard++)
    live.forget('s1')
    expect(live.visitors()).toEqual([])
    expect(heard).toBe(1)
  })
})

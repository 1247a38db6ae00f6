import { describe, expect, it } from 'vitest'
import { decodeLessonEvents, encodeLessonEvent, LessonReportSchema, sitePathProblem } from '../../../../shared/protocol/lesson'

describe('live events on the wire', () => {
  it('round-trips events, across chunk boundaries', () => {
    const text = encodeLessonEvent({ type: 'reload', css: ['/a.css'], page: false }) + encodeLessonEvent({ type: 'navigate', path: '/quiz', scroll: 0.25 })
    const first = decodeLessonEvents(text.slice(0, 30))
    const second = decodeLessonEvents(first.rest + text.slice(30))
    expect([...first.events, ...second.events]).toEqual([{ type: 'reload', css: ['/a.css'], page: false }, { type: 'navigate', path: '/quiz', scroll: 0.25 }])
    expect(second.rest).toBe('')
  })

  it.each([
    ['not JSON', 'data: {oops\n\n'],
    ['an unknown type', 'data: {"type":"launch"}\n\n'],
    ['a navigate off the site', 'data: {"type":"navigate","path":"https://evil.example/","scroll":0}\n\n'],
    ['a comment', ': keep-alive\n\n'],
  ])('skips %s', (_, text) => {
    expect(decodeLessonEvents(text)).toEqual({ events: [], rest: '' })
  })
})

describe('paths a leader may send followers to', () => {
  it.each([
    '/', '/quiz/2', '/results?q=1#top', '/a%20b', '/a/%2Fb', '/caf%C3%A9',
  ])('%s stays on the site', (path) => {
    expect(sitePathProblem(path)).toBeNull()
    expect(LessonReportSchema.safeParse({ path, scroll: 0 }).success).toBe(true)
  })

  it.each([
    ['another host', '//evil.example/x'],
    ['a backslash host', '/\\evil.example/x'],
    ['a backslash anywhere', '/a\\b'],
    ['an encoded second slash', '/%2Fevil.example/x'],
    ['an encoded slash pair', '/%2f/evil.example'],
    ['an encoded backslash', '/%5Cevil.example/x'],
    ['a double-encoded slash', '/%252Fevil.example'],
    ['a tab the parser strips', '/\t/evil.example/x'],
    ['a newline the parser strips', '/\n/evil.example/x'],
    ['a space', '/ /evil.example'],
    ['a full URL', 'https://evil.example/x'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'quiz'],
    ['an empty path', ''],
  ])('%s (%j) is refused by the report and by the event', (_case, path) => {
    expect(LessonReportSchema.safeParse({ path, scroll: 0 }).success).toBe(false)
    expect(decodeLessonEvents(encodeLessonEvent({ type: 'navigate', path, scroll: 0 })).events).toEqual([])
  })
})

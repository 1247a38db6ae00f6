import { describe, expect, it } from 'vitest'
import { decodeLessonEvents, encodeLessonEvent } from '../../../../shared/protocol/lesson'

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

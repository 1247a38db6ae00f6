import { describe, expect, it } from 'vitest'
import { getHeader, getHeaders, getMethod, getQuery, getRequestURL, getRouterParam, getRouterParams, setHeader } from '../../../../../lib/vserver/event'
import { VServerError } from '../../../../../lib/vserver/types'
import { makeEvent } from './fixtures'

describe('request helpers', () => {
  it('reads the query, with arrays for repeated names', () => {
    const event = makeEvent({ url: '/search?q=cat+food&tag=a&tag=b&empty=&e=%C3%A9' })
    expect(getQuery(event)).toEqual({ q: 'cat food', tag: ['a', 'b'], empty: '', e: 'é' })
    expect(getQuery(makeEvent({ url: '/x?__proto__=1' }))).toEqual(JSON.parse('{"__proto__":"1"}'))
  })

  it('reads router params', () => {
    const event = makeEvent({ params: { id: '42' } })
    expect(getRouterParam(event, 'id')).toBe('42')
    expect(getRouterParam(event, 'toString')).toBeUndefined()
    expect(getRouterParams(event)).toEqual({ id: '42' })
  })

  it('reads headers case-insensitively, method and URL', () => {
    const event = makeEvent({ method: 'post', url: '/a?b=1', headers: [['host', 'blog.localhost:3000'], ['x-thing', 'one']] })
    expect(getHeader(event, 'X-Thing')).toBe('one')
    expect(getHeader(event, 'missing')).toBeUndefined()
    expect(getHeaders(event)).toEqual({ 'host': 'blog.localhost:3000', 'x-thing': 'one' })
    expect(getMethod(event)).toBe('POST')
    expect(getRequestURL(event).href).toBe('http://blog.localhost:3000/a?b=1')
  })

  it('keeps a path that looks protocol-relative on this site', () => {
    const event = makeEvent({ url: '//evil.example/x', headers: [['host', 'bad host']] })
    expect(event.url.host).toBe('localhost')
    expect(event.url.pathname).toBe('//evil.example/x')
  })

  it('refuses a URL that is not a path', () => {
    expect(() => makeEvent({ url: 'http://x/' })).toThrow(VServerError)
  })

  it('refuses something that is not an event', () => {
    expect(() => setHeader({ ...makeEvent() }, 'x-a', '1')).toThrow(/the event your handler was called with/)
  })
})

import { describe, expect, it } from 'vitest'
import { deleteCookie, getCookie, getResponseHeader, parseCookies, setCookie, toResponse } from '../../../../../lib/vserver/event'
import { makeEvent } from './fixtures'

const setCookies = (event: ReturnType<typeof makeEvent>) => toResponse(event, null).headers.filter(([name]) => name === 'set-cookie').map(([, value]) => value)

describe('cookies', () => {
  it('reads request cookies, decoded, from several Cookie headers', () => {
    const event = makeEvent({ headers: [['cookie', 'a=1; b=hello%20world'], ['cookie', 'c=3']] })
    expect(getCookie(event, 'b')).toBe('hello world')
    expect(getCookie(event, 'c')).toBe('3')
    expect(getCookie(event, 'none')).toBeUndefined()
    expect(parseCookies(event)).toEqual({ a: '1', b: 'hello world', c: '3' })
  })

  it('sets cookies with Path=/ by default, one header per cookie, the last of a name winning', () => {
    const event = makeEvent()
    setCookie(event, 'theme', 'dark', { maxAge: 60, sameSite: 'lax' })
    setCookie(event, 'lang', 'en')
    setCookie(event, 'theme', 'light', { path: '/app', httpOnly: true })
    expect(setCookies(event)).toEqual(['lang=en; Path=/', 'theme=light; Path=/app; HttpOnly'])
  })

  it('deletes a cookie with an expired empty one', () => {
    const event = makeEvent()
    deleteCookie(event, 'theme')
    expect(getResponseHeader(event, 'set-cookie')).toBe('theme=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT')
  })
})

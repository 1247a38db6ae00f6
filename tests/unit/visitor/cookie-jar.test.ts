import { describe, expect, it } from 'vitest'
import { CookieJar } from '../../../visitor/cookie-jar'

const site = (path: string) => new URL(`http://blog.localhost:3000${path}`)

describe('CookieJar', () => {
  it('stores a cookie and sends it back on matching paths only', () => {
    const jar = new CookieJar()
    expect(jar.setFromHeader('sid=abc; Path=/account; HttpOnly; SameSite=Lax', site('/login'))).toBe(true)
    expect(jar.header(site('/account'))).toBe('sid=abc')
    expect(jar.header(site('/account/settings'))).toBe('sid=abc')
    expect(jar.header(site('/accounting'))).toBe('')
    expect(jar.header(site('/'))).toBe('')
    expect(jar.toJSON()[0]?.httpOnly).toBe(true)
  })

  it('uses the default path of the request when none is given', () => {
    const jar = new CookieJar()
    jar.setFromHeader('a=1', site('/docs/page.html'))
    expect(jar.header(site('/docs/other'))).toBe('a=1')
    expect(jar.header(site('/'))).toBe('')
  })

  it('replaces a cookie of the same name and path, and sends longer paths first', () => {
    const jar = new CookieJar()
    jar.setFromHeader('a=1; Path=/', site('/'))
    jar.setFromHeader('a=2; Path=/', site('/'))
    jar.setFromHeader('b=3; Path=/x', site('/'))
    expect(jar.header(site('/x/y'))).toBe('b=3; a=2')
  })

  it('deletes with Max-Age=0 and expires by the clock', () => {
    let now = 1_000_000
    const jar = new CookieJar([], () => now)
    jar.setFromHeader('a=1; Path=/; Max-Age=10', site('/'))
    jar.setFromHeader('b=2; Path=/', site('/'))
    expect(jar.header(site('/'))).toBe('a=1; b=2')
    now += 11_000
    expect(jar.header(site('/'))).toBe('b=2')
    jar.setFromHeader('b=; Path=/; Max-Age=0', site('/'))
    expect(jar.header(site('/'))).toBe('')
  })

  it.each(['', '=novalue', ';;;'])('ignores a malformed Set-Cookie %j and keeps what it had', (header) => {
    const jar = new CookieJar()
    jar.setFromHeader('keep=1; Path=/', site('/'))
    expect(jar.setFromHeader(header, site('/'))).toBe(false)
    expect(jar.header(site('/'))).toBe('keep=1')
  })

  it('round-trips through JSON', () => {
    const jar = new CookieJar()
    jar.setFromHeader('a=1; Path=/; Expires=Wed, 01 Jan 2100 00:00:00 GMT', site('/'))
    const again = new CookieJar(JSON.parse(JSON.stringify(jar.toJSON())))
    expect(again.header(site('/'))).toBe('a=1')
  })
})

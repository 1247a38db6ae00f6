import { describe, expect, it } from 'vitest'
import { applySetCookies, browserCookies, isHttpOnly, requestCookies } from '../../../visitor/cookies'

describe('the visitor\'s cookies in the browser\'s own jar', () => {
  it.each([
    ['a=1; HttpOnly', true],
    ['a=1; Path=/; httponly', true],
    ['a=1;HTTPONLY;Secure', true],
    ['a=1; Path=/', false],
    ['httponly=1; Path=/', false],
    ['a=HttpOnly', false],
  ])('%s is HttpOnly: %s', (header, expected) => {
    expect(isHttpOnly(header)).toBe(expected)
  })

  it('writes every Set-Cookie but HttpOnly ones into the jar, with their attributes, and passes the other headers on', () => {
    const written: string[] = []
    const rest = applySetCookies([
      ['content-type', 'text/html'],
      ['set-cookie', 'flavour=oat; Path=/; Max-Age=60'],
      ['Set-Cookie', 'sid=secret; HttpOnly; Path=/'],
      ['set-cookie', 'theme=dark'],
    ], cookie => written.push(cookie))
    expect(written).toEqual(['flavour=oat; Path=/; Max-Age=60', 'theme=dark'])
    expect(rest).toEqual([['content-type', 'text/html']])
  })

  it('reads the browser\'s cookies for a URL as a Cookie header, or says it cannot', async () => {
    const asked: string[] = []
    const store = { getAll: async ({ url }: { url: string }) => (asked.push(url), [{ name: 'a', value: '1' }, { name: 'b', value: 'two' }]) }
    expect(await browserCookies(store, 'http://blog.localhost/x')).toBe('a=1; b=two')
    expect(asked).toEqual(['http://blog.localhost/x'])
    expect(await browserCookies({ getAll: async () => [] }, 'http://blog.localhost/')).toBe('')
    expect(await browserCookies(undefined, 'http://blog.localhost/')).toBeNull()
  })

  it('writes a nameless cookie as its value alone, as document.cookie does', async () => {
    expect(await browserCookies({ getAll: async () => [{ name: '', value: 'bare' }, { name: 'a', value: '1' }] }, 'http://blog.localhost/')).toBe('bare; a=1')
  })

  describe('the Cookie header: what the page sees, with the jar\'s cookies for the URL', () => {
    it('sends a cookie the page has just set that the worker\'s read of the jar does not have yet (Firefox\'s lag)', () => {
      expect(requestCookies('', 'flavour=oat; fromjs=1')).toBe('flavour=oat; fromjs=1')
      expect(requestCookies('flavour=oat', 'flavour=oat; fromjs=1')).toBe('flavour=oat; fromjs=1')
    })

    it('sends the page\'s value of a cookie the page has just changed, once', () => {
      expect(requestCookies('theme=light; a=1', 'theme=dark; a=1')).toBe('theme=dark; a=1')
    })

    it('keeps the jar\'s cookies the page does not see: one whose path covers the URL, not the page', () => {
      expect(requestCookies('cart=3; theme=dark', 'theme=dark')).toBe('theme=dark; cart=3')
    })

    it('sends the same header when both agree, and nothing when neither has any', () => {
      expect(requestCookies('a=1; b=2', 'a=1; b=2')).toBe('a=1; b=2')
      expect(requestCookies('', '')).toBe('')
    })

    it('keeps a nameless cookie and values with "=" whole', () => {
      expect(requestCookies('bare; t=a=b', 'x=1')).toBe('x=1; bare; t=a=b')
      expect(requestCookies('bare', 'other')).toBe('other')
    })
  })
})

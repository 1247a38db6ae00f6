import { describe, expect, it } from 'vitest'
import { applySetCookies, browserCookies, isHttpOnly } from '../../../visitor/cookies'

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
})

import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MAX_COOKIE_BYTES, MAX_COOKIES_PER_VISITOR, SESSION_COOKIE_IDLE_MS, VisitorCookies } from '../../../../lib/host/visitor-cookies'
import { loadAuthorKey, memoryKeyStore, type AuthorKey } from '../../../../lib/studio/author-key'
import { YjsCookieJars } from '../../../../lib/site/cookie-jars'
import type { HeaderList, VRequest, VResponse } from '../../../../lib/vserver/types'
import { VISITOR_HELLO_PATH, visitorProof } from '../../../../shared/protocol/visitor'

const ORIGIN = 'http://blog.localhost:3000'

/** A host's cookies over a doc, with a handler that sets what it is told and echoes the Cookie header it got. */
function host(doc = new Y.Doc(), clock = { time: Date.UTC(2026, 11, 1) }) {
  const notes: string[] = []
  const cookies = new VisitorCookies({ site: 'blog', origin: ORIGIN, jars: new YjsCookieJars(doc, () => clock.time), now: () => clock.time, note: note => notes.push(note) })
  async function get(session: string, url: string, options: { set?: string[], cookie?: string } = {}): Promise<{ sent: string, setCookies: string[], response: VResponse }> {
    let sent = ''
    const headers: HeaderList = options.cookie ? [['cookie', options.cookie]] : []
    const response = await cookies.serve({ method: 'GET', url, headers, body: null, visitor: session }, async (request: VRequest) => {
      sent = request.headers.filter(([name]) => name === 'cookie').map(([, value]) => value).join(' | ')
      return { status: 200, headers: (options.set ?? []).map(value => ['set-cookie', value] as [string, string]), body: null }
    })
    return { sent, setCookies: response.headers.filter(([name]) => name === 'set-cookie').map(([, value]) => value), response }
  }
  async function hello(session: string, key: AuthorKey, signed = session): Promise<number> {
    const body = new TextEncoder().encode(JSON.stringify({ key: key.publicKey, signature: await key.sign(visitorProof('blog', signed)) }))
    const response = await cookies.hello({ method: 'POST', url: VISITOR_HELLO_PATH, headers: [], body, visitor: session })
    return response?.status ?? 0
  }
  return { cookies, get, hello, notes, doc, clock }
}

describe('visitor cookies: the host keeps HttpOnly ones', () => {
  it('takes an HttpOnly cookie out of the response, passes the others on, and sends it back to that visitor only', async () => {
    const { get, hello } = host()
    const [ada, bob] = [await loadAuthorKey(memoryKeyStore()), await loadAuthorKey(memoryKeyStore())]
    expect(await hello('s-ada-1', ada)).toBe(204)
    expect(await hello('s-bob-1', bob)).toBe(204)
    const login = await get('s-ada-1', '/login', { set: ['sid=secret; HttpOnly; Path=/', 'theme=dark; Path=/'] })
    expect(login.setCookies).toEqual(['theme=dark; Path=/'])
    expect((await get('s-ada-1', '/me', { cookie: 'theme=dark' })).sent).toBe('sid=secret; theme=dark')
    expect((await get('s-bob-1', '/me')).sent).toBe('')
    // A new connection of the same browser, after its hello: the cookie is back.
    expect(await hello('s-ada-2', ada)).toBe(204)
    expect((await get('s-ada-2', '/me')).sent).toBe('sid=secret')
  })

  it('lets no page cookie shadow an HttpOnly one of the same name', async () => {
    const { get, hello } = host()
    const ada = await loadAuthorKey(memoryKeyStore())
    await hello('s1', ada)
    await get('s1', '/login', { set: ['sid=real; HttpOnly; Path=/'] })
    expect((await get('s1', '/me', { cookie: 'sid=forged; other=1' })).sent).toBe('sid=real; other=1')
  })

  it('refuses a hello signed for another connection, by another key, or malformed, and binds nothing', async () => {
    const { get, hello, cookies } = host()
    const ada = await loadAuthorKey(memoryKeyStore())
    await hello('s1', ada)
    await get('s1', '/login', { set: ['sid=real; HttpOnly; Path=/'] })
    expect(await hello('s2', ada, 's1')).toBe(403)
    expect((await get('s2', '/me')).sent).toBe('')
    const garbage = await cookies.hello({ method: 'POST', url: VISITOR_HELLO_PATH, headers: [], body: new TextEncoder().encode('{"key":1}'), visitor: 's3' })
    expect(garbage?.status).toBe(400)
    expect(cookies.hello({ method: 'GET', url: '/other', headers: [], body: null, visitor: 's3' })).toBeNull()
  })

  it('keeps an unproved visitor\'s HttpOnly cookies for its connection only', async () => {
    const { get, cookies } = host()
    await get('anon', '/login', { set: ['sid=x; HttpOnly'] })
    expect((await get('anon', '/me')).sent).toBe('sid=x')
    cookies.forget('anon')
    expect((await get('anon', '/me')).sent).toBe('')
  })

  it('shares a visitor\'s cookies with every author\'s tab through the site doc', async () => {
    const [docA, docB] = [new Y.Doc(), new Y.Doc()]
    docA.on('update', (update: Uint8Array) => Y.applyUpdate(docB, update))
    const [a, b] = [host(docA), host(docB)]
    const ada = await loadAuthorKey(memoryKeyStore())
    await a.hello('s1', ada)
    await a.get('s1', '/login', { set: ['sid=shared; HttpOnly; Path=/; Max-Age=3600'] })
    await b.hello('s2', ada)
    expect((await b.get('s2', '/me')).sent).toBe('sid=shared')
  })

  it('drops session cookies after the visitor was away SESSION_COOKIE_IDLE_MS, and keeps persistent ones', async () => {
    const doc = new Y.Doc()
    const clock = { time: Date.UTC(2026, 11, 1) }
    const first = host(doc, clock)
    const ada = await loadAuthorKey(memoryKeyStore())
    await first.hello('s1', ada)
    await first.get('s1', '/login', { set: ['sid=session; HttpOnly; Path=/', 'keep=1; HttpOnly; Path=/; Max-Age=604800'] })
    clock.time += SESSION_COOKIE_IDLE_MS - 1
    const soon = host(doc, clock)
    await soon.hello('s2', ada)
    expect((await soon.get('s2', '/me')).sent).toBe('sid=session; keep=1')
    clock.time += SESSION_COOKIE_IDLE_MS + 1
    const later = host(doc, clock)
    await later.hello('s3', ada)
    expect((await later.get('s3', '/me')).sent).toBe('keep=1')
  })
})

// RFC 6265bis rules for the cookies the host keeps (tough-cookie applies them; MAX_* are ours).
describe.each([
  ['Path scopes a cookie to its subtree', ['a=1; HttpOnly; Path=/admin'], [['/admin/x', 'a=1'], ['/admin', 'a=1'], ['/administrator', ''], ['/', '']]],
  ['the default path is the request\'s directory', ['a=1; HttpOnly'], [['/app/page', 'a=1'], ['/app/other', 'a=1'], ['/', '']]],
  ['Max-Age=0 removes a cookie', ['a=1; HttpOnly; Path=/', 'a=; HttpOnly; Path=/; Max-Age=0'], [['/', '']]],
  ['an Expires in the past is not kept', ['a=1; HttpOnly; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], [['/', '']]],
  ['Max-Age wins over Expires', ['a=1; HttpOnly; Path=/; Max-Age=600; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], [['/', 'a=1']]],
  ['longer paths go first', ['a=root; HttpOnly; Path=/', 'b=deep; HttpOnly; Path=/x/y'], [['/x/y/z', 'b=deep; a=root']]],
  ['__Host- needs Secure, Path=/ and no Domain', ['__Host-a=1; HttpOnly; Secure; Path=/x', '__Host-b=2; HttpOnly; Path=/', '__Host-c=3; HttpOnly; Secure; Path=/'], [['/x', '__Host-c=3']]],
  ['__Secure- needs Secure', ['__Secure-a=1; HttpOnly; Path=/', '__Secure-b=2; HttpOnly; Secure; Path=/'], [['/', '__Secure-b=2']]],
  ['a Domain other than the site\'s is refused', ['a=1; HttpOnly; Path=/; Domain=evil.example', 'b=2; HttpOnly; Path=/; Domain=blog.localhost'], [['/', 'b=2']]],
] as Array<[string, string[], Array<[string, string]>]>)('the host jar: %s', (_, sets, expected) => {
  it.each(expected)('%s gets "%s"', async (url, cookie) => {
    const { get } = host()
    await get('s1', '/app/page', { set: sets })
    expect((await get('s1', url)).sent).toBe(cookie)
  })
})

describe('the host jar\'s limits', () => {
  it(`keeps a cookie of exactly MAX_COOKIE_BYTES (${MAX_COOKIE_BYTES}) of name and value, and refuses one byte more, saying so`, async () => {
    const { get, notes } = host()
    const at = 'a'.repeat(MAX_COOKIE_BYTES - 1)
    await get('s1', '/', { set: [`k=${at}; HttpOnly; Path=/`, `m=${at}x; HttpOnly; Path=/`] })
    expect((await get('s1', '/')).sent).toBe(`k=${at}`)
    expect(notes).toEqual([`The cookie m was not kept: over ${MAX_COOKIE_BYTES} bytes`])
  })

  it(`keeps MAX_COOKIES_PER_VISITOR (${MAX_COOKIES_PER_VISITOR}) cookies a visitor, then lets the oldest go`, async () => {
    const { get, hello, clock } = host()
    await hello('s1', await loadAuthorKey(memoryKeyStore()))
    for (let i = 0; i < MAX_COOKIES_PER_VISITOR; i++) {
      clock.time += 1000
      await get('s1', '/', { set: [`c${i}=${i}; HttpOnly; Path=/; Max-Age=3600`] })
    }
    expect((await get('s1', '/')).sent.split('; ')).toHaveLength(MAX_COOKIES_PER_VISITOR)
    clock.time += 1000
    await get('s1', '/', { set: ['last=1; HttpOnly; Path=/; Max-Age=3600'] })
    const sent = (await get('s1', '/')).sent.split('; ')
    expect(sent).toHaveLength(MAX_COOKIES_PER_VISITOR)
    expect(sent).toContain('last=1')
    expect(sent).not.toContain('c0=0')
  })
})

import { Cookie, CookieJar } from 'tough-cookie'
import { VISITOR_HELLO_PATH, VisitorHelloSchema, visitorProof } from '../../shared/protocol/visitor'
import type { YjsCookieJars } from '../site/cookie-jars'
import { base64UrlDecode, base64UrlEncode } from '../vserver/crypto'
import type { HeaderList, VRequest, VResponse } from '../vserver/types'

/** Largest cookie (name and value, in UTF-8 bytes) the host keeps for a visitor, as browsers do (RFC 6265bis §5.7). */
export const MAX_COOKIE_BYTES = 4096
/** Most HttpOnly cookies kept for one visitor; past it the oldest one goes (RFC 6265bis asks for at least 50 per domain). */
export const MAX_COOKIES_PER_VISITOR = 50
/**
 * How long a visitor's session cookies (no Expires or Max-Age) outlive their
 * last request: a browser drops them when it closes, which the host cannot
 * see, so it drops them after the visitor has been away this long.
 */
export const SESSION_COOKIE_IDLE_MS = 12 * 3600_000
/** How stale a jar's "last seen" may get before a request refreshes it (each write syncs to the co-authors). */
const SEEN_REFRESH_MS = 3600_000

const encoder = new TextEncoder()

/** The `name=value` pairs of the Cookie headers of a request. */
function requestCookies(headers: HeaderList): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'cookie') continue
    for (const part of value.split(';')) {
      const at = part.indexOf('=')
      const key = (at < 0 ? '' : part.slice(0, at)).trim()
      if (key) pairs.push([key, part.slice(at + 1).trim()])
    }
  }
  return pairs
}

function json(status: number, body: unknown): VResponse {
  return { status, headers: [['content-type', 'application/json']], body: encoder.encode(JSON.stringify(body)) }
}

/** What the visitor cookies of a host need. */
export interface VisitorCookiesOptions {
  site: string
  /** The site's origin as its visitors see it (`http://blog.localhost:3000`): cookies are kept for it. */
  origin: string
  jars: YjsCookieJars
  now?: () => number
  subtle?: SubtleCrypto
  /** A cookie refused (too large, a bad prefix): for the request log. */
  note?: (message: string) => void
}

/**
 * The HttpOnly half of a visitor's cookies, kept by the host: a handler's
 * `Set-Cookie` with HttpOnly is taken out of the response and kept here
 * (RFC 6265bis rules, by tough-cookie), and added to that visitor's requests,
 * so the visitor's browser, and the site's script in it, never holds it. The
 * other cookies live in the visitor's real browser jar (visitor/sw.ts), where
 * `document.cookie` sees them. A visitor is known by its key, proved by the
 * hello on each connection; before a hello, cookies last for the connection.
 */
export class VisitorCookies {
  private readonly bound = new Map<string, string>()
  private readonly cache = new Map<string, CookieJar>()
  private readonly now: () => number
  private readonly subtle: SubtleCrypto
  private readonly stop: () => void

  constructor(private readonly options: VisitorCookiesOptions) {
    this.now = options.now ?? Date.now
    this.subtle = options.subtle ?? crypto.subtle
    // A co-author's tab served the visitor and changed its cookies: read them afresh.
    this.stop = options.jars.onChange(visitors => visitors.forEach(visitor => this.cache.delete(visitor)))
  }

  /** The visitor's hello (VISITOR_HELLO_PATH), or null for any other request. */
  hello(request: VRequest): Promise<VResponse> | null {
    if (!request.visitor || request.url !== VISITOR_HELLO_PATH) return null
    return this.greet(request, request.visitor)
  }

  /** Serve `request` with `next`, its visitor's HttpOnly cookies added and the response's taken. */
  async serve(request: VRequest, next: (request: VRequest) => Promise<VResponse>): Promise<VResponse> {
    const session = request.visitor
    if (!session) return next(request)
    const id = this.bound.get(session) ?? `session:${session}`
    const jar = this.jarOf(id)
    const url = new URL(request.url, this.options.origin)
    const held = jar.getCookiesSync(url, { http: true, sameSiteContext: 'strict', sort: true })
    // The page's own cookies cannot shadow an HttpOnly one (its browser would not let it write one of that name).
    const names = new Set(held.map(cookie => cookie.key))
    const pairs = [...held.map(cookie => cookie.cookieString()), ...requestCookies(request.headers).filter(([name]) => !names.has(name)).map(([name, value]) => `${name}=${value}`)]
    const headers: HeaderList = request.headers.filter(([name]) => name.toLowerCase() !== 'cookie')
    if (pairs.length > 0) headers.push(['cookie', pairs.join('; ')])
    const response = await next({ ...request, headers })
    return this.take(response, jar, id, url)
  }

  /** The connection `session` is gone: its binding goes (the visitor's cookies stay, for its next connection). */
  forget(session: string): void {
    this.bound.delete(session)
    this.cache.delete(`session:${session}`)
  }

  destroy(): void {
    this.stop()
  }

  private async greet(request: VRequest, session: string): Promise<VResponse> {
    let hello
    try {
      hello = VisitorHelloSchema.parse(JSON.parse(new TextDecoder().decode(request.body ?? new Uint8Array())))
    }
    catch {
      return json(400, { error: 'the hello is not { key, signature }' })
    }
    const spki = base64UrlDecode(hello.key)
    const signature = base64UrlDecode(hello.signature)
    if (!spki || !signature) return json(400, { error: 'the key or signature is not base64url' })
    const valid = await this.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
      .then(key => this.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, encoder.encode(visitorProof(this.options.site, session))))
      // Not a P-256 key: not a visitor we can know.
      .catch(() => false)
    if (!valid) return json(403, { error: 'the signature does not verify with that key for this connection' })
    const id = base64UrlEncode(new Uint8Array(await this.subtle.digest('SHA-256', spki))).slice(0, 22)
    this.bound.set(session, id)
    this.touch(id)
    return { status: 204, headers: [], body: null }
  }

  private jarOf(id: string): CookieJar {
    const cached = this.cache.get(id)
    if (cached) return cached
    const stored = id.startsWith('session:') ? null : this.options.jars.get(id)
    let jar = new CookieJar(undefined, { prefixSecurity: 'strict' })
    if (stored) {
      try {
        jar = CookieJar.deserializeSync(stored.jar as never)
      }
      catch {
        // A jar a co-author's tab wrote in a shape this one cannot read: start empty rather than fail the request.
      }
      if (this.now() - stored.seen > SESSION_COOKIE_IDLE_MS) {
        for (const cookie of jar.serializeSync()?.cookies ?? []) {
          const lasting = (cookie.expires != null && cookie.expires !== 'Infinity') || (cookie.maxAge != null && cookie.maxAge !== 'Infinity')
          if (!lasting) void jar.store.removeCookie(String(cookie.domain), String(cookie.path), String(cookie.key))
        }
      }
    }
    this.cache.set(id, jar)
    return jar
  }

  /** Keep the response's HttpOnly cookies in `jar`, and give the visitor the rest. */
  private take(response: VResponse, jar: CookieJar, id: string, url: URL): VResponse {
    let changed = false
    const headers: HeaderList = []
    for (const [name, value] of response.headers) {
      const parsed = name.toLowerCase() === 'set-cookie' ? Cookie.parse(value) : undefined
      if (!parsed) {
        headers.push([name, value])
        continue
      }
      if (!parsed.httpOnly) {
        // The server may turn an HttpOnly cookie into a plain one: the browser holds it from now on.
        if (jar.getCookiesSync(url, { http: true }).some(cookie => cookie.key === parsed.key && cookie.path === (parsed.path ?? cookie.path))) {
          jar.setCookieSync(`${parsed.key}=; Max-Age=0; Path=${parsed.path ?? '/'}; HttpOnly`, url, { ignoreError: true })
          changed = true
        }
        headers.push([name, value])
        continue
      }
      if (encoder.encode(parsed.key + parsed.value).length > MAX_COOKIE_BYTES) {
        this.options.note?.(`The cookie ${parsed.key} was not kept: over ${MAX_COOKIE_BYTES} bytes`)
        continue
      }
      try {
        jar.setCookieSync(value, url, { http: true, sameSiteContext: 'strict' })
        changed = true
      }
      catch (error) {
        this.options.note?.(`The cookie ${parsed.key} was not kept: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    if (changed) this.keep(jar, id)
    else this.touch(id)
    return { ...response, headers }
  }

  private keep(jar: CookieJar, id: string): void {
    const serialized = jar.serializeSync()
    const cookies = serialized?.cookies ?? []
    if (serialized && cookies.length > MAX_COOKIES_PER_VISITOR) {
      cookies.sort((a, b) => String(a.creation ?? '').localeCompare(String(b.creation ?? '')))
      serialized.cookies = cookies.slice(cookies.length - MAX_COOKIES_PER_VISITOR)
      this.cache.set(id, CookieJar.deserializeSync(serialized))
    }
    if (!id.startsWith('session:')) this.options.jars.set(id, serialized)
  }

  private touch(id: string): void {
    if (id.startsWith('session:')) return
    // Read first: the jar as loaded has lost the session cookies of a visitor away too long.
    const jar = this.jarOf(id)
    const stored = this.options.jars.get(id)
    if (stored && this.now() - stored.seen < SEEN_REFRESH_MS) return
    this.options.jars.set(id, jar.serializeSync())
  }
}

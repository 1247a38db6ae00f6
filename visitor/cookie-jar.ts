import { parseSetCookie } from 'cookie-es'

/** One cookie as the visitor's jar keeps it. `expires` is ms since the epoch, null for a session cookie. */
export interface StoredCookie {
  name: string
  value: string
  path: string
  expires: number | null
  httpOnly: boolean
}

/** RFC 6265 §5.1.4 default-path: the request path up to (not including) its last '/'. */
function defaultPath(url: URL): string {
  const path = url.pathname
  if (!path.startsWith('/')) return '/'
  const last = path.lastIndexOf('/')
  return last <= 0 ? '/' : path.slice(0, last)
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'
}

/**
 * The cookie jar of one visited site. A service worker cannot hand
 * `Set-Cookie` to the browser (it is a forbidden response header), so the
 * visitor's service worker keeps the site's cookies itself and sends them
 * with every tunnelled request — HttpOnly ones included, which the site's
 * own scripts never see.
 */
export class CookieJar {
  private cookies: StoredCookie[]
  private readonly now: () => number

  constructor(cookies: StoredCookie[] = [], now: () => number = Date.now) {
    this.now = now
    this.cookies = cookies.filter(cookie => !this.expired(cookie))
  }

  /** Apply one `Set-Cookie` header value received for `url`. Returns false when it was ignored. */
  setFromHeader(header: string, url: URL): boolean {
    const parsed = parseSetCookie(header)
    if (!parsed || !parsed.name) return false
    const path = parsed.path?.startsWith('/') ? parsed.path : defaultPath(url)
    let expires: number | null = null
    if (parsed.maxAge !== undefined && Number.isFinite(parsed.maxAge)) expires = this.now() + parsed.maxAge * 1000
    else if (parsed.expires && !Number.isNaN(parsed.expires.getTime())) expires = parsed.expires.getTime()
    const cookie: StoredCookie = { name: parsed.name, value: parsed.value, path, expires, httpOnly: parsed.httpOnly === true }
    this.cookies = this.cookies.filter(c => !(c.name === cookie.name && c.path === cookie.path))
    if (!this.expired(cookie)) this.cookies.push(cookie)
    return true
  }

  /** The `Cookie` request header for `url` (longest paths first), or '' when none apply. */
  header(url: URL): string {
    return this.matching(url).map(cookie => `${cookie.name}=${cookie.value}`).join('; ')
  }

  /** The live cookies that apply to `url`, longest path first. */
  matching(url: URL): StoredCookie[] {
    this.cookies = this.cookies.filter(cookie => !this.expired(cookie))
    return this.cookies
      .filter(cookie => pathMatches(cookie.path, url.pathname))
      .sort((a, b) => b.path.length - a.path.length)
  }

  /** A copy of every live cookie, for persistence. */
  toJSON(): StoredCookie[] {
    return this.cookies.filter(cookie => !this.expired(cookie)).map(cookie => ({ ...cookie }))
  }

  private expired(cookie: StoredCookie): boolean {
    return cookie.expires !== null && cookie.expires <= this.now()
  }
}

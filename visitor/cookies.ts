// The site's cookies on the visitor's side, where the browser itself keeps
// them: a handler's cookie (not HttpOnly) is written into the browser's jar
// for the site's origin, with its attributes, so `document.cookie` sees it and
// the browser applies its rules (paths, expiry, Secure, prefixes, sizes); the
// browser's cookies for a request's URL go with it to the host. HttpOnly ones
// never get here: the host keeps them (lib/host/visitor-cookies.ts).
import type { HeaderList } from '../lib/vserver/types'

/** The part of the Cookie Store API the service worker uses (Chromium, Firefox 140+, Safari 18.4+). */
interface CookieStoreLike {
  getAll(options: { url: string }): Promise<Array<{ name: string, value: string }>>
}

/** The browser's cookies for `url`, as a Cookie header value ('' when none), or null when this browser has no Cookie Store API. */
export async function browserCookies(store: CookieStoreLike | undefined, url: string): Promise<string | null> {
  if (!store) return null
  const cookies = await store.getAll({ url })
  // As document.cookie and a browser's own Cookie header write them: a nameless cookie is its value alone.
  return cookies.map(cookie => cookie.name ? `${cookie.name}=${cookie.value}` : cookie.value).join('; ')
}

/** A Cookie header's pairs as [name, pair] (a pair without '=' is a nameless cookie: its name is ''). */
function cookiePairs(header: string): Array<[string, string]> {
  return header.split(';').map(pair => pair.trim()).filter(Boolean).map((pair) => {
    const equals = pair.indexOf('=')
    return [equals < 0 ? '' : pair.slice(0, equals).trim(), pair]
  })
}

/**
 * The Cookie header for a request: the cookies the page sees now
 * (`document.cookie`, whose writes are at once in it), then those of the
 * service worker's read of the jar for the request's URL that the page does
 * not see (a cookie whose path covers that URL, not the page's). The page's
 * value wins for a name in both: in Firefox, the worker's Cookie Store read
 * goes to the browser process on another channel than the page's writes,
 * and can come back without a cookie the page has just set (issue 15's
 * Firefox test saw it once in a few full runs). A cookie the page has just
 * deleted may still come from the worker's read once.
 */
export function requestCookies(fromJar: string, fromPage: string): string {
  const page = cookiePairs(fromPage)
  const seen = new Set(page.map(([name]) => name))
  return [...page, ...cookiePairs(fromJar).filter(([name]) => !seen.has(name))].map(([, pair]) => pair).join('; ')
}

/** Whether a Set-Cookie value is HttpOnly (attribute names are case-insensitive; the first pair is the cookie itself). */
export function isHttpOnly(setCookie: string): boolean {
  return setCookie.split(';').slice(1).some(attribute => attribute.trim().toLowerCase() === 'httponly')
}

/**
 * Write a response's cookies into the browser's jar, as the browser would
 * from a real response: `document.cookie = <Set-Cookie value>` takes the
 * same attributes. An HttpOnly one (from a host that predates the host-side
 * jar) is dropped: script could read it here. Returns the headers without
 * any Set-Cookie (a service worker cannot pass one on anyway).
 */
export function applySetCookies(headers: HeaderList, write: (cookie: string) => void): HeaderList {
  const rest: HeaderList = []
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'set-cookie') rest.push([name, value])
    else if (!isHttpOnly(value)) write(value)
  }
  return rest
}

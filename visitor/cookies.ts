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
  return cookies.map(cookie => `${cookie.name}=${cookie.value}`).join('; ')
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

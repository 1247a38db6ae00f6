import { parse, serialize, type CookieSerializeOptions } from 'cookie-es'
import { stateOf, type VEvent } from './event'
import { rawRequestHeaders } from './request'

/** Options of `setCookie`: cookie-es's (`maxAge` in seconds, `httpOnly`, `sameSite`, `path` defaulting to `/`…). */
export type CookieOptions = Omit<CookieSerializeOptions, 'encode' | 'stringify'>

/** Every cookie of the request. Several `Cookie` headers (HTTP/2) are joined with `; `, not `, `. */
export function parseCookies(event: VEvent): Record<string, string> {
  const parsed = parse(rawRequestHeaders(event, 'cookie').join('; '))
  const cookies: Record<string, string> = {}
  for (const [name, value] of Object.entries(parsed)) {
    if (value !== undefined) cookies[name] = value
  }
  return cookies
}

/** One request cookie, or undefined. */
export function getCookie(event: VEvent, name: string): string | undefined {
  return parseCookies(event)[name]
}

/** Set a cookie on the response (Path=/ unless given); a second call for the same name replaces the first. */
export function setCookie(event: VEvent, name: string, value: string, options: CookieOptions = {}): void {
  const header = serialize(name, value, { path: '/', ...options })
  const response = stateOf(event).response
  response.headers = response.headers.filter(([key, existing]) => key !== 'set-cookie' || !existing.startsWith(`${name}=`))
  response.headers.push(['set-cookie', header])
}

/** Remove a cookie from the visitor (an empty value that expires now). Give the same path it was set with. */
export function deleteCookie(event: VEvent, name: string, options: CookieOptions = {}): void {
  setCookie(event, name, '', { ...options, maxAge: 0, expires: new Date(0) })
}

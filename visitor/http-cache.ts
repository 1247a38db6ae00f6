// The visitor's HTTP cache, as a browser keeps one: responses a service
// worker makes never reach the browser's own cache, so without this every
// stylesheet and picture of every page crossed the tunnel again on each
// visit. Stored responses are revalidated with the host (If-None-Match /
// If-Modified-Since; the host answers 304 without a body) unless still
// fresh by Cache-Control max-age. Only what a shared site would let any
// visitor see is kept: GET, 200, a validator, a known length, not no-store.
import type { HeaderList } from '../lib/vserver/types'

/** Largest response kept (bytes, by Content-Length); larger ones are fetched each time. */
export const MAX_CACHED_RESPONSE_BYTES = 8 * 1024 * 1024
/** Most responses kept; past it the oldest stored goes. */
export const MAX_CACHED_RESPONSES = 500
/** The Cache Storage of the visitor's HTTP cache (a new name drops every entry of an older format). */
export const HTTP_CACHE_NAME = 'peerserver-http-v1'

const get = (headers: HeaderList, name: string) => headers.find(([key]) => key.toLowerCase() === name)?.[1]

/** The directives of a Cache-Control value, lower-cased, `max-age` with its number. */
export function cacheControl(value: string | undefined): Map<string, string | true> {
  const directives = new Map<string, string | true>()
  for (const part of (value ?? '').split(',')) {
    const [name, arg] = part.trim().split('=', 2) as [string, string | undefined]
    if (name) directives.set(name.toLowerCase(), arg === undefined ? true : arg.replace(/^"|"$/g, ''))
  }
  return directives
}

/** Whether a request may be answered from the cache or revalidated: a GET the page did not ask to bypass it with, and no Range or conditional of its own. */
export function usesCache(method: string, mode: RequestCache, headers: HeaderList): boolean {
  if (method !== 'GET' || mode === 'no-store' || mode === 'reload') return false
  return !['range', 'if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range'].some(name => get(headers, name) !== undefined)
}

/** Whether a response to such a request is kept: 200, a validator (ETag or Last-Modified), a length up to MAX_CACHED_RESPONSE_BYTES, not no-store, no Vary: *. */
export function isStorable(status: number, headers: HeaderList): boolean {
  if (status !== 200) return false
  const control = cacheControl(get(headers, 'cache-control'))
  if (control.has('no-store') || get(headers, 'vary')?.trim() === '*') return false
  if (get(headers, 'etag') === undefined && get(headers, 'last-modified') === undefined) return false
  const length = Number(get(headers, 'content-length'))
  return Number.isInteger(length) && length >= 0 && length <= MAX_CACHED_RESPONSE_BYTES
}

/** The conditional headers that revalidate a stored response. */
export function revalidation(stored: HeaderList): HeaderList {
  const etag = get(stored, 'etag')
  const modified = get(stored, 'last-modified')
  const headers: HeaderList = []
  if (etag !== undefined) headers.push(['if-none-match', etag])
  if (modified !== undefined) headers.push(['if-modified-since', modified])
  return headers
}

/** Whether a stored response, stored at `storedAt` (ms), is still fresh at `now` by its max-age (never, with no-cache or without max-age). */
export function isFresh(stored: HeaderList, storedAt: number, now: number): boolean {
  const control = cacheControl(get(stored, 'cache-control'))
  if (control.has('no-cache')) return false
  const maxAge = Number(control.get('max-age'))
  return Number.isFinite(maxAge) && maxAge > 0 && now - storedAt < maxAge * 1000
}

/**
 * The URLs the cache holds, oldest first, kept in memory by the service
 * worker, which alone writes the cache: a request for a URL it does not hold
 * (every handler's page) skips the look-up in Cache Storage, and keeping one
 * more finds what to let go without listing every key. Read from the cache's
 * keys once per worker life (a worker stopped and started again reads them
 * again); what `forget` is told is gone (an entry the browser dropped itself).
 */
export class StoredUrls {
  private urls: Promise<Set<string>> | null = null

  constructor(private readonly keys: () => Promise<readonly string[]>, private readonly max = MAX_CACHED_RESPONSES) {}

  private read(): Promise<Set<string>> {
    this.urls ??= this.keys().then(keys => new Set(keys), (error: unknown) => {
      this.urls = null
      throw error
    })
    return this.urls
  }

  async has(url: string): Promise<boolean> {
    return (await this.read()).has(url)
  }

  /** `url` was stored (again: it is now the newest); returns the oldest ones past `max`, which the caller deletes. */
  async stored(url: string): Promise<string[]> {
    const urls = await this.read()
    urls.delete(url)
    urls.add(url)
    const past: string[] = []
    for (const old of urls) {
      if (urls.size - past.length <= this.max) break
      past.push(old)
    }
    for (const old of past) urls.delete(old)
    return past
  }

  async forget(url: string): Promise<void> {
    (await this.read()).delete(url)
  }
}

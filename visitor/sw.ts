/// <reference lib="webworker" />
// The visitor's service worker: every request the site's iframe makes —
// navigations, links, forms, images, CSS, scripts, fetch/XHR — goes to the
// shell page, which tunnels it to a host tab over WebRTC. Top-level
// navigations and /_ps/ are left to the network: Nitro answers them with the
// shell itself.
import type { HeaderList } from '../lib/vserver/types'
import { forgetOldJar } from './jar-store'
import { browserCookies } from './cookies'
import { HTTP_CACHE_NAME, StoredUrls, isFresh, isStorable, revalidation, usesCache } from './http-cache'
import { ShellMessageSchema, type TunnelReplyMessage, type TunnelRequestMessage } from './messages'
import { ShellLine, readReply } from './shell-line'
import { errorResponse } from './error-page'
import { bodyFromPort } from './body-port'

declare const self: ServiceWorkerGlobalScope

const REPLY_TIMEOUT_MS = 60_000
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])
// The browser's own cookie jar (Cookie Store API), where it has one.
const cookieStore = Reflect.get(self, 'cookieStore') as Parameters<typeof browserCookies>[0]

self.addEventListener('install', () => {
  void self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  event.waitUntil(Promise.all([self.clients.claim(), forgetOldJar().catch(error => console.warn('[sw] the old cookie jar stays:', error))]))
})

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url)
  if (url.origin !== self.location.origin || url.pathname.startsWith('/_ps/')) return
  if (event.request.mode === 'navigate' && event.request.destination === 'document') return
  event.respondWith(tunnel(event.request, url))
})

// clients.matchAll costs a round trip to the browser process: a page's burst
// of sub-resource requests shares one look-up. A shell that goes away says
// so ('ps-bye'), so a stale entry does not outlive it.
const SHELL_CACHE_MS = 2_000
let cachedShell: { client: Promise<WindowClient | undefined>, at: number } | null = null

/** The shells' lines (visitor/shell-line.ts), by client id. */
const lines = new Map<string, ShellLine>()

self.addEventListener('message', (event) => {
  const source = event.source
  const parsed = ShellMessageSchema.safeParse(event.data)
  if (!parsed.success) return console.warn('[sw] ignored a message that is not ps-bye or ps-line')
  if (!source || !('id' in source)) return
  const { id } = source
  lines.get(id)?.close()
  if (parsed.data.type === 'ps-line') {
    const port = event.ports[0]
    if (!port) return console.warn('[sw] ignored a ps-line without its port')
    const line: ShellLine = new ShellLine(port, () => {
      if (lines.get(id) === line) lines.delete(id)
    })
    lines.set(id, line)
    return
  }
  void cachedShell?.client.then((client) => {
    if (client?.id === id) cachedShell = null
  })
})

/** Send `message` to `shell`: on its line when it gave one, else through Client.postMessage with a port for the reply. */
function ask(shell: WindowClient, message: TunnelRequestMessage): Promise<TunnelReplyMessage | null> {
  const line = lines.get(shell.id)
  if (line?.open) return line.ask(message, REPLY_TIMEOUT_MS)
  const channel = new MessageChannel()
  // null: no answer in time, or one that is not a reply (either way the visitor gets a 504).
  const reply = new Promise<TunnelReplyMessage | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), REPLY_TIMEOUT_MS)
    channel.port1.onmessage = (event) => {
      clearTimeout(timer)
      resolve(readReply(event.data))
    }
  })
  shell.postMessage(message, message.body ? [channel.port2, message.body] : [channel.port2])
  return reply.finally(() => channel.port1.close())
}

/** The shell to send a request to: a top-level page of this site, the focused or visible one first. */
function findShell(): Promise<WindowClient | undefined> {
  if (cachedShell && performance.now() - cachedShell.at < SHELL_CACHE_MS) return cachedShell.client
  const client = self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    const shells = windows.filter(window => window.frameType === 'top-level')
    return shells.find(window => window.focused) ?? shells.find(window => window.visibilityState === 'visible') ?? shells[0]
  })
  cachedShell = { client, at: performance.now() }
  return client
}

// Chromium refuses some origins' URLs in cookieStore.getAll with a TypeError ("URL must be within
// Service Worker scope", on *.localhost sites): after the first, this worker reads no more and the
// shell's document.cookie goes alone (as for a browser without the API); no request pays for the refusal again.
let cookieStoreRefuses = false

/** The request's head for the host, with the browser's cookies for its URL when this worker can read them. */
async function requestHead(request: Request, url: URL): Promise<TunnelRequestMessage['head']> {
  const headers: HeaderList = []
  request.headers.forEach((value, name) => headers.push([name, value]))
  if (request.referrer && request.referrer !== 'about:client') headers.push(['referer', request.referrer])
  const cookie = cookieStoreRefuses
    ? null
    : await browserCookies(cookieStore, url.href).catch((error: unknown) => {
      if (error instanceof TypeError) cookieStoreRefuses = true
      return null
    })
  if (cookie) headers.push(['cookie', cookie])
  return { method: request.method, url: url.pathname + url.search, headers }
}

/** When a stored response was stored (ms), kept on the stored copy only. */
const STORED_AT = 'x-peerserver-stored-at'

// Opened once for the worker's life, not on every request.
let httpCache: Promise<Cache> | undefined
function openHttpCache(): Promise<Cache> {
  httpCache ??= caches.open(HTTP_CACHE_NAME).catch((error: unknown) => {
    httpCache = undefined
    throw error
  })
  return httpCache
}

const storedUrls = new StoredUrls(() => openHttpCache().then(cache => cache.keys()).then(requests => requests.map(request => request.url)))

/** The stored response for `url`, with its headers and when it was stored, or null. */
async function stored(url: URL): Promise<{ response: Response, headers: HeaderList, storedAt: number } | null> {
  if (!await storedUrls.has(url.href).catch(() => true)) return null
  const response = await openHttpCache().then(cache => cache.match(url.href)).catch(() => undefined)
  if (!response) {
    await storedUrls.forget(url.href).catch(() => {})
    return null
  }
  const headers: HeaderList = []
  response.headers.forEach((value, name) => {
    if (name !== STORED_AT) headers.push([name, value])
  })
  return { response, headers, storedAt: Number(response.headers.get(STORED_AT)) }
}

/** The stored response as the page gets it (without our own header). */
function fromStore(entry: { response: Response, headers: HeaderList }): Response {
  return new Response(entry.response.body, { status: 200, statusText: entry.response.statusText, headers: entry.headers })
}

/** Keep `response` for `url`, then let the oldest go past MAX_CACHED_RESPONSES. A failure only costs the cache. */
async function keep(url: URL, response: Response): Promise<void> {
  try {
    const cache = await openHttpCache()
    const headers = new Headers(response.headers)
    headers.set(STORED_AT, String(Date.now()))
    await cache.put(url.href, new Response(await response.arrayBuffer(), { status: 200, statusText: response.statusText, headers }))
    for (const old of await storedUrls.stored(url.href)) await cache.delete(old)
  }
  catch (error) {
    console.warn('[sw] a response was not cached:', error)
  }
}

async function tunnel(request: Request, url: URL): Promise<Response> {
  const shell = await findShell()
  if (!shell) {
    cachedShell = null
    return errorResponse(503, 'Site not connected', 'This page is not open in a PeerServer visitor tab. Reload the page to reconnect.')
  }
  const head = await requestHead(request, url)
  // The HTTP cache (visitor/http-cache.ts): fresh → no round trip; stored → revalidate, and a 304 brings no body.
  const caching = usesCache(request.method, request.cache, head.headers)
  const entry = caching ? await stored(url) : null
  if (entry && isFresh(entry.headers, entry.storedAt, Date.now())) return fromStore(entry)
  if (entry) head.headers.push(...revalidation(entry.headers))
  const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer()
  const answer = await ask(shell, { type: 'ps-request', head, body })
  if (!answer) return errorResponse(504, 'No answer', 'The site did not answer in time.')
  if (answer.type === 'ps-error') return errorResponse(answer.status, answer.status === 503 ? 'Site unavailable' : 'Request refused', answer.message)
  if (entry && answer.head.status === 304) return fromStore(entry)
  const response = await toResponse(answer.head, answer.body)
  if (caching && isStorable(answer.head.status, answer.head.headers)) void keep(url, response.clone())
  return response
}

async function toResponse(head: { status: number, statusText?: string, headers: HeaderList }, sent: MessagePort | ArrayBuffer | null): Promise<Response> {
  const body = sent instanceof MessagePort ? bodyFromPort(sent) : sent
  const headers = new Headers()
  for (const [name, value] of head.headers) {
    const lower = name.toLowerCase()
    // The body arrives decoded; a stale length or encoding would corrupt it. Set-Cookie the shell wrote into the browser's jar already.
    if (lower !== 'content-encoding' && lower !== 'transfer-encoding' && lower !== 'set-cookie') headers.append(name, value)
  }
  const nullBody = NULL_BODY_STATUS.has(head.status)
  if (nullBody && body instanceof ReadableStream) void body.cancel()
  if (head.status < 200) return errorResponse(502, 'Bad response', `The site answered with status ${head.status}.`)
  return new Response(nullBody ? null : body, { status: head.status, statusText: head.statusText ?? '', headers })
}

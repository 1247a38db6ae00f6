// The visitor shell: the only page Nitro serves on a site's origin. It holds
// the peer connection to a host tab, shows the site in a full-window iframe
// at the same path, and answers its service worker's requests through the
// tunnel. No HTML is rewritten: the browser's own request machinery does it.
import { z } from 'zod'
import { HostConnection } from './connection'
import { TunnelRequestMessageSchema, type ShellLineMessage, type TunnelReplyMessage } from './messages'
import { renderStatus } from './status'
import { followFrame } from './frame'
import { takeLessonParams } from './lesson/identity'
import { runLesson } from './lesson/channel'
import { sendBodyOverPort } from './body-port'
import { applySetCookies, requestCookies } from './cookies'
import type { TunnelResponse } from '../lib/tunnel/client'
import { httpStatusOf } from '../lib/tunnel/errors'
import { readBody } from '../lib/tunnel/read-body'
import type { RequestHead } from '../shared/protocol/frames'
import { errorMessage } from '../shared/error-message'
import { socketUrl } from '../lib/peer/socket-url'
import { DEFAULT_RELAY_AFTER_MS } from '../lib/peer/rtc-session'

const ConfigSchema = z.object({ site: z.string(), signalPath: z.string(), relayAfterMs: z.number().int().positive().default(DEFAULT_RELAY_AFTER_MS) })
const REQUEST_WAIT_MS = 20_000

function readConfig() {
  const text = document.getElementById('ps-config')?.textContent ?? ''
  return ConfigSchema.parse(JSON.parse(text))
}

async function activeWorker(): Promise<void> {
  const registration = await navigator.serviceWorker.register('/_ps/sw.js', { scope: '/' })
  const worker = registration.installing ?? registration.waiting ?? registration.active
  if (!worker || worker.state === 'activated') return
  await new Promise<void>((resolve) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve()
    })
  })
}

const WHOLE_BODY_MAX = 1024 * 1024

/** Where a reply goes: the request's own port, or the shell's line with the request's id. */
type Reply = (message: TunnelReplyMessage, id: number | undefined) => void

const transferOf = (message: TunnelReplyMessage): Transferable[] => (message.type === 'ps-response' && message.body ? [message.body] : [])

/** The body to hand the service worker: whole when its announced length is small, else a port it streams on. */
async function replyBody(response: TunnelResponse): Promise<ArrayBuffer | MessagePort> {
  const length = Number(response.head.headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1] ?? Number.NaN)
  // Read with a reader loop (`new Response(body).arrayBuffer()` costs the shell's thread several tasks more), into a buffer of its own: it is transferred.
  if (length <= WHOLE_BODY_MAX) return (await readBody(response.body)).slice().buffer
  const channel = new MessageChannel()
  sendBodyOverPort(response.body, channel.port1).catch((error: unknown) => console.warn('[shell] a response body failed:', error))
  return channel.port2
}

// Requests that may be sent twice without harm (RFC 9110 §9.2.2): retried on another host when theirs went away.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])
const RETRIES = 2

/** Send a request to the site's host; an idempotent one whose host left before answering goes to the next host. */
async function forward(connection: HostConnection, head: RequestHead, body: Uint8Array | null): Promise<TunnelResponse> {
  for (let attempt = 0; ; attempt++) {
    const client = await connection.ready(REQUEST_WAIT_MS)
    try {
      return await client.request(head, body)
    }
    catch (error) {
      if (attempt >= RETRIES || !IDEMPOTENT.has(head.method) || !connection.lost(client)) throw error
      console.info(`[shell] the host left during ${head.method} ${head.url}; asking the next host`)
    }
  }
}

/** Tunnel one request from the service worker and send `reply` its answer. */
function answer(connection: HostConnection, data: unknown, reply: Reply): void {
  const parsed = TunnelRequestMessageSchema.safeParse(data)
  if (!parsed.success) return console.warn('[shell] ignored a malformed message from the service worker:', parsed.error.issues[0]?.message)
  const { id, head, body } = parsed.data
  // The page's cookies, with those of the worker's read of the jar for the URL (visitor/cookies.ts); a worker that could not read it sent none.
  const fromJar = head.headers.filter(([name]) => name.toLowerCase() === 'cookie').map(([, value]) => value).join('; ')
  const cookie = requestCookies(fromJar, document.cookie)
  head.headers = head.headers.filter(([name]) => name.toLowerCase() !== 'cookie')
  if (cookie) head.headers.push(['cookie', cookie])
  forward(connection, head, body ? new Uint8Array(body) : null)
    .then(async (response) => {
      // Into the browser's jar before the page gets the response: its script sees the cookie as it loads.
      const headers = applySetCookies(response.head.headers, (cookie) => { document.cookie = cookie })
      reply({ type: 'ps-response', head: { ...response.head, headers }, body: await replyBody(response) }, id)
    })
    .catch((error: unknown) => {
      // The host's limits (too many requests, too large, too slow) keep their HTTP meaning: 429, 413, 408.
      const status = httpStatusOf(error)
      const message = status === 503 ? `The host did not answer: ${errorMessage(error)}.` : `The host refused the request: ${errorMessage(error)}.`
      reply({ type: 'ps-error', status, message }, id)
    })
}

/** Most often this shell offers its service worker a new line (one that asks through Client.postMessage has none). */
const LINE_OFFER_MS = 1000

function serveRequests(connection: HostConnection): void {
  let offered = -Infinity
  // The shell's line (visitor/shell-line.ts): requests arrive on it with an id, replies go back with it.
  const offerLine = async () => {
    if (performance.now() - offered < LINE_OFFER_MS) return
    offered = performance.now()
    const worker = (await navigator.serviceWorker.ready).active
    if (!worker) return
    const { port1, port2 } = new MessageChannel()
    port1.onmessage = (event: MessageEvent<unknown>) => answer(connection, event.data, (message, id) => {
      if (id === undefined) return console.warn('[shell] a request on the line had no id: its reply has nowhere to go')
      port1.postMessage({ ...message, id }, transferOf(message))
    })
    worker.postMessage({ type: 'ps-line' } satisfies ShellLineMessage, [port2])
    console.debug('[shell] gave the service worker a line')
  }
  navigator.serviceWorker.addEventListener('message', (event) => {
    const port = event.ports[0]
    if (!port) return console.warn('[shell] ignored a request without a reply port')
    answer(connection, event.data, message => port.postMessage(message, transferOf(message)))
    // The worker asked without a line: it has none for this shell (it was started again, or replaced).
    offerLine().catch((error: unknown) => console.warn('[shell] could not offer the service worker a line:', error))
  })
  navigator.serviceWorker.startMessages()
  addEventListener('pagehide', () => navigator.serviceWorker.controller?.postMessage({ type: 'ps-bye' }))
  offerLine().catch((error: unknown) => console.warn('[shell] could not offer the service worker a line:', error))
}

async function main(): Promise<void> {
  const config = readConfig()
  const status = document.getElementById('ps-status')
  if (!status) throw new Error('shell markup is missing #ps-status')
  const show = renderStatus.bind(null, status, config.site)
  show({ kind: 'connecting' })
  if (!('serviceWorker' in navigator)) {
    show({ kind: 'offline', reason: 'error', detail: 'this browser has no service workers (a private window, or not a secure origin)' })
    return
  }
  const connection = new HostConnection(config.site, socketUrl(config.signalPath), show, config.relayAfterMs)
  serveRequests(connection)
  await activeWorker()
  void connection.run()
  // Lesson parameters (?ps-join, ?ps-name, #ps-lead=) are for the shell: the site and the address bar never keep them.
  const { identity, path } = takeLessonParams(location.href)
  if (path !== location.pathname + location.search + location.hash) history.replaceState(null, '', path)
  await connection.ready(24 * 3600_000)
  const frame = followFrame(path, config.site)
  runLesson({
    ready: () => connection.ready(24 * 3600_000),
    frame,
    identity,
    removed: () => {
      connection.stop()
      frame.remove()
      show({ kind: 'offline', reason: 'removed' })
    },
  })
}

main().catch((error: unknown) => {
  console.error('[shell]', error)
  const status = document.getElementById('ps-status')
  if (status) renderStatus(status, document.title, { kind: 'offline', reason: 'error', detail: String(error) })
})

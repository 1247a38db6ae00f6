import WebSocket from 'ws'
import { decodeRelay, encodeRelay, MAX_SIGNAL_BYTES } from '../../shared/protocol/signal'

// The signaling bench's clients (`ws`, in the runner process): idle sockets,
// relayed sessions, and relay frames pumped through a server as fast as it
// delivers them. Against PeerServer each party speaks the protocol; against
// the bare echo server each socket sends the same frames and gets them back.

/** A socket, what it was sent as JSON, and a handler for binary frames. */
export interface Party {
  ws: WebSocket
  next(type: string): Promise<Record<string, unknown>>
  onBinary(handler: (frame: Uint8Array) => void): void
  /** `error` messages the server sent (a refused relay frame, a limit). */
  errors: string[]
}

/** Open a socket from 127.0.0.1 (no Origin, as a Node client sends). */
export async function openParty(url: string): Promise<Party> {
  const ws = new WebSocket(url, { perMessageDeflate: false })
  const inbox: Array<Record<string, unknown>> = []
  const errors: string[] = []
  let wake = () => {}
  let binary: (frame: Uint8Array) => void = () => {}
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) return binary(data)
    const message = JSON.parse(data.toString('utf8')) as Record<string, unknown>
    if (message.type === 'error') errors.push(String(message.code))
    inbox.push(message)
    wake()
  })
  ws.on('error', () => undefined)
  await new Promise((done, fail) => ws.once('open', done).once('error', fail))
  return {
    ws,
    errors,
    onBinary: (handler) => {
      binary = handler
    },
    async next(type) {
      const deadline = Date.now() + 10_000
      for (;;) {
        const index = inbox.findIndex(message => message.type === type)
        if (index >= 0) return inbox.splice(index, 1)[0]!
        if (Date.now() > deadline) throw new Error(`no '${type}' from the server; got ${JSON.stringify(inbox.slice(-3))}`)
        await new Promise<void>((resolve) => {
          wake = resolve
          setTimeout(resolve, 100)
        })
      }
    },
  }
}

/** Run `task` over 0…count-1, at most `concurrency` at once; the results in order. */
export async function inBatches<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++
      results[i] = await task(i)
    }
  }))
  return results
}

/** `count` idle sockets (those that opened; a refused one is left out). */
export async function openIdleSockets(url: string, count: number): Promise<WebSocket[]> {
  const sockets = await inBatches(count, 256, () => openParty(url).then(party => party.ws, () => null))
  return sockets.filter((ws): ws is WebSocket => ws !== null)
}

export const FRAME_SMALL = 1024
export const FRAME_LARGE = MAX_SIGNAL_BYTES
/** One relayed session's exchange: a 1 KiB request from the visitor, four 64 KiB frames back (a small page). */
const REPLY_FRAMES = 4

/** A relay frame of `bytes` bytes in all for `session`. */
export function relayFrame(session: string, bytes: number): Uint8Array {
  return encodeRelay(session, new Uint8Array(bytes - 1 - session.length).fill(0x61))
}

/** Resolve after `count` binary frames reach `party` (its binary handler replaced). */
function framesArrive(party: Party, count: number): Promise<void> {
  let left = count
  return new Promise(done => party.onBinary(() => --left === 0 && done()))
}

/** A host of `site` on PeerServer's signaling server. */
export async function openHost(url: string, site: string): Promise<Party> {
  const host = await openParty(url)
  host.ws.send(JSON.stringify({ type: 'host', site }))
  await host.next('hosting')
  return host
}

/** A visitor of `site` and its session id. */
export async function openVisitor(url: string, site: string): Promise<{ visitor: Party, session: string }> {
  const visitor = await openParty(url)
  visitor.ws.send(JSON.stringify({ type: 'visit', site }))
  const { session } = await visitor.next('visiting')
  if (typeof session !== 'string') throw new Error('visiting without a session')
  return { visitor, session }
}

/** PeerServer: `hosts` hosts with `perHost` visitors each, every session relaying one exchange. The sockets, and bytes relayed. */
export async function relayedSessions(url: string, hosts: number, perHost: number): Promise<{ sockets: WebSocket[], relayedBytes: number }> {
  const hostParties = await inBatches(hosts, 64, i => openHost(url, `bench-relay-${i}`))
  for (const host of hostParties) {
    host.onBinary((frame) => {
      const relay = decodeRelay(frame)
      if (!relay.ok) throw new Error('the host got a malformed relay frame')
      for (let i = 0; i < REPLY_FRAMES; i++) host.ws.send(relayFrame(relay.session, FRAME_LARGE))
    })
  }
  const visitors = await inBatches(hosts * perHost, 128, i => openVisitor(url, `bench-relay-${i % hosts}`))
  await Promise.all(visitors.map(({ visitor, session }) => {
    const replies = framesArrive(visitor, REPLY_FRAMES)
    visitor.ws.send(relayFrame(session, FRAME_SMALL))
    return replies
  }))
  return { sockets: [...hostParties, ...visitors.map(({ visitor }) => visitor)].map(party => party.ws), relayedBytes: visitors.length * (FRAME_SMALL + REPLY_FRAMES * FRAME_LARGE) }
}

/** The bare echo server: the same sockets and the same bytes in and out, each frame echoed to its sender. */
export async function echoedSessions(url: string, hosts: number, perHost: number): Promise<{ sockets: WebSocket[], relayedBytes: number }> {
  const sockets = await inBatches(hosts + hosts * perHost, 128, () => openParty(url))
  const session = 'AAAAAAAAAAAAAAAA'
  await Promise.all(sockets.map((party, i) => {
    // The first `hosts` sockets send a host's replies to its visitors; the rest a visitor's request.
    const [frames, bytes] = i < hosts ? [perHost * REPLY_FRAMES, FRAME_LARGE] : [1, FRAME_SMALL]
    const echoed = framesArrive(party, frames)
    for (let f = 0; f < frames; f++) party.ws.send(relayFrame(session, bytes))
    return echoed
  }))
  return { sockets: sockets.map(party => party.ws), relayedBytes: hosts * perHost * (FRAME_SMALL + REPLY_FRAMES * FRAME_LARGE) }
}

import { connect as connectTcp } from 'node:net'
import WebSocket from 'ws'

/** A client socket and what the server sent it, parsed as JSON. */
export interface TestClient {
  ws: WebSocket
  inbox: Array<Record<string, unknown>>
  send(message: string | object | Uint8Array): void
  /** The next message that matches, waiting up to 5 s. */
  next(match?: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>
  closed: Promise<number>
}

/** Open a socket to `url` (from 127.0.0.1). */
export async function openClient(url: string): Promise<TestClient> {
  const ws = new WebSocket(url)
  const inbox: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) return
    inbox.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>)
    for (const wake of waiters.splice(0)) wake()
  })
  const closed = new Promise<number>(done => ws.once('close', code => done(code)))
  ws.on('error', () => undefined)
  await new Promise((done, fail) => ws.once('open', done).once('error', fail))
  return {
    ws,
    inbox,
    closed,
    send: message => ws.send(typeof message === 'string' || message instanceof Uint8Array ? message : JSON.stringify(message)),
    async next(match = () => true) {
      const deadline = Date.now() + 5000
      for (;;) {
        const index = inbox.findIndex(match)
        if (index >= 0) return inbox.splice(index, 1)[0]!
        if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(inbox.slice(-3))}`)
        await new Promise<void>(wake => waiters.push(wake) && setTimeout(wake, 50))
      }
    },
  }
}

/** A well-behaved host and visitor complete a handshake: registration, visit, offer and answer. */
export async function handshake(url: string, site: string): Promise<void> {
  const host = await openClient(url)
  host.send({ type: 'host', site })
  await host.next(message => message.type === 'hosting')
  const visitor = await openClient(url)
  visitor.send({ type: 'visit', site })
  const visiting = await visitor.next(message => message.type === 'visiting')
  await host.next(message => message.type === 'visitor')
  visitor.send({ type: 'signal', session: visiting.session, data: { description: { type: 'offer', sdp: 'v=0' } } })
  await host.next(message => message.type === 'signal')
  host.send({ type: 'signal', session: visiting.session, data: { description: { type: 'answer', sdp: 'v=0' } } })
  await visitor.next(message => message.type === 'signal')
  host.ws.close()
  visitor.ws.close()
}

/**
 * Upgrade a raw TCP socket to `path` and start one masked binary frame that
 * says it is `bytes` long, then stream zeros from one reused 64 KiB chunk
 * (this process never holds the frame) until the server closes. Resolves
 * with the close code the server sent (or 1006 for none) and the bytes written.
 */
export function sendHugeFrame(port: number, path: string, bytes: number): Promise<{ code: number, written: number }> {
  return new Promise((done) => {
    const socket = connectTcp(port, '127.0.0.1')
    let upgraded = false
    let written = 0
    let received = Buffer.alloc(0)
    let code = 1006
    const chunk = Buffer.alloc(64 * 1024)
    const pump = () => {
      while (written < bytes && !socket.destroyed) {
        written += chunk.length
        if (!socket.write(chunk)) return socket.once('drain', pump)
      }
    }
    socket.on('error', () => undefined)
    socket.on('close', () => done({ code, written }))
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data])
      if (!upgraded) {
        const end = received.indexOf('\r\n\r\n')
        if (end < 0) return
        upgraded = true
        received = received.subarray(end + 4)
        const header = Buffer.alloc(14)
        header[0] = 0x82
        header[1] = 0x80 | 127
        header.writeBigUInt64BE(BigInt(bytes), 2)
        socket.write(header)
        pump()
      }
      // A close frame: 0x88, length, then the code.
      if (received.length >= 4 && received[0] === 0x88) code = received.readUInt16BE(2)
    })
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.alloc(16, 1).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`)
  })
}

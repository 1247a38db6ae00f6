import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData } from 'ws'
import { yjsSignalError } from '../../../../../shared/protocol/yjs-signal'
import { DEFAULT_SITE_ORIGIN } from '../../../../../shared/site-origin'
import { isAllowedSignalingOrigin } from '../../../../../server/utils/signaling/origin'
import type { YjsRooms } from '../../../../../server/utils/yjs-signaling/rooms'

/** Where a test server listens: a TCP port on 127.0.0.1, or a Unix socket path. */
export type Listen = { host: '127.0.0.1', port: 0 } | { path: string }

/** A running WebSocket server in front of a room hub, and every text message it received. */
export interface TestYjsSignalServer {
  /** `ws://127.0.0.1:<port>` when listening on TCP. */
  url: string
  received: string[]
  stop(): Promise<void>
}

function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}

function refuse(socket: Duplex, origin: string): void {
  const body = JSON.stringify(yjsSignalError('bad-origin', `pages of ${origin} may not use this signaling server`))
  socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
}

/**
 * What server/routes/_ps/yjs.ts does, over the `ws` package instead of
 * Nitro's crossws (which wraps `ws` the same way): the Origin check on
 * upgrade, then every frame handed to the hub as bytes, as crossws's Node
 * adapter hands text frames over.
 */
export async function startYjsSignalServer(rooms: YjsRooms, listen: Listen): Promise<TestYjsSignalServer> {
  const wss = new WebSocketServer({ noServer: true })
  const received: string[] = []
  let count = 0
  const server: Server = createServer((_, response) => response.writeHead(426).end())
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const origin = request.headers.origin
    if (!isAllowedSignalingOrigin(origin, request.headers.host ?? '', DEFAULT_SITE_ORIGIN)) return refuse(socket, String(origin))
    wss.handleUpgrade(request, socket, head, (ws) => {
      const id = `ws-${++count}`
      rooms.connect({ id, send: text => ws.send(text) })
      ws.on('message', (data) => {
        const bytes = bytesOf(data)
        received.push(Buffer.from(bytes).toString('utf8'))
        rooms.message(id, bytes)
      })
      ws.on('close', () => rooms.disconnect(id))
    })
  })
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    if ('path' in listen) server.listen(listen.path, done)
    else server.listen(listen.port, listen.host, done)
  })
  const address = server.address()
  return {
    url: typeof address === 'object' && address ? `ws://127.0.0.1:${address.port}` : '',
    received,
    async stop() {
      for (const client of wss.clients) client.terminate()
      wss.close()
      await new Promise(done => server.close(done))
    },
  }
}

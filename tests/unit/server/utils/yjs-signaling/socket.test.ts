import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { MAX_YJS_SIGNAL_BYTES, decodeYjsServerSignal, type YjsServerMessage } from '../../../../../shared/protocol/yjs-signal'
import { createYjsRooms } from '../../../../../server/utils/yjs-signaling/rooms'
import { createRecordingLog } from '../signaling/fake-peers'
import { startYjsSignalServer } from './ws-server'

// The hub behind a real WebSocket server on 127.0.0.1, as the route wires it.

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

async function start() {
  const log = createRecordingLog()
  const rooms = createYjsRooms({ log })
  const server = await startYjsSignalServer(rooms, { host: '127.0.0.1', port: 0 })
  stops.push(() => server.stop())
  return { rooms, log, server }
}

/** A client socket, and the server's messages to it in order. */
async function open(url: string, origin?: string) {
  const ws = new WebSocket(url, origin ? { origin } : {})
  const inbox: YjsServerMessage[] = []
  const waiting: Array<(message: YjsServerMessage) => void> = []
  ws.on('message', (data: Buffer) => {
    const decoded = decodeYjsServerSignal(data.toString('utf8'))
    if (!decoded.ok) throw new Error(`the server sent an invalid message: ${data.toString('utf8')}`)
    const next = waiting.shift()
    if (next) next(decoded.message)
    else inbox.push(decoded.message)
  })
  await new Promise((done, fail) => ws.once('open', done).once('error', fail))
  stops.push(async () => ws.close())
  return {
    ws,
    send: (message: string | object) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: () => new Promise<YjsServerMessage>(done => (inbox.length ? done(inbox.shift()!) : waiting.push(done))),
  }
}

/** The status and body with which the server refuses an upgrade. */
function refusal(url: string, origin: string): Promise<{ status: number | undefined, body: string }> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(url, { origin })
    ws.once('open', () => fail(new Error(`the upgrade from ${origin} was accepted`)))
    ws.once('unexpected-response', (_, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => done({ status: response.statusCode, body }))
    })
  })
}

describe('room signaling over a real socket', () => {
  it('refuses an upgrade from another website with 403 bad-origin', async () => {
    const { server } = await start()
    const { status, body } = await refusal(server.url, 'https://evil.example.com')
    expect(status).toBe(403)
    expect(JSON.parse(body)).toMatchObject({ type: 'error', code: 'bad-origin' })
  })

  it.each([undefined, 'http://localhost:3000', 'http://blog.localhost:3000'])('accepts an upgrade with Origin %s', async (origin) => {
    const { server } = await start()
    const client = await open(server.url, origin)
    client.send({ type: 'ping' })
    expect(await client.next()).toEqual({ type: 'pong' })
  })

  it('relays between sockets, answers junk with errors and keeps the socket open', async () => {
    const { rooms, server } = await start()
    const [a, b] = [await open(server.url), await open(server.url)]
    a.send({ type: 'subscribe', topics: ['room'] })
    b.send({ type: 'subscribe', topics: ['room'] })
    b.send('{"type":')
    expect(await b.next()).toMatchObject({ type: 'error', code: 'bad-json' })
    b.ws.send(Buffer.alloc(MAX_YJS_SIGNAL_BYTES + 10, 0x41), { binary: true })
    expect(await b.next()).toMatchObject({ type: 'error', code: 'too-large' })
    b.ws.send(new Uint8Array([0xc3, 0x28]), { binary: true })
    expect(await b.next()).toMatchObject({ type: 'error', code: 'bad-json' })
    b.send({ type: 'publish', topic: 'room', data: 'sealed' })
    const forwarded = { type: 'publish', topic: 'room', data: 'sealed', clients: 2 }
    expect(await a.next()).toEqual(forwarded)
    expect(await b.next()).toEqual(forwarded)
    expect(rooms.stats()).toEqual({ peers: 2, topics: 1, subscriptions: 2 })
  })

  it('forgets a socket\'s subscriptions when it closes', async () => {
    const { rooms, server } = await start()
    const client = await open(server.url)
    client.send({ type: 'subscribe', topics: ['room', 'side'] })
    client.send({ type: 'ping' })
    await client.next()
    expect(rooms.stats()).toEqual({ peers: 1, topics: 2, subscriptions: 2 })
    await new Promise(done => client.ws.once('close', done).close())
    for (let i = 0; i < 100 && rooms.stats().peers > 0; i++) await new Promise(done => setTimeout(done, 10))
    expect(rooms.stats()).toEqual({ peers: 0, topics: 0, subscriptions: 0 })
  })
})

import { RELAY_BURST_BYTES, RELAY_BYTES_PER_SECOND } from '../../server/utils/limits/defaults'
import { test, expect } from './fixtures'

// The signaling server of the built app, over real WebSockets, fed what a
// hostile or broken client would send. No browser needed.

interface Client {
  socket: WebSocket
  next(): Promise<Record<string, unknown>>
  send(value: unknown): void
}

async function connect(url: string, init?: Record<string, unknown>): Promise<Client> {
  // undici's WebSocket takes extra headers as a non-standard option.
  const socket = new WebSocket(url, init as unknown as string[])
  const inbox: Array<Record<string, unknown>> = []
  const waiting: Array<(message: Record<string, unknown>) => void> = []
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as Record<string, unknown>
    const waiter = waiting.shift()
    if (waiter) waiter(message)
    else inbox.push(message)
  })
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true })
    socket.addEventListener('error', () => reject(new Error('cannot connect')), { once: true })
  })
  return {
    socket,
    next: () => {
      const queued = inbox.shift()
      if (queued) return Promise.resolve(queued)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message in 5 s')), 5_000)
        waiting.push((message) => {
          clearTimeout(timer)
          resolve(message)
        })
      })
    },
    send: value => socket.send(typeof value === 'string' ? value : JSON.stringify(value)),
  }
}

test('bad signaling input gets error replies and the server keeps serving others', async ({ server }) => {
  const url = `ws://127.0.0.1:${server.port}/_ps/signal`
  const host = await connect(url)
  host.send({ type: 'host', site: 'sturdy-site' })
  expect(await host.next()).toMatchObject({ type: 'hosting', site: 'sturdy-site' })

  const attacker = await connect(url)
  const cases: Array<[string, unknown]> = [
    ['bad-json', '{"type": "visit", '],
    ['unknown-type', { type: 'launch-missiles' }],
    ['bad-message', { type: 'visit', site: 'NOT A NAME' }],
    ['bad-message', { type: 'signal', session: 42, data: {} }],
    ['name-taken', { type: 'host', site: 'sturdy-site' }],
    ['name-taken', { type: 'host', site: 'sturdy-site', token: 'guessed-token' }],
    ['no-host', { type: 'visit', site: 'nobody-home' }],
  ]
  for (const [code, input] of cases) {
    attacker.send(input)
    expect(await attacker.next(), JSON.stringify(input).slice(0, 60)).toMatchObject({ type: 'error', code })
  }

  // A frame over the protocol's 64 KiB is never even buffered: the WebSocket layer closes the socket (1009, message too big).
  const oversized = await connect(url)
  const closed = new Promise<number>(resolve => oversized.socket.addEventListener('close', event => resolve(event.code), { once: true }))
  oversized.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(70_000) }))
  expect(await closed).toBe(1009)

  // A real visitor still gets introduced; the attacker cannot speak in its session.
  const visitor = await connect(url)
  visitor.send({ type: 'visit', site: 'sturdy-site' })
  const visiting = await visitor.next()
  expect(visiting).toMatchObject({ type: 'visiting', site: 'sturdy-site' })
  const session = String(visiting.session)
  // The host is told the relay's rate for its side of the session, to pace itself below it.
  expect(await host.next()).toEqual({ type: 'visitor', session, relay: { bytesPerSecond: RELAY_BYTES_PER_SECOND, burstBytes: RELAY_BURST_BYTES } })
  attacker.send({ type: 'signal', session, data: { candidate: null } })
  expect(await attacker.next()).toMatchObject({ type: 'error', code: 'not-your-session' })
  visitor.send({ type: 'signal', session, data: { description: { type: 'offer', sdp: 'v=0' } } })
  expect(await host.next()).toEqual({ type: 'signal', session, data: { description: { type: 'offer', sdp: 'v=0' } } })

  // A page of a foreign origin cannot open the socket at all.
  await expect(connect(url, { headers: { origin: 'http://evil.example' } })).rejects.toThrow('cannot connect')
  for (const client of [host, attacker, visitor]) client.socket.close()
})

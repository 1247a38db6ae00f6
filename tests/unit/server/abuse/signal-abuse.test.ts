import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_SIGNAL_BYTES, encodeRelay } from '../../../../shared/protocol/signal'
import { MAX_CONNECTIONS_PER_ADDRESS, MAX_VISITS_PER_SOCKET, RELAY_BURST_BYTES, SIGNAL_MESSAGE_BURST } from '../../../../server/utils/limits/defaults'
import { handshake, openClient, sendHugeFrame, type TestClient } from './clients'
import { peakMemoryGrowth, startAbuseServer, type AbuseServer } from './nitro-server'

// The abuse suite against the server's own /_ps/signal route, plugin, h3 and
// crossws on a real socket (nitro-server.ts). In each case the limit answers
// with its code, the process grows by less than the bound the test states,
// and right after a well-behaved host and visitor complete a handshake.

const MiB = 1024 * 1024
let server: AbuseServer
beforeAll(async () => {
  server = await startAbuseServer()
})
afterAll(() => server.stop())

const errors = (client: TestClient, code: string) => client.inbox.filter(message => message.type === 'error' && message.code === code).length

describe('abuse of /_ps/signal', () => {
  it('answers 10,000 malformed messages with bad-json up to the burst, then one rate-limited a second, within 32 MiB', async () => {
    const attacker = await openClient(server.url('/_ps/signal'))
    const growth = await peakMemoryGrowth(async () => {
      for (let i = 0; i < 10_000; i++) attacker.send(`{"type":"visit","site":${i}`)
      await attacker.next(message => message.code === 'rate-limited')
      await new Promise(done => setTimeout(done, 200))
    })
    // The burst, and what the bucket refilled (200 a second) while the flood arrived.
    expect(errors(attacker, 'bad-json')).toBeGreaterThanOrEqual(SIGNAL_MESSAGE_BURST)
    expect(errors(attacker, 'bad-json')).toBeLessThan(SIGNAL_MESSAGE_BURST + 400)
    // The rest were dropped unanswered: a flood costs no more replies than the limit allows.
    expect(attacker.inbox.length).toBeLessThan(SIGNAL_MESSAGE_BURST + 400 + 2)
    expect(growth).toBeLessThan(32 * MiB)
    await handshake(server.url('/_ps/signal'), 'after-malformed')
  })

  it('closes on a 100 MiB frame with 1009 after reading no more than a little of it, three times, within 32 MiB', async () => {
    const growth = await peakMemoryGrowth(async () => {
      for (let i = 0; i < 3; i++) {
        const { code, written } = await sendHugeFrame(server.port, '/_ps/signal', 100 * MiB)
        expect(code).toBe(1009)
        expect(written).toBeLessThan(100 * MiB)
      }
    })
    expect(growth).toBeLessThan(32 * MiB)
    // A frame at the limit is still taken (and refused by the hub by its content, not its size).
    const client = await openClient(server.url('/_ps/signal'))
    client.send(new Uint8Array(MAX_SIGNAL_BYTES).fill(0x20))
    expect(await client.next()).toMatchObject({ type: 'error', code: 'bad-json' })
    await handshake(server.url('/_ps/signal'), 'after-frames')
  })

  it(`opens ${MAX_VISITS_PER_SOCKET} sessions of 2,000 visits on one socket and refuses the rest with too-many-sessions`, async () => {
    const host = await openClient(server.url('/_ps/signal'))
    host.send({ type: 'host', site: 'visited' })
    await host.next(message => message.type === 'hosting')
    const attacker = await openClient(server.url('/_ps/signal'))
    const growth = await peakMemoryGrowth(async () => {
      for (let i = 0; i < 2000; i++) attacker.send({ type: 'visit', site: 'visited' })
      attacker.send({ type: 'ping' })
      await attacker.next(message => message.type === 'pong' || message.code === 'rate-limited')
    })
    expect(attacker.inbox.filter(message => message.type === 'visiting')).toHaveLength(MAX_VISITS_PER_SOCKET)
    expect(errors(attacker, 'too-many-sessions')).toBe(2000 - MAX_VISITS_PER_SOCKET)
    expect(growth).toBeLessThan(32 * MiB)
    await handshake(server.url('/_ps/signal'), 'after-visits')
  })

  it(`relays ${RELAY_BURST_BYTES / MiB} MiB of a session at once and refuses the rest of a 64 MiB flood with relay-rate, within 64 MiB`, async () => {
    const host = await openClient(server.url('/_ps/signal'))
    host.send({ type: 'host', site: 'relayed' })
    await host.next(message => message.type === 'hosting')
    let relayed = 0
    host.ws.on('message', (data: Buffer, isBinary: boolean) => void (isBinary && (relayed += data.length)))
    const visitor = await openClient(server.url('/_ps/signal'))
    visitor.send({ type: 'visit', site: 'relayed' })
    const { session } = await visitor.next(message => message.type === 'visiting')
    const frame = encodeRelay(String(session), new Uint8Array(64 * 1024 - 17))
    const growth = await peakMemoryGrowth(async () => {
      // Paced by the client's own send buffer: the attacker's queue is this process's memory too.
      for (let i = 0; i < 1024; i++) {
        while (visitor.ws.bufferedAmount > MiB) await new Promise(done => setTimeout(done, 1))
        visitor.send(frame)
      }
      await visitor.next(message => message.code === 'relay-rate')
      visitor.send({ type: 'ping' })
      await visitor.next(message => message.type === 'pong' || message.code === 'rate-limited')
    })
    // The burst, and what the bucket refilled while the flood arrived (2 MiB/s).
    expect(relayed).toBeGreaterThanOrEqual(RELAY_BURST_BYTES)
    expect(relayed).toBeLessThan(RELAY_BURST_BYTES + 8 * MiB)
    expect(growth).toBeLessThan(64 * MiB)
    await handshake(server.url('/_ps/signal'), 'after-relay')
  })

  it(`accepts ${MAX_CONNECTIONS_PER_ADDRESS} sockets from 127.0.0.1 and closes the next with too-many-connections (4429)`, async () => {
    const sockets = await Promise.all(Array.from({ length: MAX_CONNECTIONS_PER_ADDRESS }, () => openClient(server.url('/_ps/signal'))))
    const refused = await openClient(server.url('/_ps/signal'))
    expect(await refused.closed).toBe(4429)
    expect(refused.inbox).toEqual([expect.objectContaining({ type: 'error', code: 'too-many-connections' })])
    for (const socket of sockets) socket.ws.close()
    await Promise.all(sockets.map(socket => socket.closed))
    await new Promise(done => setTimeout(done, 100))
    await handshake(server.url('/_ps/signal'), 'after-connections')
  }, 30_000)
})

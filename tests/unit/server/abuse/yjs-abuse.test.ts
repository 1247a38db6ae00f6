import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostProof, roomProof } from '../../../../shared/protocol/signal'
import { siteRoomName } from '../../../../shared/protocol/yjs-signal'
import { MAX_YJS_SUBSCRIBERS_PER_TOPIC, YJS_MESSAGE_BURST } from '../../../../server/utils/limits/defaults'
import { useYjsRooms } from '../../../../server/utils/yjs-signaling/instance'
import { createTestAuthor } from '../utils/signaling/test-authors'
import { handshake, openClient, sendHugeFrame, type TestClient } from './clients'
import { peakMemoryGrowth, startAbuseServer, type AbuseServer } from './nitro-server'

// The abuse suite against the server's own /_ps/yjs route (nitro-server.ts):
// 1,000 slow readers on one topic, a publish flood, and 100 MiB frames.

const MiB = 1024 * 1024
const site = 'classroom'
const topic = siteRoomName(site, 0)
let server: AbuseServer
let ticketUrl: string

beforeAll(async () => {
  // 1,000 readers and the rest from one address: this file is about the other limits.
  server = await startAbuseServer({ maxConnectionsPerAddress: 1100 })
  const author = await createTestAuthor()
  const host = await openClient(server.url('/_ps/signal'))
  host.send({ type: 'challenge' })
  const { nonce } = await host.next(message => message.type === 'challenge')
  host.send({ type: 'host', site, key: author.key, signature: await author.sign(hostProof(site, String(nonce))) })
  await host.next(message => message.type === 'hosting')
  const query = new URLSearchParams({ site, epoch: '0', key: author.key, sig: await author.sign(roomProof(site, 0)) })
  ticketUrl = server.url(`/_ps/yjs?${query}`)
})
afterAll(() => server.stop())

/** Two well-behaved co-authors' tabs find each other through the topic, and a host and visitor through /_ps/signal. */
async function stillServes(): Promise<void> {
  const [a, b] = [await openClient(ticketUrl), await openClient(ticketUrl)]
  for (const tab of [a, b]) {
    tab.send({ type: 'subscribe', topics: [topic] })
    tab.send({ type: 'ping' })
    expect(await tab.next()).toEqual({ type: 'pong' })
  }
  a.send({ type: 'publish', topic, data: 'announce' })
  expect(await b.next()).toMatchObject({ type: 'publish', topic, data: 'announce' })
  a.ws.close()
  b.ws.close()
  await handshake(server.url('/_ps/signal'), `after-${Math.random().toString(36).slice(2, 8)}`)
}

describe('abuse of /_ps/yjs', () => {
  it(`lets ${MAX_YJS_SUBSCRIBERS_PER_TOPIC} of 1,000 slow readers into one topic, cuts them as their buffers fill under a publish flood, within 128 MiB`, async () => {
    const readers: TestClient[] = []
    for (let i = 0; i < 10; i++) readers.push(...await Promise.all(Array.from({ length: 100 }, () => openClient(ticketUrl))))
    for (const reader of readers) {
      reader.send({ type: 'subscribe', topics: [topic] })
      reader.send({ type: 'ping' })
    }
    await Promise.all(readers.map(reader => reader.next(message => message.type === 'pong')))
    const refused = readers.filter(reader => reader.inbox.some(message => message.code === 'too-many-subscribers'))
    expect(refused).toHaveLength(1000 - MAX_YJS_SUBSCRIBERS_PER_TOPIC)
    expect(useYjsRooms().stats().subscriptions).toBe(MAX_YJS_SUBSCRIBERS_PER_TOPIC)
    for (const reader of readers) reader.ws.pause()
    const publisher = await openClient(ticketUrl)
    const data = 'x'.repeat(60 * 1024)
    const growth = await peakMemoryGrowth(async () => {
      for (let i = 0; i < YJS_MESSAGE_BURST + 100; i++) {
        publisher.send({ type: 'publish', topic, data })
        if (i % 20 === 0) await new Promise(done => setTimeout(done, 1))
      }
      await publisher.next(message => message.code === 'rate-limited')
      for (let i = 0; i < 200 && useYjsRooms().stats().subscriptions > 0; i++) await new Promise(done => setTimeout(done, 10))
    })
    expect(useYjsRooms().stats().subscriptions).toBe(0)
    expect(growth).toBeLessThan(128 * MiB)
    for (const reader of readers) reader.ws.terminate()
    publisher.ws.close()
    await stillServes()
  }, 60_000)

  it('closes on a 100 MiB frame with 1009, three times, within 32 MiB', async () => {
    const path = new URL(ticketUrl).pathname + new URL(ticketUrl).search
    const growth = await peakMemoryGrowth(async () => {
      for (let i = 0; i < 3; i++) expect((await sendHugeFrame(server.port, path, 100 * MiB)).code).toBe(1009)
    })
    expect(growth).toBeLessThan(32 * MiB)
    await stillServes()
  })

  it('answers 10,000 malformed messages up to the burst, then one rate-limited a second', async () => {
    const attacker = await openClient(ticketUrl)
    for (let i = 0; i < 10_000; i++) attacker.send('{"type":"publish"')
    await attacker.next(message => message.code === 'rate-limited')
    await new Promise(done => setTimeout(done, 200))
    const badJson = attacker.inbox.filter(message => message.code === 'bad-json').length
    expect(badJson).toBeGreaterThanOrEqual(YJS_MESSAGE_BURST - 1)
    expect(badJson).toBeLessThan(YJS_MESSAGE_BURST + 100)
    await stillServes()
  })
})

import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { decodeYjsSignal } from '../../../../../shared/protocol/yjs-signal'
import { createYjsRooms, type YjsRooms } from '../../../../../server/utils/yjs-signaling/rooms'
import { createRecordingLog } from '../signaling/fake-peers'
import { startYjsSignalServer, type TestYjsSignalServer } from './ws-server'

// The real y-webrtc provider (unmodified, from node_modules) syncing two
// Y.Docs through our room hub, with real WebRTC (@roamhq/wrtc) between two
// processes. The providers run inside a loopback-only network namespace
// (scripts/in-netns.mjs), so ICE can only use 127.0.0.1; the test skips,
// saying why, where no such namespace or no WebRTC for Node is available.

const inNetns = fileURLToPath(new URL('../../../../../scripts/in-netns.mjs', import.meta.url))
const coordinator = fileURLToPath(new URL('./peers/netns-peers.mjs', import.meta.url))

const EventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), url: z.string() }),
  z.object({ type: z.literal('skip'), reason: z.string() }),
  z.object({ type: z.literal('signaling-connected'), peer: z.string() }),
  z.object({ type: z.literal('server-error'), peer: z.string(), code: z.string() }),
  z.object({ type: z.literal('peers'), peer: z.string(), webrtcPeers: z.number(), bcPeers: z.number() }),
  z.object({ type: z.literal('text'), peer: z.string(), text: z.string() }),
  z.object({ type: z.literal('exit'), peer: z.string(), code: z.number().nullable(), signal: z.string().nullable() }),
])
type PeerEvent = z.infer<typeof EventSchema>

/** The namespace side of the test (peers/netns-peers.mjs): its events, and commands to it. */
class NetnsPeers {
  readonly events: PeerEvent[] = []
  stderr = ''
  private readonly listeners = new Set<() => void>()
  private exited = false

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = EventSchema.safeParse(JSON.parse(line))
      if (!parsed.success) throw new Error(`unexpected line from the peers: ${line}`)
      this.events.push(parsed.data)
      for (const listener of [...this.listeners]) listener()
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000)
    })
    child.on('exit', () => {
      this.exited = true
      for (const listener of [...this.listeners]) listener()
    })
  }

  command(command: Record<string, unknown>): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`)
  }

  /** The first event (of all so far) that `matches`; rejects after `ms`, or when the process exits first. */
  waitFor<T extends PeerEvent>(what: string, matches: (event: PeerEvent) => event is T, ms = 20_000): Promise<T> {
    return new Promise((done, fail) => {
      const check = () => {
        const found = this.events.find(matches)
        if (found) finish(() => done(found))
        else if (this.exited) finish(() => fail(new Error(`the peers exited before ${what}; stderr: ${this.stderr}`)))
      }
      const timer = setTimeout(() => finish(() => fail(new Error(`no ${what} in ${ms} ms; events: ${JSON.stringify(this.events.slice(-10))}; stderr: ${this.stderr}`))), ms)
      const finish = (settle: () => void) => {
        clearTimeout(timer)
        this.listeners.delete(check)
        settle()
      }
      this.listeners.add(check)
      check()
    })
  }

  /** Close stdin (the coordinator then stops its peers) and wait for the exit. */
  async stop(): Promise<void> {
    if (this.exited) return
    const exited = new Promise(done => this.child.once('exit', done))
    this.child.stdin!.end()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
}

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(done => setTimeout(done, 50))
  }
}

async function scene(): Promise<{ rooms: YjsRooms, server: TestYjsSignalServer, peers: NetnsPeers, url: string } | { skip: string }> {
  const log = createRecordingLog()
  const rooms = createYjsRooms({ log })
  const dir = mkdtempSync(join(tmpdir(), 'yjs-signal-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const socketPath = join(dir, 'signal.sock')
  const server = await startYjsSignalServer(rooms, { path: socketPath })
  cleanups.push(() => server.stop())
  const room = `peerserver-test-${randomUUID()}`
  const child = spawn(process.execPath, [inNetns, process.execPath, coordinator, socketPath, room, randomUUID()], { stdio: ['pipe', 'pipe', 'pipe'] })
  const peers = new NetnsPeers(child)
  cleanups.push(() => peers.stop())
  const first = await peers.waitFor('a start', (event): event is Extract<PeerEvent, { type: 'started' | 'skip' }> => event.type === 'started' || event.type === 'skip')
  if (first.type === 'skip') return { skip: first.reason }
  return { rooms, server, peers, url: first.url }
}

const textOf = (peer: string, text: string) => (event: PeerEvent): event is Extract<PeerEvent, { type: 'text' }> =>
  event.type === 'text' && event.peer === peer && event.text === text
const connectedOver = (peer: string) => (event: PeerEvent): event is Extract<PeerEvent, { type: 'peers' }> =>
  event.type === 'peers' && event.peer === peer && event.webrtcPeers === 1

describe('the real y-webrtc provider through the room hub', () => {
  it('syncs two docs in two processes over WebRTC, both ways, after refused messages', { timeout: 60_000 }, async (ctx) => {
    const set = await scene()
    if ('skip' in set) {
      console.warn(`[y-webrtc test] skipped: ${set.skip}`)
      ctx.skip(set.skip)
      return
    }
    const { rooms, server, peers } = set
    peers.command({ type: 'spawn', peer: 'a' })
    await peers.waitFor('a on signaling', (event): event is PeerEvent => event.type === 'signaling-connected' && event.peer === 'a')
    // Messages the hub refuses, on y-webrtc's own connection: it gets errors, ignores them and carries on.
    peers.command({ type: 'poke', peer: 'a' })
    await until('three errors for a', () => peers.events.filter(event => event.type === 'server-error').length === 3)
    expect(peers.events.flatMap(event => (event.type === 'server-error' ? [event.code] : []))).toEqual(['unknown-type', 'bad-message', 'bad-message'])

    peers.command({ type: 'spawn', peer: 'b' })
    const [linkA, linkB] = await Promise.all([peers.waitFor('a linked to b', connectedOver('a')), peers.waitFor('b linked to a', connectedOver('b'))])
    // Each provider is alone in its process: no BroadcastChannel peer, the one peer is over WebRTC.
    expect([linkA.bcPeers, linkB.bcPeers]).toEqual([0, 0])
    expect(rooms.stats()).toEqual({ peers: 2, topics: 1, subscriptions: 2 })

    peers.command({ type: 'insert', peer: 'a', text: 'hello from a' })
    await peers.waitFor('the text of a in b', textOf('b', 'hello from a'))
    peers.command({ type: 'insert', peer: 'b', text: ', and from b' })
    await peers.waitFor('the text of b in a', textOf('a', 'hello from a, and from b'))

    // With a room password every publish payload is sealed: the server never saw SDP, ICE or text.
    const publishes = server.received.map(decodeYjsSignal).flatMap(result => (result.ok && result.message.type === 'publish' ? [result.message] : []))
    expect(publishes.length).toBeGreaterThan(2)
    expect(publishes.every(message => typeof message.data === 'string')).toBe(true)
    // Quotes and spaces never occur in the base64 of a sealed payload, so random ciphertext cannot match by chance.
    expect(server.received.join('\n')).not.toMatch(/"sdp"|"candidate"|hello from| and from/)

    await peers.stop()
    await until('the hub to forget both peers', () => rooms.stats().peers === 0)
    expect(rooms.stats()).toEqual({ peers: 0, topics: 0, subscriptions: 0 })
  })
})

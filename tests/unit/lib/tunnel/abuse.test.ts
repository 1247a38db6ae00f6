import { describe, expect, it, vi } from 'vitest'
import { encodeFrames, FrameType, ResetCode, type Frame, type RequestHead } from '../../../../shared/protocol/frames'
import { tunnelHandler } from '../../../../lib/host/serve-tunnel'
import { TunnelClient, type TunnelResponse } from '../../../../lib/tunnel/client'
import { httpStatusOf, TunnelError } from '../../../../lib/tunnel/errors'
import {
  BodyBudget, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONCURRENT_STREAMS, DEFAULT_MAX_CONNECTION_BODY_BYTES, DEFAULT_MAX_HOST_BODY_BYTES,
  DEFAULT_MAX_QUEUED_CONTROL_BYTES, DEFAULT_MAX_QUEUED_CONTROL_FRAMES,
} from '../../../../lib/tunnel/limits'
import { MAX_HIGH_WATER } from '../../../../lib/tunnel/sender'
import type { Transport } from '../../../../lib/tunnel/transport'
import { TunnelServer, type TunnelServerOptions } from '../../../../lib/tunnel/server'
import type { VRequest, VResponse } from '../../../../lib/vserver/types'
import { createMemoryTransportPair } from '../../../helpers/memory-transport'
import { readAll } from '../../../helpers/tunnel-pair'

// Hostile visitors against the real tunnel server, behind the host tab's own
// handler (which collects each body whole before the site runs), over
// in-memory transports. Each case states what the host may hold, and a
// well-behaved visitor is served right after.

const MiB = 1024 * 1024
/** The one buffer every upload sends, again and again: 40 × 64 MiB are never in the test's memory. */
const CHUNK = new Uint8Array(64 * 1024)
const GET: RequestHead = { method: 'GET', url: '/', headers: [] }
const post = (url: string): RequestHead => ({ method: 'POST', url, headers: [] })
const decoder = new TextDecoder()

/** A host tab: one shared body budget, a tunnel server per visitor, and a site that says how many body bytes it got. */
function hostTab(options: TunnelServerOptions & { hold?: Promise<void> } = {}) {
  const hostBudget = new BodyBudget(DEFAULT_MAX_HOST_BODY_BYTES)
  const servers: TunnelServer[] = []
  const site = { running: 0, peakRunning: 0, ran: [] as string[] }
  const handle = async (request: VRequest): Promise<VResponse> => {
    site.ran.push(request.url)
    site.running++
    site.peakRunning = Math.max(site.peakRunning, site.running)
    try {
      if (request.url.startsWith('/flood/')) await options.hold
      return { status: 200, headers: [['content-type', 'text/plain']], body: new TextEncoder().encode(String(request.body?.byteLength ?? 0)) }
    }
    finally {
      site.running--
    }
  }
  const visit = () => {
    const [visitorEnd, hostEnd] = createMemoryTransportPair()
    servers.push(new TunnelServer(hostEnd, tunnelHandler(handle, `visitor-${servers.length}`, () => {}), { hostBudget, ...options }))
    return new TunnelClient(visitorEnd)
  }
  return { visit, servers, hostBudget, site }
}

interface Outcome { status: number, code?: number, text?: string }

/** What the visitor would see: the response's status and text, or the HTTP status of the reset. */
async function outcome(pending: Promise<TunnelResponse>): Promise<Outcome> {
  try {
    const response = await pending
    return { status: response.head.status, text: decoder.decode(await readAll(response.body)) }
  }
  catch (error) {
    return { status: httpStatusOf(error), code: error instanceof TunnelError ? error.resetCode : undefined }
  }
}

/** A well-behaved page load. */
async function pageLoads(client: TunnelClient): Promise<number> {
  return (await outcome(client.request(GET))).status
}

/** An upload of `bytes` that reuses CHUNK for every 64 KiB, adding what it hands the tunnel to `produced.bytes`. */
function upload(bytes: number, produced: { bytes: number }): ReadableStream<Uint8Array> {
  let sent = 0
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close()
      sent += CHUNK.byteLength
      produced.bytes += CHUNK.byteLength
      controller.enqueue(CHUNK)
    },
  }, { highWaterMark: 0 })
}

/** A request body that sends `chunks` chunks and then nothing, never ending. */
function stalled(chunks: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < chunks; i++) controller.enqueue(CHUNK)
    },
  })
}

/**
 * Samples the growth of the process's ArrayBuffer memory (the bodies) every
 * 5 ms; past `bound` it calls `stop` once, so a host without limits fails
 * the test instead of filling the machine.
 */
function watchMemory(bound: number, stop: () => void) {
  const base = process.memoryUsage().arrayBuffers
  let peak = 0
  let stopped = false
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - base)
    if (peak > bound && !stopped) {
      stopped = true
      stop()
    }
  }, 5)
  return { done: () => (clearInterval(timer), peak) }
}

function count(outcomes: Outcome[], status: number, code?: number): number {
  return outcomes.filter(o => o.status === status && (code === undefined || o.code === code)).length
}

describe('abuse: a visitor opening 1,000 streams', () => {
  it('the host serves 100 at once and refuses the other 900 (REFUSED_STREAM, 429); others are served meanwhile and after', async () => {
    let release!: () => void
    const tab = hostTab({ hold: new Promise<void>((resolve) => {
      release = resolve
    }) })
    const attacker = tab.visit()
    const settled: Outcome[] = []
    const flood = Array.from({ length: 1000 }, (_, i) => outcome(attacker.request({ ...GET, url: `/flood/${i}` })).then((o) => {
      settled.push(o)
      return o
    }))
    await vi.waitFor(() => expect(settled).toHaveLength(1000 - DEFAULT_MAX_CONCURRENT_STREAMS))
    expect(count(settled, 429, ResetCode.REFUSED_STREAM)).toBe(1000 - DEFAULT_MAX_CONCURRENT_STREAMS)
    expect(tab.servers[0]!.openStreams).toBe(DEFAULT_MAX_CONCURRENT_STREAMS)
    expect(await pageLoads(tab.visit())).toBe(200) // while the flood holds its 100
    release()
    const outcomes = await Promise.all(flood)
    expect(count(outcomes, 200)).toBe(DEFAULT_MAX_CONCURRENT_STREAMS)
    expect(tab.site.peakRunning).toBeLessThanOrEqual(DEFAULT_MAX_CONCURRENT_STREAMS + 1)
    expect(await pageLoads(attacker)).toBe(200)
    expect(await pageLoads(tab.visit())).toBe(200)
  })
})

describe('abuse: HEADs that never end', () => {
  it('each is reset at the deadline (TIMEOUT, 408), gives back what it sent, and never reaches the site', async () => {
    const deadline = 200
    const tab = hostTab({ requestDeadlineMs: deadline })
    const attacker = tab.visit()
    const started = performance.now()
    // Half send a HEAD and nothing else, half 64 KiB of body first.
    const slow = Array.from({ length: DEFAULT_MAX_CONCURRENT_STREAMS }, (_, i) => outcome(attacker.request(post(`/slow/${i}`), stalled(i % 2))))
    expect(await pageLoads(tab.visit())).toBe(200) // another visitor, meanwhile
    const never = new Promise<'still waiting'>(resolve => setTimeout(() => resolve('still waiting'), 10 * deadline))
    const outcomes = await Promise.race([Promise.all(slow), never])
    expect(outcomes).not.toBe('still waiting')
    expect(performance.now() - started).toBeGreaterThanOrEqual(deadline)
    expect(outcomes).toEqual(slow.map(() => ({ status: 408, code: ResetCode.TIMEOUT })))
    expect(tab.site.ran.filter(url => url.startsWith('/slow/'))).toEqual([])
    expect(tab.hostBudget.peak).toBeLessThanOrEqual(DEFAULT_MAX_CONCURRENT_STREAMS / 2 * CHUNK.byteLength)
    expect(tab.hostBudget.bytes).toBe(0)
    await vi.waitFor(() => expect(tab.servers[0]!.openStreams).toBe(0))
    expect(await pageLoads(attacker)).toBe(200)
    expect(await pageLoads(tab.visit())).toBe(200)
  })
})

describe('abuse: 40 uploads of 64 MiB at once', () => {
  // What the bodies may take of ArrayBuffer memory, generously: each held chunk
  // may keep its whole two-frame message alive (2×), the one body the site gets
  // is copied whole once more, and garbage waits for the collector.
  const bound = (budget: number) => 2 * budget + DEFAULT_MAX_BODY_BYTES + 256 * MiB

  /** Send `perVisitor` uploads from each of `visitors` visitors; what each got, and the memory it took. */
  async function flood(tab: ReturnType<typeof hostTab>, visitors: number, perVisitor: number, budget: number) {
    const clients = Array.from({ length: visitors }, () => tab.visit())
    const memory = watchMemory(bound(budget), () => clients.forEach(client => client.close()))
    let settled = 0
    const produced = { bytes: 0 }
    const uploads = clients.flatMap((client, v) => Array.from({ length: perVisitor }, (_, i) =>
      outcome(client.request(post(`/upload/${v}/${i}`), upload(DEFAULT_MAX_BODY_BYTES, produced))).finally(() => settled++)))
    // The host stays responsive: a page loads on a fresh connection while the uploads go on.
    await vi.waitFor(() => expect(produced.bytes).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES), { timeout: 10_000 })
    expect(await pageLoads(tab.visit())).toBe(200)
    expect(settled).toBeLessThan(uploads.length)
    const outcomes = await Promise.all(uploads)
    return { clients, outcomes, grown: memory.done() }
  }

  it('from one visitor: the host holds at most 128 MiB for it and refuses the rest (OVERLOADED, 429)', async () => {
    const tab = hostTab()
    const { clients, outcomes, grown } = await flood(tab, 1, 40, DEFAULT_MAX_CONNECTION_BODY_BYTES)
    expect(grown).toBeLessThan(bound(DEFAULT_MAX_CONNECTION_BODY_BYTES))
    const served = count(outcomes, 200)
    expect(outcomes.filter(o => o.status === 200).map(o => o.text)).toEqual(Array.from({ length: served }, () => String(DEFAULT_MAX_BODY_BYTES)))
    expect(served).toBeGreaterThanOrEqual(1)
    expect(served).toBeLessThanOrEqual(DEFAULT_MAX_CONNECTION_BODY_BYTES / DEFAULT_MAX_BODY_BYTES)
    expect(count(outcomes, 429, ResetCode.OVERLOADED)).toBe(40 - served)
    expect(tab.servers[0]!.bodyBudget.peak).toBeLessThanOrEqual(DEFAULT_MAX_CONNECTION_BODY_BYTES)
    expect(tab.hostBudget.bytes).toBe(0)
    expect((await outcome(clients[0]!.request(post('/form'), new Uint8Array(1000)))).text).toBe('1000')
    expect(await pageLoads(tab.visit())).toBe(200)
  }, 60_000)

  it('from 40 visitors: the host holds at most 256 MiB for all of them and refuses the rest (OVERLOADED, 429)', async () => {
    const tab = hostTab()
    const { outcomes, grown } = await flood(tab, 40, 1, DEFAULT_MAX_HOST_BODY_BYTES)
    expect(grown).toBeLessThan(bound(DEFAULT_MAX_HOST_BODY_BYTES))
    const served = count(outcomes, 200)
    expect(served).toBeGreaterThanOrEqual(1)
    expect(served).toBeLessThanOrEqual(DEFAULT_MAX_HOST_BODY_BYTES / DEFAULT_MAX_BODY_BYTES)
    expect(count(outcomes, 429, ResetCode.OVERLOADED)).toBe(40 - served)
    expect(tab.hostBudget.peak).toBeLessThanOrEqual(DEFAULT_MAX_HOST_BODY_BYTES)
    expect(tab.hostBudget.bytes).toBe(0)
    expect(await pageLoads(tab.visit())).toBe(200)
  }, 60_000)
})

describe('abuse: 100,000 HEADs from a visitor that never reads', () => {
  /** The host's end of a data channel whose peer reads nothing: its queue is full and stays full. */
  function unread() {
    const listeners: Array<(data: Uint8Array) => void> = []
    let closed = false
    const transport: Transport = {
      bufferedAmount: MAX_HIGH_WATER,
      send() {},
      onMessage(listener) {
        listeners.push(listener)
        return () => listeners.splice(listeners.indexOf(listener), 1)
      },
      onDrain: () => () => {},
      onClose: () => () => {},
      close() {
        closed = true
      },
    }
    return { transport, push: (frames: Frame[]) => listeners.forEach(listener => listener(encodeFrames(frames))), closed: () => closed }
  }

  it('the host queues at most 4096 of its RESETs for it, then closes its tunnel; others are served', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const tab = hostTab()
    const attacker = unread()
    const server = new TunnelServer(attacker.transport, tunnelHandler(async () => new Promise<VResponse>(() => {}), 'attacker', () => {}), { hostBudget: tab.hostBudget })
    let peak = 0
    // 100 in progress, then one REFUSED_STREAM reset for each HEAD after them, none of which can leave.
    for (let id = 1; id < 200_000 && !server.error; id += 200) {
      attacker.push(Array.from({ length: 100 }, (_, i): Frame => ({ type: FrameType.HEAD, stream: id + 2 * i, head: { ...GET, url: `/flood/${id + 2 * i}` } })))
      peak = Math.max(peak, server.queuedControl.frames)
    }
    expect(server.error?.message).toMatch(/the peer does not read: 4097 frames \(limit 4096\) waiting to be sent/)
    expect(attacker.closed()).toBe(true)
    // What the host held for it: 4096 RESETs of 50 bytes, far under the byte bound.
    expect(peak).toBeLessThanOrEqual(DEFAULT_MAX_QUEUED_CONTROL_FRAMES)
    expect(server.queuedControl).toEqual({ frames: 0, bytes: 0 })
    expect(DEFAULT_MAX_QUEUED_CONTROL_FRAMES * 64).toBeLessThan(DEFAULT_MAX_QUEUED_CONTROL_BYTES)
    expect(await pageLoads(tab.visit())).toBe(200)
    vi.restoreAllMocks()
  })
})

import { createHash } from 'node:crypto'
import { TunnelClient } from '../../lib/tunnel/client'
import type { TunnelOptions } from '../../lib/tunnel/connection'
import { TunnelServer, type TunnelHandler, type TunnelReply, type TunnelRequest, type TunnelServerOptions } from '../../lib/tunnel/server'
import { createMemoryTransportPair, type MemoryTransportOptions } from './memory-transport'

/** Read a byte stream to the end. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** SHA-256 of `data`, hex. */
export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), for seeded tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

/** Deterministic bytes of `size` from `random`. */
export function seededBytes(size: number, random: () => number): Uint8Array {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i += 4) {
    const word = Math.floor(random() * 2 ** 32)
    for (let j = 0; j < 4 && i + j < size; j++) out[i + j] = (word >>> (8 * j)) & 0xFF
  }
  return out
}

/** A host that echoes the request: status 200, method and url in headers, the body back. */
export async function echo(request: TunnelRequest): Promise<TunnelReply> {
  const body = await readAll(request.body)
  return { head: { status: 200, headers: [['x-method', request.head.method], ['x-url', request.head.url]] }, body }
}

/** A TunnelClient and a TunnelServer over an in-memory transport pair. */
export function createTunnelPair(handler: TunnelHandler = echo, options: {
  transport?: MemoryTransportOptions
  client?: TunnelOptions
  server?: TunnelServerOptions
} = {}) {
  const [visitorEnd, hostEnd] = createMemoryTransportPair(options.transport)
  return {
    client: new TunnelClient(visitorEnd, options.client),
    server: new TunnelServer(hostEnd, handler, options.server),
    visitorEnd,
    hostEnd,
  }
}

/** Resolve after `ms` milliseconds. */
export function wait(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

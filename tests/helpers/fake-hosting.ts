import type { HostOptions, HostSession } from '../../lib/host/host-session'
import type { AuthorEntry, RoomState } from '../../shared/protocol/signal'
import { tunnelHandler } from '../../lib/host/serve-tunnel'
import { TunnelClient } from '../../lib/tunnel/client'
import { TunnelServer } from '../../lib/tunnel/server'
import { createMemoryTransportPair } from './memory-transport'
import { readAll } from './tunnel-pair'

/** A visitor connected to a fake host, speaking the real tunnel over an in-memory transport. */
export interface FakeVisitor {
  session: string
  client: TunnelClient
  /** One request; the answer's status, headers and body as text. */
  fetch(url: string, init?: { method?: string, body?: string, headers?: Array<[string, string]> }): Promise<{ status: number, headers: Array<[string, string]>, text: string }>
  /** The response of a request whose body streams on (the lesson channel). */
  open(url: string): Promise<{ status: number, body: ReadableStream<Uint8Array> }>
}

/**
 * Stands in for `startHosting` (signaling and WebRTC): registration answers
 * with a token and a join code, or refuses; visitors are tunnels over
 * in-memory transports to the handler the runtime gave, so requests take the
 * same path (tunnel server, request log, lesson hub, worker server) as in a
 * browser.
 */
export function fakeHosting(answer: { token?: string, role?: 'owner' | 'author', code?: string | null, refuse?: Error, authors?: AuthorEntry[], epoch?: number } = {}) {
  const registrations: HostOptions[] = []
  const visitors = new Map<string, TunnelClient>()
  const disconnected: string[] = []
  let current: HostOptions | null = null
  let stopped = false
  const changed = () => current?.onVisitors?.([...visitors.keys()].map(session => ({ session, route: 'direct' as const })))
  const leave = (session: string) => {
    const client = visitors.get(session)
    if (!client) return
    visitors.delete(session)
    client.close()
    changed()
  }
  const invites: string[] = []
  const authors = [...answer.authors ?? []]
  let room: RoomState = { epoch: answer.epoch ?? 0 }
  /** The server moved the room on (an author was removed): every hosting tab is told. */
  const moveRoom = (): RoomState => {
    room = { epoch: room.epoch + 1, secret: `secret-${room.epoch + 1}`.padEnd(43, 's') }
    current?.onRoom?.(room)
    return room
  }
  const session: HostSession = {
    token: answer.role ? null : answer.token ?? 'issued-token-0123456789',
    role: answer.role ?? null,
    code: answer.code === undefined ? 'BCDFGH' : answer.code,
    room: answer.role ? room : null,
    visitors: () => [...visitors.keys()],
    peer: () => undefined,
    disconnect: (id) => {
      disconnected.push(id)
      leave(id)
    },
    mintInvite: async () => {
      const code = `invite-${invites.length}`.padEnd(43, 'x')
      invites.push(code)
      return { code, expiresAt: Date.now() + 86_400_000 }
    },
    revokeInvite: async (code) => {
      invites.splice(invites.indexOf(code), 1)
    },
    authors: async () => authors.map(author => ({ ...author })),
    removeAuthor: async (id) => {
      const index = authors.findIndex(author => author.id === id && !author.self)
      if (index < 0) throw new Error(`no other author has the id ${id}`)
      authors.splice(index, 1)
      return moveRoom()
    },
    stop: () => {
      stopped = true
      for (const id of [...visitors.keys()]) leave(id)
    },
  }
  async function host(options: HostOptions): Promise<HostSession> {
    registrations.push(options)
    await Promise.resolve()
    if (answer.refuse) throw answer.refuse
    current = options
    return session
  }
  function visit(id: string): FakeVisitor {
    const options = current
    if (!options) throw new Error('not hosting yet')
    const [visitorEnd, hostEnd] = createMemoryTransportPair()
    new TunnelServer(hostEnd, tunnelHandler(options.handle, id, entry => options.onLog?.(entry)))
    const client = new TunnelClient(visitorEnd)
    visitors.set(id, client)
    changed()
    const request = (url: string, method = 'GET', body: string | null = null, headers: Array<[string, string]> = []) => client.request({ method, url, headers }, body === null ? null : new TextEncoder().encode(body))
    return {
      session: id,
      client,
      async fetch(url, init = {}) {
        const response = await request(url, init.method, init.body ?? null, init.headers)
        const text = new TextDecoder().decode(await readAll(response.body))
        return { status: response.head.status, headers: response.head.headers, text }
      },
      async open(url) {
        const response = await request(url)
        return { status: response.head.status, body: response.body }
      },
    }
  }
  return {
    host,
    registrations,
    disconnected,
    invites,
    visit,
    leave,
    /** The signaling socket closed under the host. */
    drop: (reason = 'gone') => current?.onClose?.(reason),
    /** Another owner removed an author: the room moves on. */
    moveRoom,
    /** The owner removed this browser: the server says so, then closes. */
    removeThisBrowser: () => {
      current?.onRemoved?.('the owner removed this browser from the authors of class-site')
      current?.onClose?.('removed')
    },
    get stopped() {
      return stopped
    },
  }
}

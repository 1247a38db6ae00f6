import { decodeServerSignal, encodeSignal, enrolProof, hostProof, type ClientMessage, type ServerMessage } from '../../../../../shared/protocol/signal'
import type { Backplane } from '../../../../../server/utils/backplane/types'
import type { SignalingLog } from '../../../../../server/utils/signaling/context'
import { RELAY_BURST_BYTES, RELAY_BYTES_PER_SECOND, type ServerLimits } from '../../../../../server/utils/limits/defaults'
import { createSignalingHub, type SignalingHub } from '../../../../../server/utils/signaling/hub'
import { createMemorySiteRegistry, type SiteRegistry } from '../../../../../server/utils/signaling/registry'
import type { TurnConfig } from '../../../../../server/utils/signaling/turn'
import type { TestAuthor } from './test-authors'

/** The relay rate `visiting` and `visitor` carry with the default limits. */
export const DEFAULT_RELAY_RATE = { bytesPerSecond: RELAY_BYTES_PER_SECOND, burstBytes: RELAY_BURST_BYTES }

/** A connection as a test sees it: what it was sent, and a way to speak. */
export interface FakePeer {
  id: string
  /** Every text message received, checked against ServerMessageSchema. */
  received: ServerMessage[]
  binary: Uint8Array[]
  closed: boolean
  /** The close code the hub gave, or 'terminated' when it cut the connection. */
  closeCode?: number | 'terminated'
  /** What the fake socket reports as waiting to be sent (tests set it to play a slow reader). */
  buffered: number
  /** Messages received since the last `take()`. */
  take(): ServerMessage[]
  say(message: ClientMessage | string | Uint8Array): Promise<void>
}

/** Log lines by level, so tests can check that nothing was logged as an error. */
export interface RecordingLog extends SignalingLog {
  lines: Array<{ level: 'info' | 'warn' | 'error', message: string }>
}

/** A logger that keeps its lines. */
export function createRecordingLog(): RecordingLog {
  const lines: RecordingLog['lines'] = []
  return {
    lines,
    info: message => lines.push({ level: 'info', message }),
    warn: message => lines.push({ level: 'warn', message }),
    error: message => lines.push({ level: 'error', message }),
  }
}

/** A hub over an in-memory registry, and a factory of connected fake peers. */
export function createTestHub(options: { registry?: SiteRegistry, now?: () => number, onAuthorRemoved?: (site: string, key: string, epoch: number) => void, limits?: Partial<ServerLimits>, turn?: TurnConfig, backplane?: Backplane, idPrefix?: string } = {}) {
  const log = createRecordingLog()
  const hub: SignalingHub = createSignalingHub({
    registry: options.registry ?? createMemorySiteRegistry(),
    iceServers: [{ urls: 'stun:stun.example.org' }],
    log,
    now: options.now,
    onAuthorRemoved: options.onAuthorRemoved,
    limits: options.limits,
    turn: options.turn,
    backplane: options.backplane,
  })
  let count = 0
  function connect(id = `${options.idPrefix ?? 'peer'}-${++count}`, address = '127.0.0.1'): FakePeer {
    let seen = 0
    const peer: FakePeer = {
      id,
      received: [],
      binary: [],
      closed: false,
      buffered: 0,
      take() {
        const fresh = peer.received.slice(seen)
        seen = peer.received.length
        return fresh
      },
      say(message) {
        const data = typeof message === 'string' || message instanceof Uint8Array ? message : encodeSignal(message)
        return hub.message(id, data)
      },
    }
    hub.connect({
      id,
      send(text) {
        const decoded = decodeServerSignal(text)
        if (!decoded.ok) throw new Error(`the hub sent an invalid message: ${decoded.error.message}: ${text}`)
        peer.received.push(decoded.message)
      },
      sendBinary: bytes => peer.binary.push(bytes),
      close: (code) => {
        peer.closed = true
        peer.closeCode = code
      },
      address,
      bufferedAmount: () => peer.buffered,
      terminate: () => {
        peer.closed = true
        peer.closeCode = 'terminated'
      },
    })
    return peer
  }

  /** Connect a peer and register it as a host of `site`; returns it with its owner token. */
  async function host(site: string, token?: string): Promise<FakePeer & { token: string }> {
    const peer = connect()
    await peer.say(token === undefined ? { type: 'host', site } : { type: 'host', site, token })
    const reply = peer.take()[0]
    if (reply?.type !== 'hosting' || reply.token === undefined) throw new Error(`expected hosting with a token, got ${JSON.stringify(reply)}`)
    return Object.assign(peer, { token: reply.token })
  }

  /** Ask for a challenge on `peer`; returns the nonce. */
  async function challenge(peer: FakePeer): Promise<string> {
    await peer.say({ type: 'challenge' })
    const reply = peer.take()[0]
    if (reply?.type !== 'challenge') throw new Error(`expected challenge, got ${JSON.stringify(reply)}`)
    return reply.nonce
  }

  /** Register `peer` (a new one by default) as a host of `site` with `author`'s key, as the studio does; returns it with the hub's answer. */
  async function hostWithKey(site: string, author: TestAuthor, options: { token?: string, peer?: FakePeer, name?: string } = {}): Promise<FakePeer & { reply: ServerMessage | undefined }> {
    const peer = options.peer ?? connect()
    const signature = await author.sign(hostProof(site, await challenge(peer)))
    await peer.say({ type: 'host', site, key: author.key, signature, ...(options.token === undefined ? {} : { token: options.token }), ...(options.name === undefined ? {} : { name: options.name }) })
    return Object.assign(peer, { reply: peer.take()[0] })
  }

  /** Enrol `author`'s key in `site` with `invite` from a new connection; returns the hub's answer. */
  async function enrolWithKey(site: string, author: TestAuthor, invite: string): Promise<ServerMessage | undefined> {
    const peer = connect()
    const signature = await author.sign(enrolProof(site, invite, await challenge(peer)))
    await peer.say({ type: 'enrol', site, key: author.key, invite, signature })
    return peer.take()[0]
  }

  /** Connect a visitor of `site`; returns it with its session id and the host's. */
  async function visit(site: string): Promise<FakePeer & { session: string }> {
    const peer = connect()
    await peer.say({ type: 'visit', site })
    const reply = peer.take()[0]
    if (reply?.type !== 'visiting') throw new Error(`expected visiting, got ${JSON.stringify(reply)}`)
    return Object.assign(peer, { session: reply.session })
  }

  return { hub, log, connect, host, visit, challenge, hostWithKey, enrolWithKey }
}

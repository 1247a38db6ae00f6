import { decodeServerSignal, encodeSignal, type ClientMessage, type ServerMessage } from '../../../../../shared/protocol/signal'
import type { SignalingLog } from '../../../../../server/utils/signaling/context'
import { createSignalingHub, type SignalingHub } from '../../../../../server/utils/signaling/hub'
import { createMemorySiteRegistry, type SiteRegistry } from '../../../../../server/utils/signaling/registry'

/** A connection as a test sees it: what it was sent, and a way to speak. */
export interface FakePeer {
  id: string
  /** Every text message received, checked against ServerMessageSchema. */
  received: ServerMessage[]
  binary: Uint8Array[]
  closed: boolean
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
export function createTestHub(options: { registry?: SiteRegistry } = {}) {
  const log = createRecordingLog()
  const hub: SignalingHub = createSignalingHub({
    registry: options.registry ?? createMemorySiteRegistry(),
    iceServers: [{ urls: 'stun:stun.example.org' }],
    log,
  })
  let count = 0
  function connect(id = `peer-${++count}`): FakePeer {
    let seen = 0
    const peer: FakePeer = {
      id,
      received: [],
      binary: [],
      closed: false,
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
      close: () => {
        peer.closed = true
      },
    })
    return peer
  }

  /** Connect a peer and register it as a host of `site`; returns it with its owner token. */
  async function host(site: string, token?: string): Promise<FakePeer & { token: string }> {
    const peer = connect()
    await peer.say(token === undefined ? { type: 'host', site } : { type: 'host', site, token })
    const reply = peer.take()[0]
    if (reply?.type !== 'hosting') throw new Error(`expected hosting, got ${JSON.stringify(reply)}`)
    return Object.assign(peer, { token: reply.token })
  }

  /** Connect a visitor of `site`; returns it with its session id and the host's. */
  async function visit(site: string): Promise<FakePeer & { session: string }> {
    const peer = connect()
    await peer.say({ type: 'visit', site })
    const reply = peer.take()[0]
    if (reply?.type !== 'visiting') throw new Error(`expected visiting, got ${JSON.stringify(reply)}`)
    return Object.assign(peer, { session: reply.session })
  }

  return { hub, log, connect, host, visit }
}

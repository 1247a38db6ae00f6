import { decodeYjsServerSignal, encodeYjsSignal, type YjsServerMessage, type YjsSignalMessage } from '../../../../../shared/protocol/yjs-signal'
import { createYjsRooms, type YjsRooms, type YjsRoomsOptions } from '../../../../../server/utils/yjs-signaling/rooms'
import type { RoomAccess } from '../../../../../server/utils/yjs-signaling/state'
import { createRecordingLog } from '../signaling/fake-peers'

/** A connection as a test sees it: what it was sent, and a way to speak. */
export interface FakeYjsPeer {
  id: string
  /** Every message received, checked against YjsServerMessageSchema. */
  received: YjsServerMessage[]
  /** Messages received since the last `take()`. */
  take(): YjsServerMessage[]
  say(message: YjsSignalMessage | string | Uint8Array): void
  /** The hub closed the connection (with this code; 0 when it cut it), or null. */
  closed: number | null
  /** What the fake socket reports as waiting to be sent (tests set it to play a slow reader). */
  buffered: number
}

/** A room hub with a recording log (and the given limits and clock), and a factory of connected fake peers. */
export function createTestRooms(options: Omit<YjsRoomsOptions, 'log'> = {}) {
  const log = createRecordingLog()
  const rooms: YjsRooms = createYjsRooms({ log, ...options })
  let count = 0
  function connect(id = `peer-${++count}`, access?: RoomAccess, address = '127.0.0.1'): FakeYjsPeer {
    let seen = 0
    const peer: FakeYjsPeer = {
      id,
      received: [],
      closed: null,
      buffered: 0,
      take() {
        const fresh = peer.received.slice(seen)
        seen = peer.received.length
        return fresh
      },
      say(message) {
        rooms.message(id, typeof message === 'string' || message instanceof Uint8Array ? message : encodeYjsSignal(message))
      },
    }
    rooms.connect({
      id,
      send(text) {
        const decoded = decodeYjsServerSignal(text)
        if (!decoded.ok) throw new Error(`the hub sent an invalid message: ${decoded.error.message}: ${text}`)
        peer.received.push(decoded.message)
      },
      close: (code) => {
        peer.closed = code ?? 1000
      },
      address,
      bufferedAmount: () => peer.buffered,
      terminate: () => {
        peer.closed = 0
      },
    }, access)
    return peer
  }

  /** Connect a peer subscribed to `topics`. */
  function subscriber(...topics: string[]): FakeYjsPeer {
    const peer = connect()
    peer.say({ type: 'subscribe', topics })
    return peer
  }

  return { rooms, log, connect, subscriber }
}

import { yjsSignalError } from '../../../shared/protocol/yjs-signal'
import { clientAddress } from '../../utils/limits/instance'
import { isAllowedSignalingOrigin } from '../../utils/signaling/origin'
import { useSignalingRegistry } from '../../utils/signaling/instance'
import { siteOriginPattern } from '../../utils/site-host'
import { yjsLog as log, useYjsRooms } from '../../utils/yjs-signaling/instance'
import type { YjsRooms } from '../../utils/yjs-signaling/rooms'
import type { RoomAccess } from '../../utils/yjs-signaling/state'
import { admitRoomTicket, readRoomTicket } from '../../utils/yjs-signaling/ticket'

// The Yjs room signaling WebSocket at /_ps/yjs, for the unmodified y-webrtc
// provider: a thin adapter from crossws peers to the room hub in
// server/utils/yjs-signaling (see shared/protocol/PROTOCOL.md). A connection
// needs an author's ticket in its URL, and is let into that room only.
const attached = new Set<string>()

type RoomPeer = Parameters<NonNullable<Parameters<typeof defineWebSocketHandler>[0]['open']>>[0]

/** Hand a crossws peer to the hub once, whichever of `open` and the first `message` hook runs first. */
function attach(peer: RoomPeer): YjsRooms {
  const rooms = useYjsRooms()
  if (attached.has(peer.id)) return rooms
  attached.add(peer.id)
  const access = peer.context.roomAccess as RoomAccess | undefined
  const yjsPeer = {
    id: peer.id,
    send: (text: string) => peer.send(text),
    close: (code?: number, reason?: string) => peer.close(code, reason),
    address: clientAddress(peer.remoteAddress, peer.request?.headers.get('x-forwarded-for')),
    bufferedAmount: () => peer.websocket.bufferedAmount ?? 0,
    terminate: () => peer.terminate(),
  }
  // Fail closed: a connection without its admitted ticket is in no room (the hub would let it use any topic).
  if (!access) {
    log.error(`room signaling connection ${peer.id} has no admitted ticket; closed`)
    peer.close(4403, 'no ticket')
    return rooms
  }
  rooms.connect(yjsPeer, access)
  return rooms
}

function refuse(code: 'bad-origin' | 'bad-ticket' | 'internal', message: string): Response {
  const body = JSON.stringify(yjsSignalError(code, message))
  return new Response(body, { status: 403, statusText: 'Forbidden', headers: { 'content-type': 'application/json' } })
}

export default defineWebSocketHandler({
  async upgrade(request) {
    const origin = request.headers.get('origin')
    const host = request.headers.get('host') ?? new URL(request.url).host
    if (!isAllowedSignalingOrigin(origin, host, siteOriginPattern())) {
      log.warn(`refused a room signaling connection from origin ${origin} (host ${host})`)
      return refuse('bad-origin', `pages of ${origin} may not use this signaling server`)
    }
    const ticket = readRoomTicket(request.url)
    if (!ticket) return refuse('bad-ticket', 'room signaling needs a ticket: site, epoch, key and sig in the query')
    const admitted = await admitRoomTicket(ticket, useSignalingRegistry().roomFor)
    if (!admitted.ok) {
      log.warn(`refused a room ticket for ${ticket.site}: ${admitted.why}`)
      return refuse('bad-ticket', admitted.why)
    }
    if (!request.context) return refuse('internal', 'this server cannot carry a ticket to its connection')
    request.context.roomAccess = admitted.access
  },
  open(peer) {
    attach(peer)
  },
  message(peer, message) {
    // crossws's Node adapter hands text frames over as Buffers: the hub decodes them as UTF-8.
    const data = typeof message.rawData === 'string' ? message.rawData : message.uint8Array()
    attach(peer).message(peer.id, data)
  },
  close(peer) {
    attached.delete(peer.id)
    useYjsRooms().disconnect(peer.id)
  },
  error(peer, error) {
    log.warn(`socket error on ${peer.id}`, error)
  },
})

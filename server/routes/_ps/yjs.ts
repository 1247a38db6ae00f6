import { yjsSignalError } from '../../../shared/protocol/yjs-signal'
import { isAllowedSignalingOrigin } from '../../utils/signaling/origin'
import { siteOriginPattern } from '../../utils/site-host'
import { yjsLog as log, useYjsRooms } from '../../utils/yjs-signaling/instance'
import type { YjsRooms } from '../../utils/yjs-signaling/rooms'

// The Yjs room signaling WebSocket at /_ps/yjs, for the unmodified y-webrtc
// provider: a thin adapter from crossws peers to the room hub in
// server/utils/yjs-signaling (see shared/protocol/PROTOCOL.md).
const attached = new Set<string>()

/** Hand a crossws peer to the hub once, whichever of `open` and the first `message` hook runs first. */
function attach(peer: { id: string, send(data: unknown): unknown }): YjsRooms {
  const rooms = useYjsRooms()
  if (attached.has(peer.id)) return rooms
  attached.add(peer.id)
  rooms.connect({ id: peer.id, send: text => peer.send(text) })
  return rooms
}

export default defineWebSocketHandler({
  upgrade(request) {
    const origin = request.headers.get('origin')
    const host = request.headers.get('host') ?? new URL(request.url).host
    if (isAllowedSignalingOrigin(origin, host, siteOriginPattern())) return
    log.warn(`refused a room signaling connection from origin ${origin} (host ${host})`)
    const body = JSON.stringify(yjsSignalError('bad-origin', `pages of ${origin} may not use this signaling server`))
    return new Response(body, { status: 403, statusText: 'Forbidden', headers: { 'content-type': 'application/json' } })
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

import { signalError } from '../../../shared/protocol/signal'
import { clientAddress } from '../../utils/limits/instance'
import type { SignalingHub } from '../../utils/signaling/hub'
import { toSignalingData } from '../../utils/signaling/incoming'
import { signalLog as log, useSignalingHub } from '../../utils/signaling/instance'
import { isAllowedSignalingOrigin } from '../../utils/signaling/origin'
import { siteOriginPattern } from '../../utils/site-host'

// The signaling WebSocket at /_ps/signal: a thin adapter from crossws peers
// to the hub in server/utils/signaling (see shared/protocol/PROTOCOL.md).
const attached = new Set<string>()

type SocketPeer = Parameters<NonNullable<Parameters<typeof defineWebSocketHandler>[0]['open']>>[0]

/** Hand a crossws peer to the hub once, whichever of `open` and the first `message` hook runs first. */
function attach(peer: SocketPeer): SignalingHub {
  const signaling = useSignalingHub()
  if (attached.has(peer.id)) return signaling
  attached.add(peer.id)
  signaling.connect({
    id: peer.id,
    send: text => peer.send(text),
    sendBinary: bytes => peer.send(bytes),
    close: (code, reason) => peer.close(code, reason),
    address: clientAddress(peer.remoteAddress, peer.request?.headers.get('x-forwarded-for')),
    bufferedAmount: () => peer.websocket.bufferedAmount ?? 0,
    terminate: () => peer.terminate(),
  })
  return signaling
}

export default defineWebSocketHandler({
  upgrade(request) {
    const origin = request.headers.get('origin')
    const host = request.headers.get('host') ?? new URL(request.url).host
    if (isAllowedSignalingOrigin(origin, host, siteOriginPattern())) return
    log.warn(`refused a signaling connection from origin ${origin} (host ${host})`)
    const body = JSON.stringify(signalError('bad-origin', `pages of ${origin} may not use this signaling server`))
    return new Response(body, { status: 403, statusText: 'Forbidden', headers: { 'content-type': 'application/json' } })
  },
  open(peer) {
    attach(peer)
  },
  async message(peer, message) {
    await attach(peer).message(peer.id, toSignalingData(message.rawData, () => message.uint8Array()))
  },
  close(peer) {
    attached.delete(peer.id)
    useSignalingHub().disconnect(peer.id)
  },
  error(peer, error) {
    log.warn(`socket error on ${peer.id}`, error)
  },
})

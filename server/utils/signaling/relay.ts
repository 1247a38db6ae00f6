import { decodeRelay } from '../../../shared/protocol/signal'
import type { HubContext } from './context'
import { sendNotYourSession } from './handlers/session'
import type { PeerEntry } from './state'

/**
 * Relay fallback: forward a binary frame `[u8 n][session id][payload]`
 * unchanged to the other party of its session, when the sender is in it.
 */
export function forwardRelayFrame(ctx: HubContext, from: PeerEntry, frame: Uint8Array): void {
  const decoded = decodeRelay(frame)
  if (!decoded.ok) {
    ctx.send(from.peer.id, decoded.error)
    return
  }
  const link = ctx.state.counterpart(decoded.session, from.peer.id)
  if (!link) {
    sendNotYourSession(ctx, from.peer.id, decoded.session)
    return
  }
  ctx.sendBinary(link.other, frame)
}

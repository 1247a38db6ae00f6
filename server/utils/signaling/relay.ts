import { decodeRelay, signalError } from '../../../shared/protocol/signal'
import { tellInstance } from './cluster'
import type { HubContext } from './context'
import { chargeRelay, refuse } from './guards'
import type { PeerEntry } from './state'

/**
 * Relay fallback: forward a binary frame `[u8 n][session id][payload]`
 * unchanged to the other party of its session, when the sender is in it and
 * the sender has relay bytes of the session left (each party its own) and
 * the site has some left today. A relay frame takes no
 * message token (it is metered by bytes); a refused one does. A party on
 * another instance gets it through that instance's hub, charged here.
 */
export function forwardRelayFrame(ctx: HubContext, from: PeerEntry, frame: Uint8Array): void {
  const decoded = decodeRelay(frame)
  if (!decoded.ok) {
    refuse(ctx, from, decoded.error)
    return
  }
  const link = ctx.state.counterpart(decoded.session, from.peer.id)
  if (!link) {
    refuse(ctx, from, signalError('not-your-session', `you are not a party to session ${decoded.session}`))
    return
  }
  if (!chargeRelay(ctx, from, link.session, link.role, frame.length)) return
  if (link.otherInstance === null) ctx.sendBinary(link.other, frame)
  else tellInstance(ctx, link.otherInstance, { kind: 'relay', session: decoded.session, peer: from.peer.id }, frame)
}

import { signalError } from '../../../../shared/protocol/signal'
import { endSession, sendToCounterpart } from '../cluster'
import type { HubContext, SignalHandler } from '../context'

/** The error a peer gets for naming a session it is not a party to. */
export function sendNotYourSession(ctx: HubContext, peerId: string, session: string): void {
  ctx.send(peerId, signalError('not-your-session', `you are not a party to session ${session}`))
}

/** `signal`: relay SDP or ICE to the other party of the session, rebuilt from the parsed fields only. */
export const signalMessageHandler: SignalHandler<'signal'> = (ctx, from, message) => {
  const link = ctx.state.counterpart(message.session, from.peer.id)
  if (!link) {
    sendNotYourSession(ctx, from.peer.id, message.session)
    return
  }
  sendToCounterpart(ctx, link, from.peer.id, { type: 'signal', session: message.session, data: message.data })
}

/** `leave`: end the session; the other party learns who left. */
export const leaveMessageHandler: SignalHandler<'leave'> = (ctx, from, message) => {
  const link = ctx.state.counterpart(message.session, from.peer.id)
  if (!link) {
    sendNotYourSession(ctx, from.peer.id, message.session)
    return
  }
  endSession(ctx, link, from.peer.id)
}

import type { ClientMessage, ClientMessageType } from '../../../../shared/protocol/signal'
import type { ClientMessageOf, HubContext, SignalHandler } from '../context'
import type { PeerEntry } from '../state'
import { authorRemoveMessageHandler, authorsMessageHandler } from './authors'
import { challengeMessageHandler } from './challenge'
import { enrolMessageHandler } from './enrol'
import { hostMessageHandler } from './host'
import { inviteMintMessageHandler } from './invite-mint'
import { inviteRevokeMessageHandler } from './invite-revoke'
import { leaveMessageHandler, signalMessageHandler } from './session'
import { visitMessageHandler } from './visit'

/** A handler that takes any client message (the registry's value type). */
export type AnySignalHandler = (ctx: HubContext, from: PeerEntry, message: ClientMessage) => void | Promise<void>

function isOfType<T extends ClientMessageType>(message: ClientMessage, type: T): message is ClientMessageOf<T> {
  return message.type === type
}

function entry<T extends ClientMessageType>(type: T, handle: SignalHandler<T>): [T, AnySignalHandler] {
  return [type, (ctx, from, message) => (isOfType(message, type) ? handle(ctx, from, message) : undefined)]
}

const pingMessageHandler: SignalHandler<'ping'> = (ctx, from) => ctx.send(from.peer.id, { type: 'pong' })

/** The message handlers, by message type. */
export const signalHandlers: ReadonlyMap<ClientMessageType, AnySignalHandler> = new Map([
  entry('challenge', challengeMessageHandler),
  entry('host', hostMessageHandler),
  entry('enrol', enrolMessageHandler),
  entry('invite-mint', inviteMintMessageHandler),
  entry('invite-revoke', inviteRevokeMessageHandler),
  entry('authors', authorsMessageHandler),
  entry('author-remove', authorRemoveMessageHandler),
  entry('visit', visitMessageHandler),
  entry('signal', signalMessageHandler),
  entry('leave', leaveMessageHandler),
  entry('ping', pingMessageHandler),
])

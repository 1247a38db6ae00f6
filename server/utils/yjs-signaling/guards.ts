import { SIGNAL_CLOSE_CODES } from '../../../shared/protocol/signal'
import { encodeYjsSignal, yjsSignalError } from '../../../shared/protocol/yjs-signal'
import type { ServerLimits } from '../limits/defaults'
import type { SignalingLog } from '../signaling/context'
import type { YjsPeer, YjsPeerEntry } from './state'

/** How often a flooding connection is told `rate-limited` (the rest of its flood is dropped unanswered). */
const RATE_NOTICE_MS = 1000

/**
 * Whether a message from `from` may be handled (YJS_MESSAGES_PER_SECOND):
 * past the burst it is dropped, and the connection told `rate-limited` at
 * most once a second.
 */
export function admitYjsMessage(from: YjsPeerEntry, limits: ServerLimits, now: number, send: (text: string) => void): boolean {
  if (from.messages.take(now)) return true
  if (now - from.limitedAt >= RATE_NOTICE_MS) {
    from.limitedAt = now
    send(encodeYjsSignal(yjsSignalError('rate-limited', `at most ${limits.yjsMessagesPerSecond} messages a second (${limits.yjsMessageBurst} at once); messages are dropped until this connection slows down`)))
  }
  return false
}

/** Refuse a connection past MAX_CONNECTIONS_PER_ADDRESS: tell it why, then close it. */
export function refuseYjsConnection(peer: YjsPeer, limits: ServerLimits, log: SignalingLog): void {
  const max = limits.maxConnectionsPerAddress
  log.warn(`refused ${peer.id}: ${peer.address ?? ''} has ${max} room signaling connections already`)
  try {
    peer.send(encodeYjsSignal(yjsSignalError('too-many-connections', `at most ${max} connections from one address at once`)))
    peer.close?.(SIGNAL_CLOSE_CODES.tooManyConnections, 'too many connections')
  }
  catch (error) {
    log.warn(`could not refuse ${peer.id}`, error)
  }
}

/**
 * Cut a connection whose send buffer passed MAX_YJS_BUFFERED_BYTES (a slow
 * reader: what is queued for it is the server's memory), unless it is under.
 * Terminated rather than closed: a close frame would wait behind what it
 * does not read. Returns whether it was cut; the caller forgets it.
 */
export function cutSlowReader(entry: YjsPeerEntry, limits: ServerLimits, log: SignalingLog): boolean {
  const buffered = entry.peer.bufferedAmount?.() ?? 0
  if (buffered <= limits.maxYjsBufferedBytes) return false
  entry.dropped = true
  log.warn(`${entry.peer.id} has ${buffered} bytes waiting to be sent (at most ${limits.maxYjsBufferedBytes}); cut as a slow reader`)
  try {
    if (entry.peer.terminate) entry.peer.terminate()
    else entry.peer.close?.(1008, 'slow reader')
  }
  catch (error) {
    log.warn(`could not cut ${entry.peer.id}`, error)
  }
  return true
}

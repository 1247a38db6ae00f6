import { MAX_RELAY_PAYLOAD_BYTES } from '../../shared/protocol/signal'
import type { Transport } from '../tunnel/transport'
import type { SignalingClient } from './signaling-client'

const LOW_WATER = 256 * 1024
const DRAIN_POLL_MS = 10

/**
 * A tunnel transport through the signaling server's relay, for when ICE
 * fails (strict NATs, blocked UDP). Tunnel messages are cut to the relay's
 * frame size; the tunnel's decoder joins frames split across messages.
 * WebSocket has no drain event, so drain is polled while anything is queued.
 */
export function relayTransport(signaling: SignalingClient, session: string): Transport {
  const drainListeners = new Set<() => void>()
  const closeListeners = new Set<(reason: string) => void>()
  let closed = false
  let polling = false
  const poll = () => {
    if (closed || signaling.bufferedAmount > LOW_WATER) {
      if (!closed) setTimeout(poll, DRAIN_POLL_MS)
      return
    }
    polling = false
    for (const listener of drainListeners) listener()
  }
  const close = (reason: string) => {
    if (closed) return
    closed = true
    offClose()
    offSession()
    for (const listener of closeListeners) listener(reason)
  }
  const offClose = signaling.onClose(reason => close(`signaling closed: ${reason}`))
  const offSession = signaling.onMessage((message) => {
    if (message.type === 'session-closed' && message.session === session) close(message.reason)
  })
  return {
    send(data) {
      if (closed) throw new Error('the relay is closed')
      for (let offset = 0; offset < data.byteLength; offset += MAX_RELAY_PAYLOAD_BYTES) {
        signaling.sendRelay(session, data.subarray(offset, offset + MAX_RELAY_PAYLOAD_BYTES))
      }
      if (!polling && signaling.bufferedAmount > LOW_WATER) {
        polling = true
        setTimeout(poll, DRAIN_POLL_MS)
      }
    },
    get bufferedAmount() {
      return signaling.bufferedAmount
    },
    onMessage(listener) {
      return signaling.onRelay((from, payload) => {
        if (from === session && !closed) listener(payload)
      })
    },
    onDrain(listener) {
      drainListeners.add(listener)
      return () => drainListeners.delete(listener)
    },
    onClose(listener) {
      closeListeners.add(listener)
      return () => closeListeners.delete(listener)
    },
    close() {
      if (!closed) signaling.send({ type: 'leave', session })
      close('closed locally')
    },
  }
}

import { MAX_RELAY_PAYLOAD_BYTES, type RelayRate, type ServerMessage } from '../../shared/protocol/signal'
import type { Transport } from '../tunnel/transport'
import type { SignalingClient } from './signaling-client'
import { TokenBucket } from '../../shared/token-bucket'
import { errorMessage } from '../../shared/error-message'

/** What the relay needs of the signaling connection: a SignalingClient (tests pass a fake). */
export type RelaySignaling = Pick<SignalingClient, 'bufferedAmount' | 'send' | 'sendRelay' | 'onRelay' | 'onMessage' | 'onClose'>

const LOW_WATER = 256 * 1024
const DRAIN_POLL_MS = 10

/**
 * The share of the server's relay rate, and of its burst, a relayed tunnel
 * sends at. The server meters frames as they arrive; the tenth left over
 * (1.6 MiB of the default 16 MiB burst, some 0.8 s at 2 MiB/s) absorbs
 * frames the network bunches up on the way and clocks that run a little
 * apart, so no frame is dropped. Only as much as the socket holds below its
 * low-water mark (256 KiB) is ever handed to it, so a stalled connection
 * cannot release more than that at once.
 */
export const RELAY_PACE_MARGIN = 0.9

/** The bytes the server charges for a relay frame of `payloadBytes`: `[u8 n][n bytes: session id][payload]`. */
const frameBytes = (session: string, payloadBytes: number) => 1 + session.length + payloadBytes

/**
 * The bucket a relayed tunnel paces itself with: the server's (the same
 * TokenBucket), at RELAY_PACE_MARGIN of its rate and burst.
 */
function relayPacer(relay: RelayRate, now: number): TokenBucket {
  return new TokenBucket(relay.bytesPerSecond * RELAY_PACE_MARGIN, relay.burstBytes * RELAY_PACE_MARGIN, now)
}

/** What a frame of `payloadBytes` is charged against the pacer: its bytes, or a whole bucket for a frame over it (it waits for a full one; the server drops it, and says so). */
const paceCost = (pacer: TokenBucket, session: string, payloadBytes: number) => Math.min(frameBytes(session, payloadBytes), pacer.burst)

/** Whether `message` says the server dropped a relay frame of `session` (its own name for it, or an older server's text naming it). */
function droppedFrame(message: ServerMessage, session: string): message is Extract<ServerMessage, { type: 'error' }> {
  if (message.type !== 'error' || (message.code !== 'relay-rate' && message.code !== 'relay-quota')) return false
  return message.session === session || (message.session === undefined && message.message.includes(session))
}

/**
 * A tunnel transport through the signaling server's relay, for when ICE
 * fails (strict NATs, blocked UDP). Tunnel messages are cut to the relay's
 * frame size; the tunnel's decoder joins frames split across messages.
 * Given the session's relay rate (`visiting`, `visitor`), frames wait here
 * until the server's bucket would take them (RELAY_PACE_MARGIN), and what
 * waits counts in `bufferedAmount`, so the tunnel's flow control slows
 * down; without one (an older server) they go at once. WebSocket has no
 * drain event, so drain is polled while anything is queued. A frame the
 * server dropped anyway leaves a hole in the stream: the transport leaves
 * the session and closes, saying why.
 */
export function relayTransport(signaling: RelaySignaling, session: string, relay?: RelayRate): Transport {
  const drainListeners = new Set<() => void>()
  const closeListeners = new Set<(reason: string) => void>()
  const pacer = relay ? relayPacer(relay, performance.now()) : null
  const queue: Uint8Array[] = []
  let queued = 0
  let closed = false
  let blocked = false
  let pumping = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const buffered = () => signaling.bufferedAmount + queued
  // Paced, only what the socket has room for goes to it; unpaced, everything, as it comes.
  const socketFree = () => !pacer || signaling.bufferedAmount <= LOW_WATER

  const sendDue = () => {
    while (!closed && queue.length > 0 && socketFree()) {
      const payload = queue[0]!
      if (pacer && !pacer.take(performance.now(), paceCost(pacer, session, payload.byteLength))) return
      queue.shift()
      queued -= payload.byteLength
      try {
        signaling.sendRelay(session, payload)
      }
      catch (error) {
        close(`the relay failed: ${errorMessage(error)}`)
      }
    }
  }
  const schedule = () => {
    clearTimeout(timer)
    timer = undefined
    if (closed) return
    const next = queue[0]
    const wait = next && pacer && socketFree() ? Math.max(1, Math.ceil(pacer.msUntil(performance.now(), paceCost(pacer, session, next.byteLength)))) : DRAIN_POLL_MS
    if (next || blocked) timer = setTimeout(pump, wait)
  }
  // Send what the bucket allows; once what waits (here and in the socket) is down to the low-water mark, say drain (its listeners may queue more at once).
  function pump() {
    if (pumping || closed) return
    pumping = true
    try {
      sendDue()
      while (!closed && blocked && buffered() <= LOW_WATER) {
        blocked = false
        for (const listener of [...drainListeners]) listener()
        sendDue()
      }
    }
    finally {
      pumping = false
    }
    schedule()
  }
  function close(reason: string) {
    if (closed) return
    closed = true
    clearTimeout(timer)
    queue.length = 0
    queued = 0
    offClose()
    offMessages()
    for (const listener of closeListeners) listener(reason)
  }
  const offClose = signaling.onClose(reason => close(`signaling closed: ${reason}`))
  const offMessages = signaling.onMessage((message) => {
    if (message.type === 'session-closed' && message.session === session) close(message.reason)
    else if (droppedFrame(message, session)) {
      const reason = `the server dropped a relay frame of session ${session} (${message.code}: ${message.message}); the tunnel cannot go on without it`
      console.error(`[relay] ${reason}`)
      signaling.send({ type: 'leave', session })
      close(reason)
    }
  })
  return {
    send(data) {
      if (closed) throw new Error('the relay is closed')
      for (let offset = 0; offset < data.byteLength; offset += MAX_RELAY_PAYLOAD_BYTES) {
        // A copy: the frame may wait here after the caller has reused its buffer.
        const payload = data.slice(offset, offset + MAX_RELAY_PAYLOAD_BYTES)
        queue.push(payload)
        queued += payload.byteLength
      }
      pump()
      if (buffered() > LOW_WATER && !blocked) {
        blocked = true
        if (!pumping) schedule()
      }
    },
    get bufferedAmount() {
      return buffered()
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

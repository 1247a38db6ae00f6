/**
 * A message transport the tunnel runs over: an RTCDataChannel, the signaling
 * relay, or an in-memory pair in tests. Message boundaries are preserved.
 */
export interface Transport {
  /** Send one message. Throws if the transport is closed. */
  send(data: Uint8Array): void
  /** Bytes queued by `send` and not yet handed to the network. */
  readonly bufferedAmount: number
  /**
   * True when only this transport's own `send` raises `bufferedAmount` (a data
   * channel of its own), so a sender may count what it sent since it last
   * read it instead of reading it for every message. Absent when others share
   * the queue (the signaling relay's socket carries every relayed session).
   */
  readonly ownQueue?: boolean
  /** Subscribe to incoming messages; returns an unsubscribe function. */
  onMessage(listener: (data: Uint8Array) => void): () => void
  /** Called when `bufferedAmount` falls to the low-water mark; returns an unsubscribe function. */
  onDrain(listener: () => void): () => void
  /** Called once when the transport closes, for any reason; returns an unsubscribe function. */
  onClose(listener: (reason: string) => void): () => void
  /** Close the transport; pending sends may be dropped. */
  close(): void
}

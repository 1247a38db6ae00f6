/**
 * A message transport the tunnel runs over: an RTCDataChannel, the signaling
 * relay, or an in-memory pair in tests. Message boundaries are preserved.
 */
export interface Transport {
  /** Send one message. Throws if the transport is closed. */
  send(data: Uint8Array): void
  /** Bytes queued by `send` and not yet handed to the network. */
  readonly bufferedAmount: number
  /** Subscribe to incoming messages; returns an unsubscribe function. */
  onMessage(listener: (data: Uint8Array) => void): () => void
  /** Called when `bufferedAmount` falls to the low-water mark; returns an unsubscribe function. */
  onDrain(listener: () => void): () => void
  /** Called once when the transport closes, for any reason; returns an unsubscribe function. */
  onClose(listener: (reason: string) => void): () => void
  /** Close the transport; pending sends may be dropped. */
  close(): void
}

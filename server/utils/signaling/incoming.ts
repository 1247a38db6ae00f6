import { MAX_SIGNAL_BYTES, isRelayFrame } from '../../../shared/protocol/signal'

const utf8 = new TextDecoder()

/**
 * What the hub should see for a WebSocket message whose frame type the
 * runtime may not report: crossws's Node adapter hands text frames over as
 * Buffers too (it drops ws's `isBinary`), so bytes are read as a relay frame
 * when they start like one and as JSON text otherwise. Oversized bytes stay
 * bytes: the hub refuses them either way, without decoding them first.
 */
export function toSignalingData(raw: unknown, bytes: () => Uint8Array): string | Uint8Array {
  if (typeof raw === 'string') return raw
  const data = bytes()
  if (data.length > MAX_SIGNAL_BYTES || isRelayFrame(data)) return data
  return utf8.decode(data)
}

import type { Transport } from './transport'

/** Options of the data-channel adapter. */
export interface DataChannelTransportOptions {
  /** `bufferedamountlow` (the transport's drain) fires when queued bytes fall to this (default 1 MiB). */
  lowWater?: number
}

/** Default `bufferedAmountLowThreshold`: well under the tunnel's 4 MiB high-water mark, so the queue never runs dry. */
export const DEFAULT_LOW_WATER = 1024 * 1024

/** `data` as a view of a plain ArrayBuffer, which is what `RTCDataChannel.send` takes (a copy only for shared memory). */
function plainView(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data.slice()
}

/**
 * Adapt an open, reliable, ordered RTCDataChannel to the tunnel's Transport:
 * binary messages as Uint8Array, `bufferedamountlow` as drain, close once.
 */
export function dataChannelTransport(channel: RTCDataChannel, options: DataChannelTransportOptions = {}): Transport {
  channel.binaryType = 'arraybuffer'
  channel.bufferedAmountLowThreshold = options.lowWater ?? DEFAULT_LOW_WATER
  const listen = <K extends keyof RTCDataChannelEventMap>(type: K, listener: (event: RTCDataChannelEventMap[K]) => void) => {
    channel.addEventListener(type, listener)
    return () => channel.removeEventListener(type, listener)
  }
  return {
    send(data) {
      channel.send(plainView(data))
    },
    get bufferedAmount() {
      return channel.bufferedAmount
    },
    // The channel is the tunnel's alone.
    ownQueue: true,
    onMessage(listener) {
      return listen('message', (event) => {
        if (event.data instanceof ArrayBuffer) listener(new Uint8Array(event.data))
        else console.warn('[tunnel] ignored a non-binary message on the data channel')
      })
    },
    onDrain(listener) {
      return listen('bufferedamountlow', () => listener())
    },
    onClose(listener) {
      if (channel.readyState === 'closing' || channel.readyState === 'closed') {
        let active = true
        queueMicrotask(() => active && listener('the data channel is closed'))
        return () => {
          active = false
        }
      }
      return listen('close', () => listener('the data channel closed'))
    },
    close() {
      channel.close()
    },
  }
}

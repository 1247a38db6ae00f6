import type { Transport } from './transport'

/** Options of the data-channel adapter. */
export interface DataChannelTransportOptions {
  /** `bufferedamountlow` fires when queued bytes fall to this (default 1 MiB). */
  lowWater?: number
}

/** Adapt an RTCDataChannel to the tunnel's Transport (binary messages, drain events). */
export function dataChannelTransport(channel: RTCDataChannel, options: DataChannelTransportOptions = {}): Transport {
  channel.binaryType = 'arraybuffer'
  channel.bufferedAmountLowThreshold = options.lowWater ?? 1024 * 1024
  const listen = <K extends keyof RTCDataChannelEventMap>(type: K, listener: (event: RTCDataChannelEventMap[K]) => void) => {
    channel.addEventListener(type, listener)
    return () => channel.removeEventListener(type, listener)
  }
  return {
    send(data) {
      // Our frames are always built on a plain ArrayBuffer (never shared memory).
      channel.send(data as Uint8Array<ArrayBuffer>)
    },
    get bufferedAmount() {
      return channel.bufferedAmount
    },
    onMessage(listener) {
      return listen('message', (event) => {
        if (event.data instanceof ArrayBuffer) listener(new Uint8Array(event.data))
        else console.warn('[tunnel] ignored a text message on the data channel')
      })
    },
    onDrain(listener) {
      return listen('bufferedamountlow', () => listener())
    },
    onClose(listener) {
      if (channel.readyState === 'closed') {
        queueMicrotask(() => listener('the data channel is closed'))
        return () => {}
      }
      return listen('close', () => listener('the data channel closed'))
    },
    close() {
      channel.close()
    },
  }
}

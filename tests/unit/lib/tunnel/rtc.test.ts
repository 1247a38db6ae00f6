import { describe, expect, it, vi } from 'vitest'
import { TunnelClient } from '../../../../lib/tunnel/client'
import { DEFAULT_LOW_WATER, dataChannelTransport } from '../../../../lib/tunnel/rtc'
import { TunnelServer } from '../../../../lib/tunnel/server'
import { echo, readAll } from '../../../helpers/tunnel-pair'

/** Just enough of an RTCDataChannel: events, a send queue that empties a task later, close. */
class FakeChannel extends EventTarget {
  binaryType: BinaryType = 'blob'
  bufferedAmount = 0
  bufferedAmountLowThreshold = 0
  readyState: RTCDataChannelState = 'open'
  peer: FakeChannel | null = null
  sent: unknown[] = []

  send(data: ArrayBufferView | ArrayBuffer | string): void {
    if (this.readyState !== 'open') throw new DOMException('not open', 'InvalidStateError')
    this.sent.push(data)
    if (!ArrayBuffer.isView(data)) return
    const copy = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer
    this.bufferedAmount += copy.byteLength
    setImmediate(() => {
      const before = this.bufferedAmount
      this.bufferedAmount -= copy.byteLength
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) this.dispatchEvent(new Event('bufferedamountlow'))
      this.peer?.dispatchEvent(new MessageEvent('message', { data: copy }))
    })
  }

  close(): void {
    for (const channel of [this, this.peer]) {
      if (!channel || channel.readyState === 'closed') continue
      channel.readyState = 'closed'
      channel.dispatchEvent(new Event('close'))
    }
  }

  /** This fake as the DOM type the adapter takes (it implements the members the adapter uses). */
  asChannel(): RTCDataChannel {
    return this as unknown as RTCDataChannel
  }
}

function linkedChannels(): [FakeChannel, FakeChannel] {
  const a = new FakeChannel()
  const b = new FakeChannel()
  a.peer = b
  b.peer = a
  return [a, b]
}

describe('dataChannelTransport', () => {
  it('sets binary messages and the drain threshold', () => {
    const channel = new FakeChannel()
    dataChannelTransport(channel.asChannel())
    expect(channel.binaryType).toBe('arraybuffer')
    expect(channel.bufferedAmountLowThreshold).toBe(DEFAULT_LOW_WATER)
    dataChannelTransport(channel.asChannel(), { lowWater: 1234 })
    expect(channel.bufferedAmountLowThreshold).toBe(1234)
  })

  it('sends views of plain ArrayBuffers, and a copy of shared memory', () => {
    const channel = new FakeChannel()
    const transport = dataChannelTransport(channel.asChannel())
    const plain = new Uint8Array(8).subarray(2, 5)
    transport.send(plain)
    const shared = new Uint8Array(new SharedArrayBuffer(4))
    transport.send(shared)
    const [first, second] = channel.sent
    expect(first).toBeInstanceOf(Uint8Array)
    expect(first instanceof Uint8Array && first.buffer).toBe(plain.buffer)
    expect(second instanceof Uint8Array && second.buffer).toBeInstanceOf(ArrayBuffer)
  })

  it('maps messages, drain and close, and unsubscribes', async () => {
    const [a, b] = linkedChannels()
    const sender = dataChannelTransport(a.asChannel(), { lowWater: 0 })
    const receiver = dataChannelTransport(b.asChannel())
    const messages: number[][] = []
    const drained = vi.fn()
    const closed = vi.fn()
    const off = receiver.onMessage(data => messages.push([...data]))
    sender.onDrain(drained)
    receiver.onClose(closed)
    sender.send(new Uint8Array([1, 2]))
    expect(sender.bufferedAmount).toBe(2)
    await vi.waitFor(() => expect(messages).toEqual([[1, 2]]))
    expect(drained).toHaveBeenCalledTimes(1)
    off()
    sender.send(new Uint8Array([3]))
    await new Promise(resolve => setImmediate(resolve))
    expect(messages).toHaveLength(1)
    sender.close()
    expect(closed).toHaveBeenCalledTimes(1)
    expect(closed).toHaveBeenCalledWith('the data channel closed')
  })

  it('ignores text messages, with a warning', () => {
    const channel = new FakeChannel()
    const listener = vi.fn()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    dataChannelTransport(channel.asChannel()).onMessage(listener)
    channel.dispatchEvent(new MessageEvent('message', { data: 'hello' }))
    expect(listener).not.toHaveBeenCalled()
    expect(warn).toHaveBeenCalled()
    warn.mockRestore()
  })

  it('reports a channel that is already closed, once, a microtask later', async () => {
    const channel = new FakeChannel()
    channel.readyState = 'closed'
    const closed = vi.fn()
    dataChannelTransport(channel.asChannel()).onClose(closed)
    expect(closed).not.toHaveBeenCalled()
    await Promise.resolve()
    expect(closed).toHaveBeenCalledTimes(1)
  })

  it('carries a tunnel end to end', async () => {
    const [a, b] = linkedChannels()
    const client = new TunnelClient(dataChannelTransport(a.asChannel()))
    new TunnelServer(dataChannelTransport(b.asChannel()), echo)
    const body = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251)
    const response = await client.request({ method: 'POST', url: '/x', headers: [] }, body)
    expect(Buffer.compare(await readAll(response.body), body)).toBe(0)
    a.close()
    await expect(client.request({ method: 'GET', url: '/', headers: [] })).rejects.toThrow(/the data channel closed/)
  })
})

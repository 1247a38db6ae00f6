import { describe, expect, it, vi } from 'vitest'
import { bodyFromPort, sendBodyOverPort } from '../../../visitor/body-port'
import { readAll, seededBytes, seededRandom, sha256, wait } from '../../helpers/tunnel-pair'

const KiB = 1024

/** A pull stream of `chunks`, counting what the sender took and whether it was cancelled. */
function source(chunks: Uint8Array[], failAt = -1) {
  const seen = { pulled: 0, cancelled: null as unknown }
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === failAt) return controller.error(new Error('the host went away'))
      const chunk = chunks[seen.pulled++]
      if (chunk) controller.enqueue(chunk)
      else controller.close()
    },
    cancel(reason) {
      seen.cancelled = reason
    },
  }, { highWaterMark: 0 })
  return { stream, seen }
}

function pair(chunks: Uint8Array[], options: { window?: number, failAt?: number } = {}) {
  const { stream, seen } = source(chunks, options.failAt)
  const channel = new MessageChannel()
  const sent = sendBodyOverPort(stream, channel.port1, options.window)
  return { body: bodyFromPort(channel.port2, options.window), sent, seen }
}

describe('response bodies over a MessagePort', () => {
  it('delivers every byte in order, chunk views included', async () => {
    const data = seededBytes(3 * 1024 * KiB + 17, seededRandom(3))
    const backing = new Uint8Array(data.byteLength + 20)
    backing.set(data, 10)
    // Views into a larger buffer (as decoded frames are) and whole buffers (as merged chunks are).
    const chunks = [backing.subarray(10, 10 + 100 * KiB), data.slice(100 * KiB, 2 * 1024 * KiB), backing.subarray(10 + 2 * 1024 * KiB, 10 + data.byteLength)]
    const { body, sent } = pair(chunks)
    expect(sha256(await readAll(body))).toBe(sha256(data))
    await sent
  })

  it('transfers a chunk that owns its buffer and copies a view, leaving the view\'s buffer usable', async () => {
    const whole = new Uint8Array(64 * KiB).fill(1)
    const backing = new Uint8Array(128 * KiB).fill(2)
    const { body, sent } = pair([whole, backing.subarray(0, 64 * KiB)])
    const received = await readAll(body)
    await sent
    expect(received.byteLength).toBe(128 * KiB)
    expect(whole.byteLength).toBe(0) // transferred: detached here
    expect(backing.byteLength).toBe(128 * KiB)
    expect(backing[100 * KiB]).toBe(2)
  })

  it('never sends more than the window ahead of a reader that does not read', async () => {
    const chunks = Array.from({ length: 64 }, (_, i) => new Uint8Array(64 * KiB).fill(i))
    const { body, seen } = pair(chunks, { window: 512 * KiB })
    await wait(100)
    // The window, plus the chunk that used it up.
    expect(seen.pulled * 64).toBeLessThanOrEqual(512 + 64)
    expect(seen.pulled * 64).toBeGreaterThanOrEqual(512)
    const received = await readAll(body)
    expect(received.byteLength).toBe(64 * 64 * KiB)
    expect(received[63 * 64 * KiB]).toBe(63)
  })

  it('cancelling the page\'s stream cancels the tunnel body', async () => {
    const chunks = Array.from({ length: 64 }, () => new Uint8Array(64 * KiB))
    const { body, sent, seen } = pair(chunks, { window: 256 * KiB })
    const reader = body.getReader()
    await reader.read()
    await reader.cancel('navigated away')
    await sent
    expect(seen.cancelled).toBe('the page stopped reading the response')
    expect(seen.pulled).toBeLessThan(64)
  })

  it('a tunnel body that fails errors the page\'s stream with the reason', async () => {
    const { body, sent } = pair([new Uint8Array(10), new Uint8Array(10)], { failAt: 1 })
    await expect(readAll(body)).rejects.toThrow('the host went away')
    await sent
  })

  it.each([
    ['a chunk that is not bytes', { t: 'chunk', data: 'not bytes' }],
    ['a chunk without data', { t: 'chunk' }],
    ['a chunk of a typed array, not its buffer', { t: 'chunk', data: new Uint8Array(4) }],
    ['an error without its message', { t: 'error' }],
    ['an unknown kind', { t: 'more' }],
    ['a message without a kind', { data: new ArrayBuffer(4) }],
    ['null', null],
    ['a string', 'end'],
  ])('a malformed message (%s) errors the stream instead of passing it on', async (_name, message) => {
    const channel = new MessageChannel()
    const body = bodyFromPort(channel.port2)
    channel.port1.postMessage({ t: 'chunk', data: new Uint8Array(8).buffer })
    channel.port1.postMessage(message)
    await expect(readAll(body)).rejects.toThrow(/^the shell sent a malformed body message: ./)
    channel.port1.close()
  })

  it.each([
    ['credit of 0 bytes', { t: 'credit', bytes: 0 }],
    ['negative credit', { t: 'credit', bytes: -1024 }],
    ['credit that is not a number', { t: 'credit', bytes: '1048576' }],
    ['infinite credit', { t: 'credit', bytes: Infinity }],
    ['credit of NaN bytes', { t: 'credit', bytes: Number.NaN }],
    ['an unknown kind', { t: 'more' }],
    ['null', null],
  ])('the shell ignores %s from the worker, and sends no more than the window', async (_name, message) => {
    const chunks = Array.from({ length: 8 }, () => new Uint8Array(64 * KiB))
    const { stream, seen } = source(chunks)
    const channel = new MessageChannel()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const received: unknown[] = []
    channel.port2.onmessage = event => received.push(event.data)
    const sent = sendBodyOverPort(stream, channel.port1, 128 * KiB)
    await wait(50)
    channel.port2.postMessage(message)
    await wait(50)
    expect(seen.pulled).toBe(2)
    expect(warn).toHaveBeenCalledWith('[body-port] ignored a malformed message from the service worker:', expect.any(String))
    // A good message still counts after a bad one.
    channel.port2.postMessage({ t: 'cancel' })
    await sent
    expect(seen.cancelled).toBe('the page stopped reading the response')
    expect(received).toHaveLength(2)
    warn.mockRestore()
    channel.port2.close()
  })
})

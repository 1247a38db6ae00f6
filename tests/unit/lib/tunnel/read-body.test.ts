import { describe, expect, it } from 'vitest'
import { readBody } from '../../../../lib/tunnel/read-body'

function stream(chunks: Uint8Array[], onCancel: () => void = () => {}): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      controller.close()
    },
    cancel: onCancel,
  })
}

describe('readBody', () => {
  it('returns one chunk as it is, and joins several', async () => {
    const one = new Uint8Array([1, 2, 3])
    expect(await readBody(stream([one]))).toBe(one)
    expect(await readBody(stream([new Uint8Array([1]), new Uint8Array([2, 3])]))).toEqual(new Uint8Array([1, 2, 3]))
    expect((await readBody(stream([]))).byteLength).toBe(0)
  })

  it('takes exactly `limit` bytes; one more cancels the reader and says what was over', async () => {
    expect((await readBody(stream([new Uint8Array(4), new Uint8Array(4)]), 8)).byteLength).toBe(8)
    let cancelled = false
    // The stream holds its third chunk unread when the second passes the limit.
    await expect(readBody(stream([new Uint8Array(4), new Uint8Array(5), new Uint8Array(1)], () => { cancelled = true }), 8, 'request body')).rejects.toThrow('request body over 8 bytes')
    expect(cancelled).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { CHUNK_BYTES, MessageJoiner, splitMessage } from '../../../../lib/peer/chunked-channel'

function bytes(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xFF)
}

describe('chunked data-channel messages', () => {
  it.each([0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 5 * CHUNK_BYTES + 17, 3 * 1024 * 1024])('a %i-byte message survives the split and the join', (size) => {
    const message = bytes(size)
    const chunks = splitMessage(message)
    expect(chunks.every(chunk => chunk.byteLength <= CHUNK_BYTES + 1)).toBe(true)
    expect(chunks.length).toBe(Math.max(1, Math.ceil(size / CHUNK_BYTES)))
    const joiner = new MessageJoiner()
    const out = chunks.map(chunk => joiner.push(chunk))
    expect(out.slice(0, -1).every(part => part === null)).toBe(true)
    expect(out.at(-1)).toEqual(message)
  })

  it('joins messages one after another with the same joiner', () => {
    const joiner = new MessageJoiner()
    const first = bytes(CHUNK_BYTES * 2, 3)
    const second = bytes(10, 7)
    const joined = [...splitMessage(first), ...splitMessage(second)].map(chunk => joiner.push(chunk)).filter(part => part !== null)
    expect(joined).toEqual([first, second])
  })

  it('refuses a chunk without a valid first byte', () => {
    expect(() => new MessageJoiner().push(Uint8Array.of(7, 1, 2))).toThrow('starts with 7, not 0 or 1')
    expect(() => new MessageJoiner().push(new Uint8Array(0))).toThrow('starts with undefined')
  })

  it('refuses a message past the limit instead of buffering it all', () => {
    const joiner = new MessageJoiner(100)
    const chunks = splitMessage(bytes(250), 60)
    expect(joiner.push(chunks[0]!)).toBeNull()
    expect(() => joiner.push(chunks[1]!)).toThrow('over 100 bytes')
  })
})

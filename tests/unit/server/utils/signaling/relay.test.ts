import { describe, expect, it } from 'vitest'
import { MAX_RELAY_PAYLOAD_BYTES, MAX_SIGNAL_BYTES, decodeRelay, encodeRelay } from '../../../../../shared/protocol/signal'
import { createTestHub } from './fake-peers'

async function scene() {
  const test = createTestHub()
  const server = await test.host('blog')
  const visitor = await test.visit('blog')
  const stranger = test.connect()
  server.take()
  return { ...test, server, visitor, stranger }
}

const bytes = (...values: number[]) => new Uint8Array(values)

describe('signaling hub: relay fallback', () => {
  it('forwards binary frames both ways, payload unchanged', async () => {
    const { server, visitor } = await scene()
    const up = encodeRelay(visitor.session, bytes(1, 2, 3, 0, 255))
    const down = encodeRelay(visitor.session, new Uint8Array(MAX_RELAY_PAYLOAD_BYTES).fill(7))
    await visitor.say(up)
    await server.say(down)
    expect(server.binary).toEqual([up])
    expect(visitor.binary).toEqual([down])
    const decoded = decodeRelay(server.binary[0] ?? bytes())
    expect(decoded.ok && [...decoded.payload]).toEqual([1, 2, 3, 0, 255])
    expect([server.take(), visitor.take()]).toEqual([[], []])
  })

  it('refuses a frame for a session the sender is not in, and forwards nothing', async () => {
    const { server, visitor, stranger } = await scene()
    await stranger.say(encodeRelay(visitor.session, bytes(9)))
    await stranger.say(encodeRelay('NOT-A-SESSION-00', bytes(9)))
    expect(stranger.take().map(reply => reply.type === 'error' && reply.code)).toEqual(['not-your-session', 'not-your-session'])
    expect([server.binary, visitor.binary]).toEqual([[], []])
  })

  it('refuses frames after the session ended', async () => {
    const { server, visitor } = await scene()
    await visitor.say({ type: 'leave', session: visitor.session })
    await server.say(encodeRelay(visitor.session, bytes(1)))
    expect(server.take().map(reply => reply.type === 'error' ? reply.code : reply.type)).toEqual(['session-closed', 'not-your-session'])
    expect(visitor.binary).toEqual([])
  })

  it.each([
    ['empty', bytes()],
    ['a zero-length id', bytes(0, 1, 2)],
    ['cut short', bytes(16, 65, 66)],
    ['an id with a bad character', bytes(16, ...new TextEncoder().encode('AbCdEfGhIjKlMn/+'), 1)],
  ])('answers bad-message to a frame that is %s', async (_, frame) => {
    const { server, visitor, stranger } = await scene()
    await stranger.say(frame)
    expect(stranger.take()).toEqual([{ type: 'error', code: 'bad-message', message: expect.any(String) }])
    await visitor.say(encodeRelay(visitor.session, bytes(42)))
    expect(server.binary).toHaveLength(1)
  })

  it('drops an oversized frame with too-large, even from a party of the session', async () => {
    const { server, visitor } = await scene()
    const frame = new Uint8Array(MAX_SIGNAL_BYTES + 1)
    frame.set(encodeRelay(visitor.session, bytes()))
    await visitor.say(frame)
    expect(visitor.take()).toEqual([{ type: 'error', code: 'too-large', message: expect.any(String) }])
    expect(server.binary).toEqual([])
    await visitor.say(encodeRelay(visitor.session, bytes(1)))
    expect(server.binary).toHaveLength(1)
  })
})

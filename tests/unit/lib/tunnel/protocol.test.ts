import { describe, expect, it, vi } from 'vitest'
import {
  encodeFrames, FrameDecoder, FrameType, HeadSchema, INITIAL_WINDOW, MAX_FRAME_PAYLOAD, ResetCode, type Frame,
} from '../../../../shared/protocol/frames'
import { TunnelClient } from '../../../../lib/tunnel/client'
import { DEFAULT_WINDOW } from '../../../../lib/tunnel/incoming'
import { TunnelServer, type TunnelRequest } from '../../../../lib/tunnel/server'
import { createMemoryTransportPair, type MemoryTransport } from '../../../helpers/memory-transport'
import { echo } from '../../../helpers/tunnel-pair'

/** A hand-driven peer: sends whatever frames (or bytes) the test writes, records what it gets. */
function rawPeer(end: MemoryTransport) {
  const decoder = new FrameDecoder(HeadSchema)
  const received: Frame[] = []
  end.onMessage(data => received.push(...decoder.push(data)))
  return {
    received,
    send: (...frames: Frame[]) => end.send(encodeFrames(frames)),
    resets: () => received.filter(frame => frame.type === FrameType.RESET),
  }
}

const chunk = (stream: number): Frame => ({ type: FrameType.DATA, stream, data: new Uint8Array(MAX_FRAME_PAYLOAD) })
const GET: Frame = { type: FrameType.HEAD, stream: 1, head: { method: 'GET', url: '/', headers: [] } }

describe('tunnel: a peer that breaks the protocol', () => {
  it('the host grants the rest of its window when a request body starts, and not for a request without one', async () => {
    const [hostEnd, peerEnd] = createMemoryTransportPair()
    new TunnelServer(hostEnd, () => new Promise(() => {}))
    const peer = rawPeer(peerEnd)
    peer.send(GET, { type: FrameType.END, stream: 1 }, { ...GET, stream: 3 })
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(peer.received).toEqual([])
    peer.send({ type: FrameType.DATA, stream: 3, data: new Uint8Array(10) })
    await vi.waitFor(() => expect(peer.received).toEqual([{ type: FrameType.WINDOW, stream: 3, credit: DEFAULT_WINDOW - INITIAL_WINDOW }]))
  })

  it('DATA past the window resets the stream (PROTOCOL) and aborts the handler', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const [hostEnd, peerEnd] = createMemoryTransportPair()
    let request: TunnelRequest | undefined
    new TunnelServer(hostEnd, (req) => {
      request = req
      return new Promise(() => {})
    }, { window: INITIAL_WINDOW })
    const peer = rawPeer(peerEnd)
    peer.send(GET, ...Array.from({ length: INITIAL_WINDOW / MAX_FRAME_PAYLOAD + 1 }, () => chunk(1)))
    await vi.waitFor(() => expect(peer.resets()).toEqual([expect.objectContaining({ stream: 1, code: ResetCode.PROTOCOL })]))
    expect(request?.signal.aborted).toBe(true)
    warn.mockRestore()
  })

  it.each<[string, Frame[]]>([
    ['a second HEAD', [GET, GET]],
    ['DATA after END', [GET, { type: FrameType.END, stream: 1 }, chunk(1)]],
  ])('%s resets the stream (PROTOCOL)', async (_name, frames) => {
    const [hostEnd, peerEnd] = createMemoryTransportPair()
    new TunnelServer(hostEnd, () => new Promise(() => {}))
    const peer = rawPeer(peerEnd)
    peer.send(...frames)
    await vi.waitFor(() => expect(peer.resets()).toEqual([expect.objectContaining({ stream: 1, code: ResetCode.PROTOCOL })]))
  })

  it.each([
    ['an id used before', 3, false],
    ['an id below one used before', 1, false],
    ['the id of a stream that was refused', 3, true],
  ])('a HEAD on %s ends the tunnel (PROTOCOL on stream 0): ids are never reused', async (_name, reused, refuseSecond) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const [hostEnd, peerEnd] = createMemoryTransportPair()
    const server = new TunnelServer(hostEnd, echo, { maxBodyBytes: 10 })
    const peer = rawPeer(peerEnd)
    peer.send(GET, { type: FrameType.END, stream: 1 })
    // The second request is refused at its HEAD (TOO_LARGE) or served: its id is used either way.
    const second: Frame = { type: FrameType.HEAD, stream: 3, head: { method: 'POST', url: '/', headers: refuseSecond ? [['content-length', '11']] : [] } }
    peer.send(second, { type: FrameType.END, stream: 3 })
    await vi.waitFor(() => expect(peer.received.filter(frame => frame.stream === 3 && frame.type !== FrameType.HEAD).length).toBeGreaterThan(0))
    expect(server.error).toBeNull()
    peer.send({ ...GET, stream: reused })
    await vi.waitFor(() => expect(server.error?.message).toMatch(new RegExp(`HEAD on stream ${reused}, an id not above 3: stream ids are never reused`)))
    expect(peer.resets().at(-1)).toEqual(expect.objectContaining({ stream: 0, code: ResetCode.PROTOCOL }))
    expect(peerEnd.closed).toBe(true)
    warn.mockRestore()
  })

  it('ids that only grow, with gaps, are served', async () => {
    const [hostEnd, peerEnd] = createMemoryTransportPair()
    const server = new TunnelServer(hostEnd, echo)
    const peer = rawPeer(peerEnd)
    for (const id of [1, 7, 9, 101]) peer.send({ ...GET, stream: id }, { type: FrameType.END, stream: id })
    await vi.waitFor(() => expect(peer.received.filter(frame => frame.type === FrameType.END).map(frame => frame.stream)).toEqual([1, 7, 9, 101]))
    expect(server.error).toBeNull()
  })

  it('a response DATA before its HEAD fails the request with a protocol error', async () => {
    const [visitorEnd, peerEnd] = createMemoryTransportPair()
    const client = new TunnelClient(visitorEnd)
    const peer = rawPeer(peerEnd)
    const pending = client.request({ method: 'GET', url: '/', headers: [] })
    peer.send(chunk(1))
    await expect(pending).rejects.toMatchObject({ code: 'protocol' })
    await vi.waitFor(() => expect(peer.resets()).toEqual([expect.objectContaining({ stream: 1, code: ResetCode.PROTOCOL })]))
  })

  it('frames of streams nobody knows (late, after a reset) are dropped quietly', async () => {
    const [hostEnd, peerEnd] = createMemoryTransportPair()
    const server = new TunnelServer(hostEnd, echo)
    const peer = rawPeer(peerEnd)
    peer.send(chunk(7), { type: FrameType.END, stream: 7 }, { type: FrameType.WINDOW, stream: 9, credit: 5 }, { type: FrameType.RESET, stream: 11, code: 1, reason: '' })
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(peer.received).toEqual([])
    expect(server.error).toBeNull()
  })

  it('garbage closes the tunnel, telling the peer why on stream 0', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const [hostEnd, peerEnd] = createMemoryTransportPair()
    const server = new TunnelServer(hostEnd, echo)
    const peer = rawPeer(peerEnd)
    peerEnd.send(new Uint8Array([77, 0, 0, 0, 1, 0, 0, 0, 0]))
    await vi.waitFor(() => expect(server.error?.message).toMatch(/protocol error: unknown frame type 77/))
    expect(peer.resets()).toEqual([expect.objectContaining({ stream: 0, code: ResetCode.PROTOCOL })])
    expect(peerEnd.closed).toBe(true)
    warn.mockRestore()
  })

  it('a RESET of stream 0 ends the tunnel, with the peer\'s reason', async () => {
    const [visitorEnd, peerEnd] = createMemoryTransportPair()
    const client = new TunnelClient(visitorEnd)
    const peer = rawPeer(peerEnd)
    const pending = client.request({ method: 'GET', url: '/', headers: [] })
    peer.send({ type: FrameType.RESET, stream: 0, code: ResetCode.GOING_AWAY, reason: 'host shutting down' })
    await expect(pending).rejects.toThrow(/host shutting down/)
    expect(visitorEnd.closed).toBe(true)
  })
})

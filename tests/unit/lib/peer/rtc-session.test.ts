import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { connectToHost, HostRefusedError } from '../../../../lib/peer/rtc-session'
import { SignalingClient } from '../../../../lib/peer/signaling-client'
import { FakePeerConnection, FakeSignalSocket } from '../../../helpers/fake-rtc'

const SESSION = 'visitor-00000001'

beforeEach(() => {
  FakePeerConnection.reset()
  vi.stubGlobal('WebSocket', FakeSignalSocket)
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection)
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('connectToHost: a host that refuses', () => {
  it.each([
    ['busy', /as many visitors connecting at once/],
    ['timeout', /did not complete in time/],
  ] as const)('%s: rejects at once with HostRefusedError, saying why, and closes its peer connection', async (reason, text) => {
    const signaling = await SignalingClient.open('ws://signal.invalid/_ps/signal')
    const pending = connectToHost(signaling, SESSION, [], 60_000)
    const socket = FakeSignalSocket.last!
    await vi.waitFor(() => expect(socket.sent.some(m => m.type === 'signal')).toBe(true))
    socket.deliver({ type: 'signal', session: SESSION, data: { refused: reason } })
    const error: unknown = await pending.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HostRefusedError)
    expect(error).toMatchObject({ reason, message: expect.stringMatching(text) })
    const pc = FakePeerConnection.all[0]!
    expect(pc.closed).toBe(true)
    expect(pc.listeners + pc.channels[0]!.listeners).toBe(0)
  })

  it('a refusal for another session changes nothing; the channel opening resolves', async () => {
    const signaling = await SignalingClient.open('ws://signal.invalid/_ps/signal')
    const pending = connectToHost(signaling, SESSION, [], 60_000)
    const socket = FakeSignalSocket.last!
    socket.deliver({ type: 'signal', session: 'visitor-00000002', data: { refused: 'busy' } })
    await vi.waitFor(() => expect(socket.sent.some(m => m.type === 'signal')).toBe(true))
    const channel = FakePeerConnection.all[0]!.channels[0]!
    channel.readyState = 'open'
    channel.dispatchEvent(new Event('open'))
    await expect(pending).resolves.toMatchObject({ channel })
  })
})

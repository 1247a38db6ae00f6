import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startHosting, type HostSession } from '../../../../lib/host/host-session'
import { relayTransport } from '../../../../lib/peer/relay-transport'
import { encodeFrame, FrameType } from '../../../../shared/protocol/frames'
import { FakePeerConnection, FakeSignalSocket } from '../../../helpers/fake-rtc'

// The host tab paces a relayed visitor's tunnel to the rate the server gave
// in `visitor`: the real host session over a fake signaling socket, with the
// relay transport watched.

vi.mock('../../../../lib/peer/relay-transport', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../lib/peer/relay-transport')>()
  return { ...actual, relayTransport: vi.fn(actual.relayTransport) }
})

const window = encodeFrame({ type: FrameType.WINDOW, stream: 1, credit: 1 })

beforeEach(() => {
  FakePeerConnection.reset()
  vi.stubGlobal('WebSocket', FakeSignalSocket)
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection)
  vi.mocked(relayTransport).mockClear()
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('host session: relay rate', () => {
  let hosting: HostSession | undefined
  afterEach(() => hosting?.stop())

  it.each([
    ['the rate in visitor', { bytesPerSecond: 1000, burstBytes: 5000 }],
    ['none from an older server (unpaced)', undefined],
  ])('a relayed visitor\'s tunnel is paced to %s', async (_name, relay) => {
    hosting = await startHosting({ site: 'class-site', signalUrl: 'ws://signal.invalid/_ps/signal', iceServers: [], handle: async () => ({ status: 200, headers: [], body: null }) })
    const socket = FakeSignalSocket.last!
    socket.deliver(relay ? { type: 'visitor', session: 'visitor-00000001', relay } : { type: 'visitor', session: 'visitor-00000001' })
    socket.relay('visitor-00000001', window)
    expect(vi.mocked(relayTransport)).toHaveBeenCalledWith(expect.anything(), 'visitor-00000001', relay)
  })
})

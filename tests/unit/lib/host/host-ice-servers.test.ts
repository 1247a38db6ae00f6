import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startHosting, type HostSession } from '../../../../lib/host/host-session'
import { FakePeerConnection, FakeSignalSocket } from '../../../helpers/fake-rtc'

// The host's peer connection for a visitor uses the ICE servers signaling sent
// with that visitor (the session's TURN credential), else its own.

const OWN: RTCIceServer[] = [{ urls: 'stun:stun.example.org' }]
const SESSION_TURN: RTCIceServer[] = [...OWN, { urls: ['turn:127.0.0.1:3478'], username: '1767003600:AbCdEfGhIjKlMnOp', credential: 'bm90IGEgcmVhbCBvbmU=' }]

let configs: Array<RTCConfiguration | undefined> = []
beforeEach(() => {
  FakePeerConnection.reset()
  configs = []
  vi.stubGlobal('WebSocket', FakeSignalSocket)
  vi.stubGlobal('RTCPeerConnection', class extends FakePeerConnection {
    constructor(config?: RTCConfiguration) {
      super()
      configs.push(config)
    }
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('host session: ICE servers per visitor', () => {
  let hosting: HostSession | undefined
  afterEach(() => hosting?.stop())

  it('uses the session\'s ICE servers when `visitor` has them, its own when not', async () => {
    hosting = await startHosting({ site: 'class-site', signalUrl: 'ws://signal.invalid/_ps/signal', iceServers: OWN, handle: async () => ({ status: 200, headers: [], body: null }) })
    const socket = FakeSignalSocket.last!
    socket.deliver({ type: 'visitor', session: 'visitor-00000001', iceServers: SESSION_TURN })
    socket.deliver({ type: 'visitor', session: 'visitor-00000002' })
    await vi.waitFor(() => expect(configs).toHaveLength(2))
    expect(configs).toEqual([{ iceServers: SESSION_TURN }, { iceServers: OWN }])
  })
})

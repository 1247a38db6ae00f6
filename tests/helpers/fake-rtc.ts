import { decodeSignal, encodeRelay, type ClientMessage, type ServerMessage } from '../../shared/protocol/signal'

// Stand-ins for the browser's WebSocket and RTCPeerConnection, so the real
// host session (lib/host/host-session.ts, lib/peer/*) runs in Node: the test
// plays the signaling server and the visitors. Each fake counts the event
// listeners it holds, so a test can show none are left behind.

/** An EventTarget that knows how many listeners it holds now (`signal` and `once` included). */
class CountingTarget extends EventTarget {
  listeners = 0

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void {
    if (!listener) return
    const opts = typeof options === 'object' ? options : {}
    if (opts.signal?.aborted) return
    let active = true
    const release = () => {
      if (!active) return
      active = false
      this.listeners--
      opts.signal?.removeEventListener('abort', release)
    }
    const wrapped = (event: Event) => {
      if (opts.once) release()
      if (typeof listener === 'function') listener.call(this, event)
      else listener.handleEvent(event)
    }
    this.listeners++
    this.wrapped.set(listener, { wrapped, release, type })
    opts.signal?.addEventListener('abort', release)
    super.addEventListener(type, wrapped, { signal: opts.signal, once: opts.once })
  }

  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    const entry = listener ? this.wrapped.get(listener) : undefined
    if (!entry || entry.type !== type) return
    this.wrapped.delete(listener!)
    entry.release()
    super.removeEventListener(type, entry.wrapped)
  }

  private readonly wrapped = new Map<EventListenerOrEventListenerObject, { wrapped: (event: Event) => void, release: () => void, type: string }>()
}

/** A data channel the visitor opened: open at once; what the host sends is dropped. */
export class FakeDataChannel extends CountingTarget {
  binaryType: BinaryType = 'blob'
  bufferedAmount = 0
  bufferedAmountLowThreshold = 0
  readyState: RTCDataChannelState = 'open'

  constructor(readonly label: string) {
    super()
  }

  send(): void {}

  close(): void {
    if (this.readyState === 'closed') return
    this.readyState = 'closed'
    this.dispatchEvent(new Event('close'))
  }
}

/** An RTCPeerConnection that connects when the test says so. */
export class FakePeerConnection extends CountingTarget {
  static readonly all: FakePeerConnection[] = []
  connectionState: RTCPeerConnectionState = 'new'
  readonly channels: FakeDataChannel[] = []
  closed = false
  /** What getStats() reports (the test sets the selected candidate pair). */
  stats: Array<Record<string, unknown> & { id: string, type: string }> = []

  constructor() {
    super()
    FakePeerConnection.all.push(this)
  }

  async getStats(): Promise<Map<string, unknown>> {
    return new Map(this.stats.map(stat => [stat.id, stat]))
  }

  /** Report a selected candidate pair between a local and a remote candidate of these types, as Chromium does. */
  selectPair(local: string, remote: string): void {
    this.stats = [
      { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' },
      { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', nominated: true, state: 'succeeded' },
      { id: 'L1', type: 'local-candidate', candidateType: local },
      { id: 'R1', type: 'remote-candidate', candidateType: remote },
    ]
  }

  /** Gathering ends as the local description is set, with no candidates, unless a test gathers by hand (`gather`). */
  static gatherByHand = false
  iceGatheringState: RTCIceGatheringState = 'new'
  /** Candidates gathered so far, in the local description as a browser puts them. */
  readonly gathered: string[] = []
  private localType: RTCSdpType = 'offer'

  /** Remote descriptions and candidates applied, in order. */
  readonly remoteDescriptions: RTCSessionDescriptionInit[] = []
  readonly added: RTCIceCandidateInit[] = []

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescriptions.push(description)
  }
  async setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void> {
    this.localType = description?.type ?? this.localType
    if (this.iceGatheringState !== 'new') return
    this.iceGatheringState = 'gathering'
    this.dispatchEvent(new Event('icegatheringstatechange'))
    if (!FakePeerConnection.gatherByHand) this.gather(null)
  }

  /** A candidate gathered (into the local description, then its event), or, with null, the end of gathering. */
  gather(candidate: string | null): void {
    if (candidate === null) {
      this.iceGatheringState = 'complete'
      this.dispatchEvent(new Event('icegatheringstatechange'))
      this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: null }))
      return
    }
    this.gathered.push(candidate)
    this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: { toJSON: () => ({ candidate, sdpMid: '0', sdpMLineIndex: 0 }) } }))
  }
  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    this.added.push(candidate)
  }
  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: 'v=0' }
  }

  async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: 'v=0' }
  }

  get localDescription(): RTCSessionDescriptionInit {
    return { type: this.localType, sdp: ['v=0', ...this.gathered.map(candidate => `a=${candidate}`)].join('\r\n') }
  }

  /** The visitor's side: a channel that opens when the test says so. */
  createDataChannel(label: string): FakeDataChannel {
    const channel = new FakeDataChannel(label)
    channel.readyState = 'connecting'
    this.channels.push(channel)
    return channel
  }

  /** As the spec says: no connectionstatechange, and the channels close without events. */
  close(): void {
    this.closed = true
    this.connectionState = 'closed'
    for (const channel of this.channels) channel.readyState = 'closed'
  }

  /** The visitor opens a data channel labelled `label`. */
  openChannel(label = 'tunnel'): FakeDataChannel {
    const channel = new FakeDataChannel(label)
    this.channels.push(channel)
    this.dispatchEvent(Object.assign(new Event('datachannel'), { channel }))
    return channel
  }

  /** ICE failed (or the other side went). */
  fail(): void {
    this.connectionState = 'failed'
    this.dispatchEvent(new Event('connectionstatechange'))
  }

  static reset(): void {
    FakePeerConnection.all.length = 0
    FakePeerConnection.gatherByHand = false
  }
}

/** The signaling server's side of a tab's one socket (a host's registration is answered). */
export class FakeSignalSocket extends CountingTarget {
  static readonly OPEN = 1
  static last: FakeSignalSocket | null = null
  readyState = 0
  binaryType: BinaryType = 'blob'
  bufferedAmount = 0
  /** What the host sent, parsed. */
  readonly sent: ClientMessage[] = []

  constructor(readonly url: string) {
    super()
    FakeSignalSocket.last = this
    queueMicrotask(() => {
      this.readyState = FakeSignalSocket.OPEN
      this.dispatchEvent(new Event('open'))
    })
  }

  send(data: string | Uint8Array): void {
    if (typeof data !== 'string') return
    const decoded = decodeSignal(data)
    if (!decoded.ok) throw new Error(`the host sent a bad message: ${decoded.error.message}`)
    const message = decoded.message
    this.sent.push(message)
    // A task later, as from a real server: the host listens for the answer after it sends.
    if (message.type === 'host') setTimeout(() => this.deliver({ type: 'hosting', site: message.site, token: 't'.repeat(43) }), 0)
  }

  close(): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.dispatchEvent(Object.assign(new Event('close'), { code: 1000, reason: 'closed' }))
  }

  /** A message from the server. */
  deliver(message: ServerMessage): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }))
  }

  /** A relay frame from the visitor of `session`. */
  relay(session: string, payload: Uint8Array): void {
    const frame = encodeRelay(session, payload)
    this.dispatchEvent(new MessageEvent('message', { data: frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) }))
  }
}

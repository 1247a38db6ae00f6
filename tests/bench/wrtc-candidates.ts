// The bench's Node visitors gather ICE candidates as a browser does.
//
// @roamhq/wrtc runs every RTCPeerConnection of a process on one shared
// factory, and each new connection makes those still gathering gather their
// TCP candidates again, on new ports: with 33 visitors a process, a
// connection offered up to 68 candidates (avg. 14 in the lesson bench), where
// Chromium offers one per address and transport (4 on loopback: UDP and TCP,
// IPv4 and IPv6). Each extra one is a signaling message and an
// addIceCandidate on the host, which waits on Chromium's WebRTC signaling
// thread: the host of 100 such visitors spent 1.2 s of its main thread on
// them, and a connection took 3 s at p95 instead of 2. The bench measures
// the host, so its visitors offer what a browser would: the first candidate
// of each address and transport.

/** What makes a candidate the same as one gathered before: its transport, address and TCP type (not its port). */
export function candidateKey(candidate: string): string {
  // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [tcptype <t>] …
  const fields = candidate.replace(/^a=/, '').split(' ')
  const tcpType = fields.indexOf('tcptype')
  return [fields[1], fields[2]?.toLowerCase(), fields[4], fields[7], tcpType >= 0 ? fields[tcpType + 1] : ''].join(' ')
}

/** `sdp` with only the first candidate line of each key (the rest of it as it was). */
export function firstCandidates(sdp: string): string {
  const seen = new Set<string>()
  return sdp.split('\r\n').filter((line) => {
    if (!line.startsWith('a=candidate:')) return true
    const key = candidateKey(line)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  }).join('\r\n')
}

type PeerConnectionClass = new (configuration?: RTCConfiguration) => RTCPeerConnection

/**
 * `Base` (wrtc's RTCPeerConnection) where each `icecandidate` listener hears
 * only a candidate of a key it has not heard before (and the end of
 * candidates), and whose local description holds only the first of each key.
 */
export function browserLikeCandidates(Base: PeerConnectionClass): PeerConnectionClass {
  return class extends Base {
    override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
      if (!listener) return
      if (type !== 'icecandidate') return super.addEventListener(type, listener, options)
      const heard = new Set<string>()
      super.addEventListener(type, (event: Event) => {
        const candidate = (event as RTCPeerConnectionIceEvent).candidate
        if (candidate) {
          const key = candidateKey(candidate.candidate)
          if (heard.has(key)) return
          heard.add(key)
        }
        if (typeof listener === 'function') listener.call(this, event)
        else listener.handleEvent(event)
      }, options)
    }

    constructor(configuration?: RTCConfiguration) {
      super(configuration)
      // wrtc defines its descriptions on each instance, fixed (not on its prototype): read through a proxy.
      return new Proxy(this, {
        get(target, property) {
          if (property === 'localDescription') {
            const description = target.localDescription
            return description && ({ type: description.type, sdp: firstCandidates(description.sdp) } as RTCSessionDescription)
          }
          const value: unknown = Reflect.get(target, property, target)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
    }
  }
}

import { describe, expect, it } from 'vitest'
import { browserLikeCandidates, candidateKey, firstCandidates } from '../../bench/wrtc-candidates'

// Lines as @roamhq/wrtc gathered them for one of 33 connections of a process (ports differ, the rest repeats).
const UDP4 = 'candidate:1510613869 1 udp 2122194687 127.0.0.1 40963 typ host generation 0 ufrag VggO network-id 1'
const UDP6 = 'candidate:559267639 1 udp 2122267903 ::1 35169 typ host generation 0 ufrag VggO network-id 2'
const TCP4 = (port: number) => `candidate:344579997 1 tcp 1518214911 127.0.0.1 ${port} typ host tcptype passive generation 0 ufrag VggO network-id 1`
const TCP6 = (port: number) => `candidate:1876313031 1 tcp 1518288127 ::1 ${port} typ host tcptype passive generation 0 ufrag VggO network-id 2`

describe('the bench visitors\' candidates, as a browser offers them', () => {
  it('a candidate is known by component, transport, address, type and TCP type, not port', () => {
    expect(candidateKey(TCP4(55875))).toBe(candidateKey(TCP4(58633)))
    expect(candidateKey(`a=${TCP4(1)}`)).toBe(candidateKey(TCP4(2)))
    expect(new Set([UDP4, UDP6, TCP4(1), TCP6(1)].map(candidateKey)).size).toBe(4)
    expect(candidateKey('candidate:9 1 udp 1686052607 203.0.113.7 40963 typ srflx raddr 127.0.0.1 rport 40963')).not.toBe(candidateKey(UDP4))
  })

  it('the SDP keeps the first candidate of each and every other line', () => {
    const sdp = ['v=0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', `a=${UDP6}`, `a=${UDP4}`, `a=${TCP6(50081)}`, `a=${TCP4(55875)}`, `a=${TCP6(48425)}`, `a=${TCP4(58633)}`, 'a=sctp-port:5000', ''].join('\r\n')
    expect(firstCandidates(sdp)).toBe(['v=0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', `a=${UDP6}`, `a=${UDP4}`, `a=${TCP6(50081)}`, `a=${TCP4(55875)}`, 'a=sctp-port:5000', ''].join('\r\n'))
  })

  it('each icecandidate listener hears a key once, and the end of candidates; other events pass; the local description has the first of each', () => {
    class Base extends EventTarget {
      localDescription = { type: 'offer', sdp: ['v=0', `a=${TCP4(1)}`, `a=${TCP4(2)}`].join('\r\n') }
    }
    const Connection = browserLikeCandidates(Base as unknown as new () => RTCPeerConnection)
    const pc = new Connection()
    const heard: Array<string | null> = []
    const other: Array<string | null> = []
    pc.addEventListener('icecandidate', event => heard.push(event.candidate?.candidate ?? null))
    pc.addEventListener('icecandidate', { handleEvent: (event: Event) => other.push((event as RTCPeerConnectionIceEvent).candidate?.candidate ?? null) })
    let states = 0
    pc.addEventListener('icegatheringstatechange', () => states++)
    const gather = (candidate: string | null) => pc.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: candidate === null ? null : { candidate } }))
    for (const candidate of [UDP4, TCP4(1), TCP4(2), TCP4(3), UDP6, null]) gather(candidate)
    pc.dispatchEvent(new Event('icegatheringstatechange'))
    expect(heard).toEqual([UDP4, TCP4(1), UDP6, null])
    expect(other).toEqual(heard)
    expect(states).toBe(1)
    // Read as wrtc's are, from the instance: the first of each key only.
    expect(pc.localDescription).toEqual({ type: 'offer', sdp: ['v=0', `a=${TCP4(1)}`].join('\r\n') })
  })
})

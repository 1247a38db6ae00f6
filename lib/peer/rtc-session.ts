import type { SignalingClient } from './signaling-client'

/** ICE server entries as RTCPeerConnection takes them. */
export type IceServers = RTCIceServer[]

/** Name of the one data channel a visitor opens to its host. */
export const TUNNEL_CHANNEL = 'tunnel'

/**
 * Exchange SDP and ICE for one session over signaling. Candidates that
 * arrive before the remote description are queued, as addIceCandidate
 * would refuse them.
 */
function wireSignals(pc: RTCPeerConnection, signaling: SignalingClient, session: string, onOffer?: () => void): () => void {
  const early: RTCIceCandidateInit[] = []
  let described = false
  pc.addEventListener('icecandidate', (event) => {
    signaling.send({ type: 'signal', session, data: { candidate: event.candidate ? event.candidate.toJSON() : null } })
  })
  return signaling.onMessage((message) => {
    if (message.type !== 'signal' || message.session !== session) return
    const data = message.data
    if ('description' in data) {
      void pc.setRemoteDescription(data.description).then(async () => {
        described = true
        for (const candidate of early.splice(0)) await pc.addIceCandidate(candidate)
        onOffer?.()
      }).catch(error => console.warn('[rtc] remote description refused', error))
    }
    else if (data.candidate) {
      if (described) void pc.addIceCandidate(data.candidate).catch(error => console.warn('[rtc] candidate refused', error))
      else early.push(data.candidate)
    }
  })
}

/** Visitor side: offer a data channel to the host of `session`; resolves when it is open. */
export async function connectToHost(signaling: SignalingClient, session: string, iceServers: IceServers, timeoutMs = 15_000): Promise<{ pc: RTCPeerConnection, channel: RTCDataChannel }> {
  const pc = new RTCPeerConnection({ iceServers })
  const channel = pc.createDataChannel(TUNNEL_CHANNEL, { ordered: true })
  const off = wireSignals(pc, signaling, session)
  try {
    await pc.setLocalDescription(await pc.createOffer())
    const description = pc.localDescription
    if (!description) throw new Error('no local description')
    signaling.send({ type: 'signal', session, data: { description: { type: description.type, sdp: description.sdp } } })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('could not reach the host directly (ICE timed out)')), timeoutMs)
      channel.addEventListener('open', () => {
        clearTimeout(timer)
        resolve()
      }, { once: true })
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'failed') {
          clearTimeout(timer)
          reject(new Error('could not reach the host directly (ICE failed)'))
        }
      })
    })
    return { pc, channel }
  }
  catch (error) {
    pc.close()
    throw error
  }
  finally {
    off()
  }
}

/** Host side: answer the visitor of `session`; `onChannel` gets its data channel once open. */
export function acceptVisitor(signaling: SignalingClient, session: string, iceServers: IceServers, onChannel: (channel: RTCDataChannel) => void): RTCPeerConnection {
  const pc = new RTCPeerConnection({ iceServers })
  const off = wireSignals(pc, signaling, session, () => {
    void pc.createAnswer().then(async (answer) => {
      await pc.setLocalDescription(answer)
      signaling.send({ type: 'signal', session, data: { description: { type: answer.type, sdp: answer.sdp ?? '' } } })
    }).catch(error => console.warn('[rtc] could not answer', error))
  })
  pc.addEventListener('datachannel', (event) => {
    const channel = event.channel
    if (channel.label !== TUNNEL_CHANNEL) return
    off()
    if (channel.readyState === 'open') onChannel(channel)
    else channel.addEventListener('open', () => onChannel(channel), { once: true })
  })
  pc.addEventListener('connectionstatechange', () => {
    if (pc.connectionState === 'failed' || pc.connectionState === 'closed') off()
  })
  return pc
}

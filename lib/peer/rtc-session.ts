import type { SignalingClient } from './signaling-client'
import type { RefusalReason } from '../../shared/protocol/signal'

/** ICE server entries as RTCPeerConnection takes them. */
export type IceServers = RTCIceServer[]

/** Name of the one data channel a visitor opens to its host. */
export const TUNNEL_CHANNEL = 'tunnel'

/**
 * Default most data channels a visitor may open on one peer connection, of
 * any label. The visitor shell, and the benchmarks' Node visitors, open one
 * (`tunnel`); the bench's raw channel has a peer connection of its own
 * (tests/bench/tunnel.ts); the rest is room for a diagnostic channel on
 * `HostSession.peer()`. Only the first `tunnel` channel is ever served.
 */
export const DEFAULT_MAX_PEER_CHANNELS = 4

/**
 * Default time a visitor gives ICE to open its data channel before it goes
 * through the signaling server's WebSocket relay (runtime config
 * `public.relayAfterMs`). On loopback and a LAN ICE connects in well under a
 * second, through TURN in one or two; 5 s is long enough for a loaded school
 * network and short enough that a student behind a UDP-blocking firewall is
 * not left looking at "Connecting…".
 */
export const DEFAULT_RELAY_AFTER_MS = 5_000

/** What the visitor shows when the host refused its connection. */
const REFUSALS: Record<RefusalReason, string> = {
  busy: 'the host has as many visitors connecting at once as it takes',
  timeout: 'the connection to the host did not complete in time',
}

/** The host turned this visitor's connection away (`signal` with `refused`); try again later, not through the relay. */
export class HostRefusedError extends Error {
  constructor(readonly reason: RefusalReason) {
    super(REFUSALS[reason])
    this.name = 'HostRefusedError'
  }
}

/**
 * Default longest a side waits for its ICE candidates after setting its
 * description, before it sends it: those gathered by then go inside the SDP,
 * so the other side takes them in its one setRemoteDescription, without a
 * signaling message and an addIceCandidate each (Chromium's addIceCandidate
 * waits on its WebRTC signaling thread, which a class connecting at once
 * keeps busy: with 100 visitors connecting, a connection took 3.0–3.5 s at
 * p95 trickling every candidate, 2.4–2.7 s sending them inside). Any later
 * than this follow one by one (trickle ICE), so a slow STUN or TURN server
 * delays nothing more.
 */
export const DEFAULT_GATHER_WAIT_MS = 100
/**
 * The wait also ends this long after the last candidate came, when no other
 * followed. WebRTC gathers in steps: UDP host candidates at once (a
 * millisecond apart), TCP ones some 100 ms later, and gathering is complete
 * only then; waiting for that would add 100 ms to every connection, where
 * this adds a few.
 */
export const GATHER_QUIET_MS = 15

/**
 * Until `pc` has gathered all its candidates, or none came for
 * GATHER_QUIET_MS after one did (one already in its local description
 * counts); at most `ms`, or until `signal` aborts.
 */
function gathering(pc: RTCPeerConnection, ms: number, signal: AbortSignal): Promise<void> {
  if (pc.iceGatheringState === 'complete' || signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const waiting = new AbortController()
    let quiet: ReturnType<typeof setTimeout> | undefined
    const done = () => {
      clearTimeout(timer)
      clearTimeout(quiet)
      waiting.abort()
      resolve()
    }
    const heard = () => {
      clearTimeout(quiet)
      quiet = setTimeout(done, Math.min(GATHER_QUIET_MS, ms))
    }
    const timer = setTimeout(done, ms)
    if (pc.localDescription?.sdp.includes('a=candidate:')) heard()
    pc.addEventListener('icecandidate', (event) => {
      if (event.candidate) heard()
    }, { signal: waiting.signal })
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') done()
    }, { signal: waiting.signal })
    signal.addEventListener('abort', done, { signal: waiting.signal })
  })
}

/**
 * Most candidates one session applies from the other side's trickle (those
 * inside its description are bounded by the signaling message's size).
 * A browser trickles a few per network interface and transport, TURN relay
 * ones last; 50 leaves room for a laptop with many interfaces and two TURN
 * servers. A hostile peer could send thousands, and each addIceCandidate holds
 * the host tab's main thread while Chromium's WebRTC thread is busy; past the
 * limit they are dropped, with one warning.
 */
export const MAX_REMOTE_CANDIDATES = 50

/** What a side does with its own description: send it, with the candidates it gathered meanwhile. */
interface LocalSignals {
  /** Once `pc`'s local description is set: wait for its candidates (up to the gather wait), then send it; later candidates follow on their own. */
  describe(): Promise<void>
}

/**
 * Exchange SDP and ICE for one session over signaling. A side's own
 * description goes once its candidates are in it (or the gather wait is
 * over); candidates gathered after it follow one by one. Candidates that
 * arrive before the remote description are queued, as addIceCandidate
 * would refuse them. Every listener goes with `signal`.
 */
function wireSignals(pc: RTCPeerConnection, signaling: SignalingClient, session: string, signal: AbortSignal, on: { offer?: () => void, refused?: (reason: RefusalReason) => void } = {}, gatherWaitMs = DEFAULT_GATHER_WAIT_MS): LocalSignals {
  const early: RTCIceCandidateInit[] = []
  let described = false
  /** A description came: later ones are ignored (sessions never renegotiate). */
  let remoteDescribed = false
  let candidates = 0
  /** The local description has gone: candidates from now on are not in it. */
  let told = false
  pc.addEventListener('icecandidate', (event) => {
    if (told) signaling.send({ type: 'signal', session, data: { candidate: event.candidate ? event.candidate.toJSON() : null } })
  }, { signal })
  const off = signaling.onMessage((message) => {
    if (message.type !== 'signal' || message.session !== session) return
    const data = message.data
    if ('description' in data) {
      if (remoteDescribed) return console.warn(`[rtc] session ${session}: ignored a second description`)
      remoteDescribed = true
      void pc.setRemoteDescription(data.description).then(async () => {
        described = true
        for (const candidate of early.splice(0)) await pc.addIceCandidate(candidate)
        on.offer?.()
      }).catch(error => console.warn('[rtc] remote description refused', error))
    }
    else if ('refused' in data) {
      on.refused?.(data.refused)
    }
    else if (data.candidate) {
      if (++candidates > MAX_REMOTE_CANDIDATES) {
        if (candidates === MAX_REMOTE_CANDIDATES + 1) console.warn(`[rtc] session ${session}: more than ${MAX_REMOTE_CANDIDATES} candidates, the rest are ignored`)
        return
      }
      if (described) void pc.addIceCandidate(data.candidate).catch(error => console.warn('[rtc] candidate refused', error))
      else early.push(data.candidate)
    }
  })
  signal.addEventListener('abort', off, { once: true })
  return {
    async describe() {
      await gathering(pc, gatherWaitMs, signal)
      const description = pc.localDescription
      if (signal.aborted) return
      if (!description) throw new Error('no local description')
      told = true
      signaling.send({ type: 'signal', session, data: { description: { type: description.type, sdp: description.sdp } } })
    },
  }
}

/** Visitor side: offer a data channel to the host of `session`; resolves when it is open. Rejects with HostRefusedError when the host turns it away. */
export async function connectToHost(signaling: SignalingClient, session: string, iceServers: IceServers, timeoutMs = DEFAULT_RELAY_AFTER_MS, gatherWaitMs = DEFAULT_GATHER_WAIT_MS): Promise<{ pc: RTCPeerConnection, channel: RTCDataChannel }> {
  const pc = new RTCPeerConnection({ iceServers })
  const channel = pc.createDataChannel(TUNNEL_CHANNEL, { ordered: true })
  const wiring = new AbortController()
  let refuse: (error: HostRefusedError) => void = () => {}
  const refused = new Promise<never>((_resolve, reject) => {
    refuse = reject
  })
  refused.catch(() => {}) // the races below handle it; a refusal after them is nobody's concern
  const local = wireSignals(pc, signaling, session, wiring.signal, { refused: reason => refuse(new HostRefusedError(reason)) }, gatherWaitMs)
  try {
    await Promise.race([pc.setLocalDescription(await pc.createOffer()), refused])
    await Promise.race([local.describe(), refused])
    await Promise.race([refused, new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`could not reach the host directly (ICE did not connect in ${timeoutMs} ms)`)), timeoutMs)
      wiring.signal.addEventListener('abort', () => clearTimeout(timer), { once: true })
      channel.addEventListener('open', () => resolve(), { once: true, signal: wiring.signal })
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'failed') reject(new Error('could not reach the host directly (ICE failed)'))
      }, { signal: wiring.signal })
    })])
    return { pc, channel }
  }
  catch (error) {
    pc.close()
    throw error
  }
  finally {
    wiring.abort()
  }
}

/** A visitor's peer connection on the host. */
export interface AcceptedVisitor {
  pc: RTCPeerConnection
  /** Close the connection and release every listener and timer it had. */
  close(): void
}

/** What the host does with a visitor's peer connection. */
export interface AcceptOptions {
  /** The first `tunnel` data channel, once open. */
  onChannel: (channel: RTCDataChannel) => void
  /** The connection failed or closed by itself. */
  onGone?: () => void
  /** Most data channels of any label the visitor may open (default DEFAULT_MAX_PEER_CHANNELS); later ones are closed at once. */
  maxChannels?: number
  /** Longest the answer waits for this side's candidates to go inside it (default DEFAULT_GATHER_WAIT_MS). */
  gatherWaitMs?: number
}

/** Host side: answer the visitor of `session`; `onChannel` gets its tunnel channel once open. */
export function acceptVisitor(signaling: SignalingClient, session: string, iceServers: IceServers, options: AcceptOptions): AcceptedVisitor {
  const pc = new RTCPeerConnection({ iceServers })
  const maxChannels = options.maxChannels ?? DEFAULT_MAX_PEER_CHANNELS
  const listening = new AbortController()
  const signals = new AbortController()
  const { signal } = listening
  const local = wireSignals(pc, signaling, session, signals.signal, {
    offer: () => {
      void pc.createAnswer().then(async (answer) => {
        await pc.setLocalDescription(answer)
        await local.describe()
      }).catch(error => console.warn('[rtc] could not answer', error))
    },
  }, options.gatherWaitMs)
  let channels = 0
  let served = false
  pc.addEventListener('datachannel', (event) => {
    const channel = event.channel
    // Each tunnel channel would get a tunnel server, with its own streams and body budget.
    if (++channels > maxChannels || (channel.label === TUNNEL_CHANNEL && served)) {
      console.warn(`[rtc] closed data channel "${channel.label.slice(0, 64)}" of session ${session}: ${served && channel.label === TUNNEL_CHANNEL ? 'a second tunnel channel' : `over ${maxChannels} channels`}`)
      channel.close()
      return
    }
    if (channel.label !== TUNNEL_CHANNEL) return
    served = true
    signals.abort()
    if (channel.readyState === 'open') options.onChannel(channel)
    else channel.addEventListener('open', () => options.onChannel(channel), { once: true, signal })
  }, { signal })
  pc.addEventListener('connectionstatechange', () => {
    if (pc.connectionState !== 'failed' && pc.connectionState !== 'closed') return
    signals.abort()
    options.onGone?.()
  }, { signal })
  return {
    pc,
    close() {
      signals.abort()
      listening.abort()
      pc.close()
    },
  }
}

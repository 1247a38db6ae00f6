import { SignalingClient, SignalingError } from '../lib/peer/signaling-client'
import type { RelayRate } from '../shared/protocol/signal'
import { connectToHost, DEFAULT_RELAY_AFTER_MS, HostRefusedError, type IceServers } from '../lib/peer/rtc-session'
import { iceRoute, type ConnectionRoute } from '../lib/peer/ice-route'
import { TunnelClient } from '../lib/tunnel/client'
import { dataChannelTransport } from '../lib/tunnel/rtc'
import { relayTransport } from '../lib/peer/relay-transport'
import type { Transport } from '../lib/tunnel/transport'
import type { ShellState } from './status'
import { errorMessage } from '../shared/error-message'
import { FORCE_RELAY_KEY } from '../shared/storage-keys'
import { HELLO_TIMEOUT_MS, sayHello } from './visitor-key'

const RETRY_MS = 2_000
/**
 * Response bodies reach the service worker as at most one chunk per this many
 * ms while they stream: each chunk crossing threads costs this page's main
 * thread (which the site's frame shares) far more than its bytes do.
 */
const BODY_BATCH_MS = 8

/** `localStorage[FORCE_RELAY_KEY] = '1'` on a site's origin skips WebRTC (to try the relay). */
function forceRelay(): boolean {
  try {
    return localStorage.getItem(FORCE_RELAY_KEY) === '1'
  }
  catch {
    return false // Storage blocked: the default, direct connections.
  }
}

/**
 * Keeps the visitor connected to some host of the site: asks signaling for
 * a host, opens a data channel to it, and starts over when it goes away.
 */
export class HostConnection {
  private client: TunnelClient | null = null
  private waiters: Array<(client: TunnelClient) => void> = []
  private signaling: SignalingClient | null = null
  private stopped = false

  constructor(
    private readonly site: string,
    private readonly signalUrl: string,
    private readonly onState: (state: ShellState) => void,
    /** How long ICE may take before the relay carries the tunnel (runtime config `public.relayAfterMs`). */
    private readonly relayAfterMs = DEFAULT_RELAY_AFTER_MS,
  ) {}

  /** The live tunnel, waiting for one up to `timeoutMs`. */
  ready(timeoutMs: number): Promise<TunnelClient> {
    if (this.client) return Promise.resolve(this.client)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no host is online for this site')), timeoutMs)
      this.waiters.push((client) => {
        clearTimeout(timer)
        resolve(client)
      })
    })
  }

  /**
   * Connect, and keep reconnecting for as long as the page lives. When the
   * host goes away, another host of the site (a co-author's tab) is asked for
   * at once, so the visitor keeps browsing; the offline page shows only when
   * there is none.
   */
  async run(): Promise<never> {
    let hadHost = false
    while (!this.stopped) {
      const started = Date.now()
      try {
        await this.connectOnce()
        hadHost = true
        // A connection that lasted a while is followed by an immediate retry; a flapping one is not.
        if (Date.now() - started > RETRY_MS) continue
      }
      catch (error) {
        this.client = null
        if (this.stopped) break
        if (error instanceof SignalingError && error.code === 'no-host') this.onState({ kind: 'offline', reason: hadHost ? 'host-left' : 'no-host' })
        else if (error instanceof HostRefusedError) this.onState({ kind: 'offline', reason: 'busy', detail: error.message })
        else this.onState({ kind: 'offline', reason: 'error', detail: errorMessage(error) })
      }
      await new Promise(resolve => setTimeout(resolve, RETRY_MS))
    }
    // Stopped for good (removed from a lesson): nothing more to connect.
    return new Promise<never>(() => {})
  }

  /** Disconnect and stay disconnected. */
  stop(): void {
    this.stopped = true
    this.client?.close()
    this.client = null
    this.signaling?.close()
  }

  /** Whether `client` is no longer the live tunnel (its host went away). */
  lost(client: TunnelClient): boolean {
    return client !== this.client || client.error !== null
  }

  private async openSignaling(): Promise<SignalingClient> {
    if (this.signaling?.isOpen) return this.signaling
    this.signaling = await SignalingClient.open(this.signalUrl)
    return this.signaling
  }

  private async connectOnce(): Promise<void> {
    const signaling = await this.openSignaling()
    signaling.send({ type: 'visit', site: this.site })
    const visiting = await signaling.waitFor(m => (m.type === 'visiting' ? m : undefined))
    const { transport, pc } = await this.openTransport(signaling, visiting.session, visiting.iceServers, visiting.relay)
    const client = new TunnelClient(transport, { batchMs: BODY_BATCH_MS })
    await this.hello(client, visiting.session)
    this.client = client
    const route: ConnectionRoute = pc ? (await iceRoute(pc).catch(() => null)) ?? 'direct' : 'relay'
    this.onState({ kind: 'connected', route })
    for (const waiter of this.waiters.splice(0)) waiter(client)
    await new Promise<void>((resolve) => {
      const offSession = signaling.onMessage((m) => {
        if (m.type === 'session-closed' && m.session === visiting.session) finish()
      })
      const offClose = signaling.onClose(() => finish())
      const offTransport = transport.onClose(() => finish())
      pc?.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'failed' || pc.connectionState === 'closed') finish()
      })
      function finish() {
        offSession()
        offClose()
        offTransport()
        resolve()
      }
    })
    this.client = null
    client.close()
    pc?.close()
  }

  /** Prove this visitor to the host before any request, so its cookies come back; a host that cannot take it (older, or slow) serves it all the same. */
  private async hello(client: TunnelClient, session: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), HELLO_TIMEOUT_MS)
    })
    const taken = await Promise.race([sayHello(client, this.site, session).catch(() => false), late])
    clearTimeout(timer)
    if (!taken) console.info('[shell] the host did not take this visitor\'s hello: its cookies last for this connection')
  }

  /** A data channel to the host; the signaling relay when ICE cannot connect the two browsers, paced to the session's relay rate (`relay`, when the server said it). */
  private async openTransport(signaling: SignalingClient, session: string, iceServers: IceServers, relay?: RelayRate): Promise<{ transport: Transport, pc?: RTCPeerConnection }> {
    if (!forceRelay()) {
      try {
        const { pc, channel } = await connectToHost(signaling, session, iceServers, this.relayAfterMs)
        return { transport: dataChannelTransport(channel), pc }
      }
      catch (error) {
        // The host left the session: the relay would go nowhere. Ask again (maybe another host) after a pause.
        if (error instanceof HostRefusedError) throw error
        console.warn('[shell] no direct connection to the host, relaying through the server:', error)
      }
    }
    return { transport: relayTransport(signaling, session, relay) }
  }
}

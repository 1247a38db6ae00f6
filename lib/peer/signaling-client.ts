import { decodeRelay, encodeRelay, ServerMessageSchema, type ClientMessage, type ServerMessage } from '../../shared/protocol/signal'

type Listener = (message: ServerMessage) => void

/** A typed signaling connection: JSON messages validated where they arrive. */
export class SignalingClient {
  private readonly listeners = new Set<Listener>()
  private readonly closeListeners = new Set<(reason: string) => void>()
  private readonly relayListeners = new Set<(session: string, payload: Uint8Array) => void>()
  private closed = false

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', event => this.receive(event.data))
    socket.addEventListener('close', (event) => {
      this.closed = true
      for (const listener of this.closeListeners) listener(event.reason || `closed (${event.code})`)
    })
  }

  /** Open a signaling socket at `url` (ws: or wss:); rejects when it cannot connect. */
  static open(url: string, timeoutMs = 10_000): Promise<SignalingClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url)
      socket.binaryType = 'arraybuffer'
      const timer = setTimeout(() => {
        socket.close()
        reject(new Error('the signaling server did not answer'))
      }, timeoutMs)
      socket.addEventListener('open', () => {
        clearTimeout(timer)
        resolve(new SignalingClient(socket))
      }, { once: true })
      socket.addEventListener('error', () => {
        clearTimeout(timer)
        reject(new Error('cannot reach the signaling server'))
      }, { once: true })
    })
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN
  }

  /** Send one message; silently dropped once the socket has closed (the close listeners say so). */
  send(message: ClientMessage): void {
    if (this.isOpen) this.socket.send(JSON.stringify(message))
  }

  /** Bytes queued on the socket and not yet sent. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount
  }

  /** Send one relay frame of `session` (fallback when ICE fails); at most MAX_RELAY_PAYLOAD_BYTES. */
  sendRelay(session: string, payload: Uint8Array): void {
    if (!this.isOpen) throw new Error('the signaling connection is closed')
    this.socket.send(encodeRelay(session, payload) as Uint8Array<ArrayBuffer>)
  }

  /** Hand a relay frame to the listeners again (one that arrived before its listener existed). */
  replayRelay(session: string, payload: Uint8Array): void {
    for (const listener of this.relayListeners) listener(session, payload)
  }

  /** Subscribe to relay frames; returns an unsubscribe function. */
  onRelay(listener: (session: string, payload: Uint8Array) => void): () => void {
    this.relayListeners.add(listener)
    return () => this.relayListeners.delete(listener)
  }

  /** Subscribe to every valid message; returns an unsubscribe function. */
  onMessage(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Subscribe to the socket closing; returns an unsubscribe function. */
  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener)
    return () => this.closeListeners.delete(listener)
  }

  /** Wait for the first message `pick` maps to a value; an `error` message rejects with its text. */
  waitFor<T>(pick: (message: ServerMessage) => T | undefined, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer)
        off()
        offClose()
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error('the signaling server did not answer in time'))
      }, timeoutMs)
      const offClose = this.onClose((reason) => {
        done()
        reject(new Error(`signaling closed: ${reason}`))
      })
      const off = this.onMessage((message) => {
        if (message.type === 'error') {
          done()
          reject(new SignalingError(message.code, message.message))
          return
        }
        const value = pick(message)
        if (value === undefined) return
        done()
        resolve(value)
      })
    })
  }

  /** Close the socket. */
  close(): void {
    this.closed = true
    this.socket.close()
  }

  private receive(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      const relay = decodeRelay(new Uint8Array(data))
      if (!relay.ok) return console.warn('[signal] ignored a bad relay frame')
      // A snapshot: a listener added by another (a new relayed session) must not see this frame twice.
      for (const listener of [...this.relayListeners]) listener(relay.session, relay.payload)
      return
    }
    if (typeof data !== 'string') return
    let json: unknown
    try {
      json = JSON.parse(data)
    }
    catch {
      console.warn('[signal] ignored a message that is not JSON')
      return
    }
    const parsed = ServerMessageSchema.safeParse(json)
    if (!parsed.success) {
      console.warn('[signal] ignored an invalid message', parsed.error.issues[0]?.message)
      return
    }
    for (const listener of this.listeners) listener(parsed.data)
  }
}

/** An `error` reply of the signaling server, with its protocol code. */
export class SignalingError extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
    this.name = 'SignalingError'
  }
}

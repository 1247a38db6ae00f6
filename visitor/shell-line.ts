import { LineReplyIdSchema, TunnelReplyMessageSchema, type TunnelReplyMessage, type TunnelRequestMessage } from './messages'

// A shell's line to its service worker: one MessageChannel, given once
// ('ps-line'), on which the worker sends the shell requests (with an id) and
// the shell answers them (with the same id). Without it each request made a
// MessageChannel of its own, transferred its port, and went to the shell
// through Client.postMessage, which Chromium routes through the browser
// process. The worker falls back to that when it has no line for a shell (it
// was stopped and started again, or updated): the shell then offers a new one.

/** A reply from the shell as the worker takes it: null (and a warning) when it is malformed, which the visitor sees as a 504. */
export function readReply(data: unknown): TunnelReplyMessage | null {
  const reply = TunnelReplyMessageSchema.safeParse(data)
  if (!reply.success) console.warn('[sw] the shell sent a malformed reply:', reply.error.issues[0]?.message)
  return reply.success ? reply.data : null
}

/** The worker's end of one shell's line. */
export class ShellLine {
  private nextId = 0
  private readonly waiting = new Map<number, { settle: (reply: TunnelReplyMessage | null) => void, timer: ReturnType<typeof setTimeout> }>()
  private closed = false

  constructor(private readonly port: MessagePort, private readonly onClose: () => void = () => {}) {
    port.onmessage = (event: MessageEvent<unknown>) => this.receive(event.data)
    // Chromium tells a port that its other end went away (the shell's page closed).
    port.addEventListener('close', () => this.close())
  }

  /** Whether the line is still usable. */
  get open(): boolean {
    return !this.closed
  }

  /** Send `message` (its body transferred); null when no reply came in `timeoutMs`, the reply was malformed, or the line closed. */
  ask(message: TunnelRequestMessage, timeoutMs: number): Promise<TunnelReplyMessage | null> {
    if (this.closed) return Promise.resolve(null)
    const id = this.nextId++
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, null), timeoutMs)
      this.waiting.set(id, { settle: resolve, timer })
      this.port.postMessage({ ...message, id } satisfies TunnelRequestMessage, message.body ? [message.body] : [])
    })
  }

  /** Close the line; requests waiting on it get null. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.port.onmessage = null
    this.port.close()
    for (const id of [...this.waiting.keys()]) this.settle(id, null)
    this.onClose()
  }

  private receive(data: unknown): void {
    const named = LineReplyIdSchema.safeParse(data)
    if (!named.success) return console.warn('[sw] ignored a message on a shell\'s line that names no request')
    this.settle(named.data.id, readReply(data))
  }

  private settle(id: number, reply: TunnelReplyMessage | null): void {
    const waiting = this.waiting.get(id)
    if (!waiting) return
    this.waiting.delete(id)
    clearTimeout(waiting.timer)
    waiting.settle(reply)
  }
}

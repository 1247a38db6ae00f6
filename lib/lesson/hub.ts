import { encodeLessonEvent, LESSON_PATH, LessonHelloSchema, LessonReportSchema, type LessonEvent, type LessonReport } from '../../shared/protocol/lesson'
import type { VRequest, VResponse } from '../vserver/types'

/** A visitor with its live channel open: what the roster shows. */
export interface LessonVisitor {
  session: string
  /** Kept by the visitor's shell across reloads and hosts. */
  id: string
  name: string
  path: string
  since: number
  leading: boolean
}

/** What the hub needs from the studio. */
export interface LessonHubOptions {
  /** The key that lets a visitor (the teacher's own preview) lead; empty: no one leads. */
  leadKey: () => string
  /** The leader moved, or left (null): followers on every host must hear it (the studio writes it to the site document). */
  onLead: (report: LessonReport | null) => void
  /** Visitors removed by the teacher stay out, by id. */
  isRemoved: (id: string) => boolean
  now?: () => number
}

const encoder = new TextEncoder()

function json(status: number, body: unknown): VResponse {
  return { status, headers: [['content-type', 'application/json'], ['cache-control', 'no-store']], body: encoder.encode(JSON.stringify(body)) }
}

/**
 * The host's end of the live channels: one event stream per visitor shell,
 * for live reload, follow mode and the roster. The shell opens it through the
 * tunnel at `/_ps/lesson`; these requests never reach the site's own routes.
 */
export class LessonHub {
  private readonly streams = new Map<string, { visitor: LessonVisitor, controller: ReadableStreamDefaultController<Uint8Array> }>()
  private readonly listeners = new Set<() => void>()
  private leader: LessonReport | null = null
  private readonly now: () => number

  constructor(private readonly options: LessonHubOptions) {
    this.now = options.now ?? Date.now
  }

  /** The response to a live-channel request from `session`, or null when the request is for the site. */
  handle(request: VRequest, session: string): VResponse | null {
    const url = new URL(request.url, 'http://site.invalid')
    if (url.pathname !== LESSON_PATH) return null
    if (request.method === 'GET') return this.open(url.searchParams, session)
    if (request.method === 'POST') return this.report(request.body, session)
    return json(405, { error: 'the live channel takes GET and POST' })
  }

  /** Tell every visitor (followers filter `navigate` themselves; the leader is left out of its own moves). */
  broadcast(event: LessonEvent): void {
    for (const { visitor } of this.streams.values()) {
      if (event.type === 'navigate' && visitor.leading) continue
      this.send(visitor.session, event)
    }
  }

  /** The lesson's leader moved (here or on another author's host): followers hear it. */
  lead(report: LessonReport | null): void {
    const started = !this.leader && report
    this.leader = report
    if (started) for (const { visitor } of this.streams.values()) this.send(visitor.session, { type: 'hello', leading: visitor.leading, lesson: true })
    if (report) this.broadcast({ type: 'navigate', ...report })
  }

  /** Tell a visitor it was removed and end its channel; false when it has none. */
  remove(session: string): boolean {
    const entry = this.streams.get(session)
    if (!entry) return false
    this.send(session, { type: 'removed' })
    this.forget(session)
    return true
  }

  /** The visitor's peer went away. */
  forget(session: string): void {
    const entry = this.streams.get(session)
    if (!entry) return
    this.streams.delete(session)
    if (entry.visitor.leading) this.options.onLead(null)
    try {
      entry.controller.close()
    }
    catch {
      // Already closed by the reader's cancel: nothing more to end.
    }
    this.changed()
  }

  /** Everyone with a live channel, oldest first. */
  visitors(): LessonVisitor[] {
    return [...this.streams.values()].map(({ visitor }) => ({ ...visitor }))
  }

  /** Hear roster changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private open(query: URLSearchParams, session: string): VResponse {
    const hello = LessonHelloSchema.safeParse(Object.fromEntries(query))
    if (!hello.success) return json(400, { error: `bad live-channel request: ${hello.error.issues[0]?.message ?? 'invalid'}` })
    const { id, name, lead } = hello.data
    if (this.options.isRemoved(id)) return json(403, { error: 'removed from this lesson' })
    const key = this.options.leadKey()
    const visitor: LessonVisitor = { session, id, name: name.trim(), path: '/', since: this.now(), leading: key !== '' && lead === key }
    this.forget(session)
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.streams.set(session, { visitor, controller })
        this.send(session, { type: 'hello', leading: visitor.leading, lesson: visitor.leading || this.leader !== null })
        if (this.leader && !visitor.leading) this.send(session, { type: 'navigate', ...this.leader })
        this.changed()
      },
      cancel: () => this.forget(session),
    })
    return { status: 200, headers: [['content-type', 'text/event-stream'], ['cache-control', 'no-store']], body }
  }

  private report(body: Uint8Array | null, session: string): VResponse {
    const entry = this.streams.get(session)
    if (!entry) return json(409, { error: 'open the live channel first' })
    let raw: unknown
    try {
      raw = JSON.parse(new TextDecoder().decode(body ?? new Uint8Array(0)))
    }
    catch {
      return json(400, { error: 'the report is not JSON' })
    }
    const report = LessonReportSchema.safeParse(raw)
    if (!report.success) return json(400, { error: `bad report: ${report.error.issues[0]?.message ?? 'invalid'}` })
    if (entry.visitor.path !== report.data.path) {
      entry.visitor.path = report.data.path
      this.changed()
    }
    if (entry.visitor.leading) this.options.onLead(report.data)
    return { status: 204, headers: [], body: null }
  }

  private send(session: string, event: LessonEvent): void {
    const entry = this.streams.get(session)
    if (!entry) return
    try {
      entry.controller.enqueue(encoder.encode(encodeLessonEvent(event)))
    }
    catch {
      // The stream ended under us (the visitor left): drop it.
      this.forget(session)
    }
  }

  private changed(): void {
    for (const listener of this.listeners) listener()
  }
}

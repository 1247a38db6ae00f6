import { randomUUID } from 'node:crypto'
import { decodeLessonEvents, LESSON_PATH, type LessonEvent } from '../../shared/protocol/lesson'
import type { TunnelClient } from '../../lib/tunnel/client'
import type { FollowRecord, VisitorReport } from './lesson-messages.ts'
import { errorMessage } from '../../shared/error-message'

// A Node visitor's live channel, as the visitor shell keeps it
// (visitor/lesson/channel.ts): `GET /_ps/lesson?id=&name=` read for as long as the visit
// lasts, `POST /_ps/lesson` after each page, and on `reload` a fresh GET of the
// named stylesheets the current page links (what the shell's swap fetches).

/** Current time as epoch ms, comparable across processes (Node's and Chromium's time origins are both epoch-based). */
export function epochMs(): number {
  return performance.timeOrigin + performance.now()
}


/** A save the bench announced: the stylesheet that will hold `marker`, and the record being filled. */
interface Due {
  css: string
  marker: string
  record: FollowRecord
  /** Settle the record (once): a failure, or null and the ms the stylesheet came back. */
  finish: (failure: string | null, refreshedAt?: number) => void
}

export class LessonFollower {
  /** Resolves with null once the host answered the GET with 200, or with what went wrong. */
  readonly opened: Promise<string | null>
  private stylesheets: string[] = []
  private due: Due | null = null
  private stray = 0
  private closed = false

  constructor(private readonly visitor: number, private readonly client: TunnelClient) {
    this.opened = this.open().catch((error: unknown) => `visitor ${visitor} live channel: ${errorMessage(error)}`)
  }

  /** The visitor is on `page`, which links `stylesheets`: tell the host, as the shell does on each load. Counted in `report`. */
  async at(page: string, stylesheets: string[], report: VisitorReport): Promise<void> {
    this.stylesheets = stylesheets
    if (await this.opened) return
    try {
      const body = new TextEncoder().encode(JSON.stringify({ path: page, scroll: 0 }))
      const response = await this.client.request({ method: 'POST', url: LESSON_PATH, headers: [['content-type', 'application/json']] }, body)
      await response.body.cancel()
      if (response.head.status === 204) report.liveReports++
      else report.failures.push(`visitor ${this.visitor} POST ${LESSON_PATH}: status ${response.head.status}`)
    }
    catch (error) {
      report.failures.push(`visitor ${this.visitor} POST ${LESSON_PATH}: ${errorMessage(error)}`)
    }
  }

  /** A save is due: its `reload` event, then `css` fetched again holding `marker`; the record after both, or after `timeoutMs`. */
  expect(save: number, css: string, marker: string, timeoutMs: number): Promise<FollowRecord> {
    const record: FollowRecord = { visitor: this.visitor, save, reloadAt: null, refreshedAt: null, stray: this.stray, failure: null }
    this.stray = 0
    return new Promise((resolve) => {
      let settled = false
      const finish = (failure: string | null, refreshedAt?: number) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (this.due?.record === record) this.due = null
        record.failure = failure && `visitor ${this.visitor} save ${save}: ${failure}`
        record.refreshedAt = refreshedAt ?? null
        resolve(record)
      }
      this.due = { css, marker, record, finish }
      const timer = setTimeout(() => finish(record.reloadAt === null ? 'no reload event' : `${css} not fetched again in time`), timeoutMs)
    })
  }

  close(): void {
    this.closed = true
  }

  private async open(): Promise<null> {
    const query = new URLSearchParams({ id: randomUUID(), name: `Student ${this.visitor + 1}` })
    const response = await this.client.request({ method: 'GET', url: `${LESSON_PATH}?${query}`, headers: [['accept', 'text/event-stream']] })
    if (response.head.status !== 200) {
      await response.body.cancel()
      throw new Error(`the host answered ${response.head.status}`)
    }
    this.read(response.body).catch((error: unknown) => {
      if (!this.closed) console.error(`[lesson] visitor ${this.visitor}: live channel broke: ${errorMessage(error)}`)
    })
    return null
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader()
    const decoder = new TextDecoder()
    let rest = ''
    for (;;) {
      const { done, value } = await reader.read()
      const at = epochMs()
      if (done) return
      const decoded = decodeLessonEvents(rest + decoder.decode(value, { stream: true }))
      rest = decoded.rest
      for (const event of decoded.events) this.handle(event, at)
    }
  }

  private handle(event: LessonEvent, at: number): void {
    // `hello` and `navigate` only matter in a lesson someone leads; no one leads here.
    if (event.type !== 'reload') return
    const due = this.due
    if (!due || due.record.reloadAt !== null) {
      this.stray++
      return
    }
    due.record.reloadAt = at
    if (event.page) return due.finish('a page reload where a stylesheet swap was due')
    const sheets = event.css.filter(path => this.stylesheets.includes(path))
    if (!sheets.includes(due.css)) return due.finish(`the reload named ${event.css.join(', ') || 'nothing'}, not the page's ${due.css}`)
    this.refresh(sheets, due).then(
      text => (text.includes(due.marker) ? due.finish(null, epochMs()) : due.finish(`${due.css} came back without the saved text`)),
      (error: unknown) => due.finish(errorMessage(error)),
    )
  }

  /** GET the sheets again with a fresh query, as the shell's swap does; the text of `due.css`. */
  private async refresh(sheets: string[], due: Due): Promise<string> {
    const texts = await Promise.all(sheets.map(async (path) => {
      const response = await this.client.request({ method: 'GET', url: `${path}?ps-v=${Date.now()}`, headers: [['accept', 'text/css,*/*;q=0.1']] })
      const text = await new Response(response.body).text()
      if (response.head.status !== 200) throw new Error(`GET ${path}: status ${response.head.status}`)
      return text
    }))
    return texts[sheets.indexOf(due.css)] ?? ''
  }
}

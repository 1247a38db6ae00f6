import type { RequestLogEntry } from '../host/serve-tunnel'
import { shortSession } from './visitors'

/** A line of the studio's request log (the host store's `HostLogLine`): a served request or a note, with its time. */
export type StudioLogLine = (RequestLogEntry | { note: string }) & { at: number }

/** The colour family of an HTTP status, for the log's status column. */
export type StatusTone = 'ok' | 'redirect' | 'client-error' | 'server-error' | 'other'

const pad = (n: number) => String(n).padStart(2, '0')

/** The local time of `at` as HH:MM:SS. */
export function formatClock(at: number): string {
  const date = new Date(at)
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

/** 2xx ok, 3xx redirect, 4xx client-error, 5xx server-error, anything else other. */
export function statusTone(status: number): StatusTone {
  if (status >= 200 && status < 300) return 'ok'
  if (status >= 300 && status < 400) return 'redirect'
  if (status >= 400 && status < 500) return 'client-error'
  if (status >= 500 && status < 600) return 'server-error'
  return 'other'
}

/** The path (and query) of a request URL, which may be absolute or already a path. */
export function requestPath(url: string): string {
  if (url.startsWith('/')) return url
  const parsed = URL.canParse(url) ? new URL(url) : null
  return parsed ? `${parsed.pathname}${parsed.search}` : url
}

/**
 * Keep the lines whose path, method, status or note text contains `query`
 * (case-insensitive); an empty query keeps the same array.
 */
export function filterLog<T extends StudioLogLine>(lines: readonly T[], query: string): readonly T[] {
  const needle = query.trim().toLowerCase()
  if (!needle) return lines
  return lines.filter((line) => {
    if ('note' in line) return line.note.toLowerCase().includes(needle)
    return requestPath(line.url).toLowerCase().includes(needle)
      || line.method.toLowerCase().includes(needle)
      || String(line.status).includes(needle)
  })
}

/** One rendered row of the log: the view of a line, precomputed so the template stays simple. */
export type LogRow = { index: number, time: string } & (
  | { kind: 'note', text: string, oneLine: string }
  | { kind: 'request', visitor: string, method: string, path: string, status: number, tone: StatusTone, ms: number }
)

/** The row for `line` at `index`; a note is also flattened to one line (newlines shown as ⏎) for a fixed row height. */
export function toLogRow(line: StudioLogLine, index: number): LogRow {
  const time = formatClock(line.at)
  if ('note' in line) return { index, time, kind: 'note', text: line.note, oneLine: line.note.trim().replace(/\s*\n\s*/g, ' ⏎ ') }
  return {
    index,
    time,
    kind: 'request',
    visitor: shortSession(line.visitor),
    method: line.method,
    path: requestPath(line.url),
    status: line.status,
    tone: statusTone(line.status),
    ms: line.ms,
  }
}

/** Lines the studio's log keeps (its list is virtualised, so thousands stay fast). */
export const LOG_LIMIT = 10_000
/** How often new log lines reach the screen: serving must not wait on rendering (4 times a second still reads as live). */
export const LOG_BATCH_MS = 250

/**
 * Gather log lines and hand them over newest first, at most once per
 * `LOG_BATCH_MS`, to `flush` (which prepends them to the shown log, cut
 * to LOG_LIMIT). Returns the function that adds a line.
 */
export function createLogBatcher(
  flush: (newestFirst: StudioLogLine[]) => void,
  clock: { now(): number, setTimeout(callback: () => void, ms: number): unknown } = { now: Date.now, setTimeout: (callback, ms) => setTimeout(callback, ms) },
): (entry: RequestLogEntry | { note: string }) => void {
  let pending: StudioLogLine[] = []
  return (entry) => {
    if (pending.length === 0) {
      clock.setTimeout(() => {
        const lines = pending.reverse()
        pending = []
        flush(lines)
      }, LOG_BATCH_MS)
    }
    pending.push({ ...entry, at: clock.now() })
    if (pending.length > LOG_LIMIT) pending.shift()
  }
}

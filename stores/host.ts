import { defineStore } from 'pinia'
import type { ConnectedVisitor } from '../lib/host/host-session'
import type { LessonVisitor } from '../lib/lesson/hub'
import type { RequestLogEntry } from '../lib/host/serve-tunnel'
import type { VisitorInfo } from '../lib/studio/visitors'

// The log keeps this many lines (the studio's list is virtualised, so thousands stay fast).
const LOG_LIMIT = 10_000
const LOG_BATCH_MS = 100

/** A line of the host's request log: a served request, or a note for the author (handler output, errors). */
export type HostLogLine = (RequestLogEntry | { note: string }) & { at: number }

/** UI state of the host page: serialisable only (the tunnel and peers live in useHost). */
export const useHostStore = defineStore('host', () => {
  const status = ref<'starting' | 'syncing' | 'serving' | 'refused' | 'disconnected'>('starting')
  const problem = ref('')
  /** The site's join code for a lesson, once registered. */
  const code = ref<string | null>(null)
  const visitors = ref<VisitorInfo[]>([])
  const log = shallowRef<HostLogLine[]>([])
  let pending: HostLogLine[] = []

  // Serving must not wait on rendering: entries are batched into one update per 100 ms.
  function addLog(entry: RequestLogEntry | { note: string }) {
    if (pending.length === 0) {
      setTimeout(() => {
        log.value = [...pending.reverse(), ...log.value].slice(0, LOG_LIMIT)
        pending = []
      }, LOG_BATCH_MS)
    }
    pending.push({ ...entry, at: Date.now() })
    if (pending.length > LOG_LIMIT) pending.shift()
    if (!('note' in entry)) countRequest(entry)
  }

  function clearLog() {
    log.value = []
  }

  /** The connected visitors changed: keep what we know of those who stay. */
  function setVisitors(list: ConnectedVisitor[]) {
    const known = new Map(visitors.value.map(visitor => [visitor.session, visitor]))
    visitors.value = list.map(({ session, relayed }) => ({ ...(known.get(session) ?? { session, since: Date.now(), requests: 0 }), relayed }))
    setLive(liveVisitors)
  }

  /** What the visitors' live channels say: names, the page each is on, who leads. */
  function setLive(list: LessonVisitor[]) {
    const bySession = new Map(list.map(live => [live.session, live]))
    visitors.value = visitors.value.map((visitor) => {
      const live = bySession.get(visitor.session)
      return live ? { ...visitor, name: live.name || undefined, id: live.id, lastPath: live.path, leading: live.leading } : visitor
    })
  }

  function countRequest(entry: RequestLogEntry) {
    const visitor = visitors.value.find(candidate => candidate.session === entry.visitor)
    if (!visitor) return
    visitor.requests++
    if (!visitor.id) visitor.lastPath = entry.url
  }

  let liveVisitors: LessonVisitor[] = []
  function updateLive(list: LessonVisitor[]) {
    liveVisitors = list
    setLive(list)
  }

  return { status, problem, code, visitors, log, addLog, clearLog, setVisitors, setLive: updateLive }
})

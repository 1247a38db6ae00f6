import { defineStore } from 'pinia'
import type { RequestLogEntry } from '../lib/host/serve-tunnel'

const LOG_LIMIT = 500

/** A line of the host's request log: a served request, or a note for the author (handler output, errors). */
export type HostLogLine = (RequestLogEntry | { note: string }) & { at: number }
const LOG_BATCH_MS = 100

/** UI state of the host page: serialisable only (the tunnel and peers live in useHost). */
export const useHostStore = defineStore('host', () => {
  const status = ref<'starting' | 'serving' | 'refused' | 'disconnected'>('starting')
  const problem = ref('')
  const visitors = ref<string[]>([])
  const log = shallowRef<HostLogLine[]>([])
  let pending: HostLogLine[] = []
  const timeLimitSeconds = ref(5)

  // Serving must not wait on rendering: entries are batched into one update per frame.
  function addLog(entry: RequestLogEntry | { note: string }) {
    if (pending.length === 0) {
      setTimeout(() => {
        log.value = [...pending.reverse(), ...log.value].slice(0, LOG_LIMIT)
        pending = []
      }, LOG_BATCH_MS)
    }
    pending.push({ ...entry, at: Date.now() })
    if (pending.length > LOG_LIMIT) pending.shift()
  }

  return { status, problem, visitors, log, addLog, timeLimitSeconds }
})

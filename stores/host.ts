import { defineStore } from 'pinia'
import type { RequestLogEntry } from '../lib/host/serve-tunnel'

const LOG_LIMIT = 500
const LOG_BATCH_MS = 100

/** UI state of the host page: serialisable only (the tunnel and peers live in useHost). */
export const useHostStore = defineStore('host', () => {
  const status = ref<'starting' | 'serving' | 'refused' | 'disconnected'>('starting')
  const problem = ref('')
  const visitors = ref<string[]>([])
  const log = shallowRef<Array<RequestLogEntry & { at: number }>>([])
  let pending: Array<RequestLogEntry & { at: number }> = []

  // Serving must not wait on rendering: entries are batched into one update per frame.
  function addLog(entry: RequestLogEntry) {
    if (pending.length === 0) {
      setTimeout(() => {
        log.value = [...pending.reverse(), ...log.value].slice(0, LOG_LIMIT)
        pending = []
      }, LOG_BATCH_MS)
    }
    pending.push({ ...entry, at: Date.now() })
    if (pending.length > LOG_LIMIT) pending.shift()
  }

  return { status, problem, visitors, log, addLog }
})

import { defineStore } from 'pinia'
import type { RequestLogEntry } from '../lib/host/serve-tunnel'

const LOG_LIMIT = 500

/** UI state of the host page: serialisable only (the tunnel and peers live in useHost). */
export const useHostStore = defineStore('host', () => {
  const status = ref<'starting' | 'serving' | 'refused' | 'disconnected'>('starting')
  const problem = ref('')
  const visitors = ref<string[]>([])
  const log = ref<Array<RequestLogEntry & { at: number }>>([])

  function addLog(entry: RequestLogEntry) {
    log.value.unshift({ ...entry, at: Date.now() })
    if (log.value.length > LOG_LIMIT) log.value.length = LOG_LIMIT
  }

  return { status, problem, visitors, log, addLog }
})

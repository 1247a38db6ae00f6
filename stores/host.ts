import { defineStore } from 'pinia'
import type { HostStatus } from '../lib/host/runtime'
import { createLogBatcher, LOG_LIMIT, type StudioLogLine } from '../lib/studio/request-log'
import type { VisitorInfo } from '../lib/studio/visitors'

/** A line of the host's request log: a served request, or a note for the author (handler output, errors). */
export type HostLogLine = StudioLogLine

/** UI state of the host page: serialisable only (the runtime, tunnel and peers live in lib/host/runtime.ts). */
export const useHostStore = defineStore('host', () => {
  const status = ref<HostStatus>('starting')
  const problem = ref('')
  /** The site's join code for a lesson, once registered. */
  const code = ref<string | null>(null)
  const visitors = ref<VisitorInfo[]>([])
  const log = shallowRef<HostLogLine[]>([])
  const addLog = createLogBatcher((lines) => {
    log.value = [...lines, ...log.value].slice(0, LOG_LIMIT)
  })

  function clearLog() {
    log.value = []
  }

  return { status, problem, code, visitors, log, addLog, clearLog }
})

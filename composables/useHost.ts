import { createDatabase } from '../lib/vserver/db'
import { createWorkerServer } from '../lib/worker/pool'
import { randomId } from '../lib/vserver/crypto'
import { startHosting, type HostSession } from '../lib/host/host-session'
import type { SiteDoc } from '../lib/site'
import type { IceServers } from '../lib/peer/rtc-session'
import { useHostStore } from '../stores/host'

function tokenKey(site: string) {
  return `peerserver:owner-token:${site}`
}

/** Whether this browser holds the owner token of `site` (it created the site, or imported its token). */
export function ownsSite(site: string): boolean {
  return localStorage.getItem(tokenKey(site)) !== null
}

/** Serve `name` from this tab: register with signaling and answer its visitors from the site document. */
export function useHost(name: string, site: SiteDoc, iceServers: IceServers) {
  const store = useHostStore()
  let session: HostSession | null = null
  let disposed = false
  const db = markRaw(createDatabase(site.documents))

  // Static files are answered here; routes run in a dedicated worker with a
  // time limit, so an endless loop cannot freeze this page. Files, database
  // and sessions stay on the page and outlive a replaced worker.
  const server = markRaw(createWorkerServer({
    files: site.files,
    db,
    sessions: site.sessions,
    secret: site.settings.sessionSecret(() => randomId(32)),
    timeoutMs: site.settings.timeLimitSeconds * 1000,
    createWorker: () => new Worker(new URL('../lib/worker/entry.ts', import.meta.url), { type: 'module' }),
    warn: (message, error) => store.addLog({ note: error ? `${message}: ${error.message}` : message }),
    log: (entry) => {
      for (const line of entry.console) store.addLog({ note: `${entry.method} ${entry.url} console.${line.level}: ${line.text}` })
      if (entry.error) {
        const where = entry.error.file ? ` (${entry.error.file}${entry.error.line ? `:${entry.error.line}` : ''})` : ''
        store.addLog({ note: `${entry.method} ${entry.url} → ${entry.status}: ${entry.error.message}${where}` })
      }
    },
  }))
  const stopSettings = site.settings.onChange(() => server.setTimeoutMs(site.settings.timeLimitSeconds * 1000))

  /** Register the name with signaling and serve every visitor that arrives. */
  async function start() {
    const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
    try {
      session = await startHosting({
        site: name,
        signalUrl: `${protocol}//${location.host}/_ps/signal`,
        token: localStorage.getItem(tokenKey(name)) ?? undefined,
        iceServers,
        handle: request => server.handle(request),
        onLog: entry => store.addLog(entry),
        onVisitors: list => store.setVisitors(list),
        onClose: () => { store.status = 'disconnected' },
      })
      if (disposed) return session.stop()
      localStorage.setItem(tokenKey(name), session.token)
      store.status = 'serving'
    }
    catch (error) {
      store.status = 'refused'
      store.problem = error instanceof Error ? error.message : String(error)
    }
  }

  onScopeDispose(() => {
    disposed = true
    stopSettings()
    session?.stop()
    server.destroy()
  })

  return { db, start }
}

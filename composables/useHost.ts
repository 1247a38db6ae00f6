import { MemoryFileStore } from '../lib/vserver/memory-files'
import { createDatabase, MemoryDocumentStore } from '../lib/vserver/db'
import { MemorySessionStore } from '../lib/vserver/event'
import { createWorkerServer } from '../lib/worker/pool'
import { randomId } from '../lib/vserver/crypto'
import { startHosting, type HostSession } from '../lib/host/host-session'
import { loadTemplate } from '../lib/host/template'
import { useHostStore } from '../stores/host'

const HELLO = '<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>Hello</title></head>\n<body>\n<h1>Hello, world.</h1>\n</body>\n</html>\n'

function tokenKey(site: string) {
  return `peerserver:owner-token:${site}`
}

/** The secret that signs this site's session cookies, kept in the author's browser. */
function sessionSecret(site: string): string {
  const key = `peerserver:session-secret:${site}`
  const secret = localStorage.getItem(key) ?? randomId(32)
  localStorage.setItem(key, secret)
  return secret
}

/** Serve `site` from this tab: its files, registration with signaling, and its visitors. */
export function useHost(site: string) {
  const store = useHostStore()
  const limitKey = `peerserver:time-limit:${site}`
  store.timeLimitSeconds = Number(localStorage.getItem(limitKey)) || 5
  const files = markRaw(new MemoryFileStore())
  const config = useRuntimeConfig()
  let session: HostSession | null = null
  let disposed = false

  // Static files are answered here; routes run in a dedicated worker with a
  // time limit, so an endless loop cannot freeze this page. Files, database
  // and sessions stay on the page and outlive a replaced worker.
  const server = markRaw(createWorkerServer({
    files,
    db: createDatabase(new MemoryDocumentStore()),
    sessions: new MemorySessionStore(),
    secret: sessionSecret(site),
    timeoutMs: store.timeLimitSeconds * 1000,
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

  /** Start serving: the site begins as `template` from the gallery, or as "Hello, world.". */
  async function start(template?: string) {
    try {
      if (template) await loadTemplate(template, files)
      else await files.write('public/index.html', HELLO)
    }
    catch (error) {
      store.status = 'refused'
      store.problem = error instanceof Error ? error.message : String(error)
      return
    }
    const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
    try {
      session = await startHosting({
        site,
        signalUrl: `${protocol}//${location.host}/_ps/signal`,
        token: localStorage.getItem(tokenKey(site)) ?? undefined,
        iceServers: config.public.iceServers,
        handle: request => server.handle(request),
        onLog: entry => store.addLog(entry),
        onVisitors: (list) => { store.visitors = list },
        onClose: () => { store.status = 'disconnected' },
      })
      if (disposed) return session.stop()
      localStorage.setItem(tokenKey(site), session.token)
      store.status = 'serving'
    }
    catch (error) {
      store.status = 'refused'
      store.problem = error instanceof Error ? error.message : String(error)
    }
  }

  watch(() => store.timeLimitSeconds, (seconds) => {
    if (!Number.isFinite(seconds) || seconds <= 0) return
    server.setTimeoutMs(seconds * 1000)
    localStorage.setItem(limitKey, String(seconds))
  })

  onScopeDispose(() => {
    disposed = true
    session?.stop()
    server.destroy()
  })

  return { files, start }
}

import { MemoryFileStore } from '../lib/vserver/memory-files'
import { createVirtualServer } from '../lib/vserver/app'
import { createDatabase, MemoryDocumentStore } from '../lib/vserver/db'
import { createViewRenderer } from '../lib/vserver/views'
import { randomId } from '../lib/vserver/crypto'
import { startHosting, type HostSession } from '../lib/host/host-session'
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
  const files = markRaw(new MemoryFileStore())
  const config = useRuntimeConfig()
  let session: HostSession | null = null
  let disposed = false

  // Handlers run on this page for now; the Worker sandbox comes with the virtual-server issue.
  const server = markRaw(createVirtualServer({
    files,
    db: createDatabase(new MemoryDocumentStore()),
    views: createViewRenderer(files),
    secret: sessionSecret(site),
    log: (entry) => {
      for (const line of entry.console) store.addLog({ note: `${entry.method} ${entry.url} console.${line.level}: ${line.text}` })
      if (entry.error) {
        const where = entry.error.file ? ` (${entry.error.file}${entry.error.line ? `:${entry.error.line}` : ''})` : ''
        store.addLog({ note: `${entry.method} ${entry.url} → ${entry.status}: ${entry.error.message}${where}` })
      }
    },
  }))

  async function start() {
    await files.write('public/index.html', HELLO)
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

  onScopeDispose(() => {
    disposed = true
    session?.stop()
  })

  return { files, start }
}

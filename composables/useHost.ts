import { MemoryFileStore } from '../lib/vserver/memory-files'
import { serveStatic, notFound } from '../lib/vserver/static'
import { startHosting, type HostSession } from '../lib/host/host-session'
import type { VRequest, VResponse } from '../lib/vserver/types'
import { useHostStore } from '../stores/host'

const HELLO = '<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>Hello</title></head>\n<body>\n<h1>Hello, world.</h1>\n</body>\n</html>\n'

function tokenKey(site: string) {
  return `peerserver:owner-token:${site}`
}

/** Serve `site` from this tab: its files, registration with signaling, and its visitors. */
export function useHost(site: string) {
  const store = useHostStore()
  const files = markRaw(new MemoryFileStore())
  const config = useRuntimeConfig()
  let session: HostSession | null = null
  let disposed = false

  async function handle(request: VRequest): Promise<VResponse> {
    return (await serveStatic(files, request)) ?? notFound(files, request)
  }

  async function start() {
    await files.write('public/index.html', HELLO)
    const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
    try {
      session = await startHosting({
        site,
        signalUrl: `${protocol}//${location.host}/_ps/signal`,
        token: localStorage.getItem(tokenKey(site)) ?? undefined,
        iceServers: config.public.iceServers,
        handle,
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

import { createHostRuntime, type HostRuntime } from '../lib/host/runtime'
import type { SiteDoc } from '../lib/site'
import { createSandboxedWorker, handlerWorkerSource } from '../lib/worker/sandboxed-worker'
import { browserAuthorKey } from '../lib/studio/author-key'
import { sandboxUrl } from '../shared/protocol/sandbox'
import { useHostStore } from '../stores/host'
import { socketUrl } from '../lib/peer/socket-url'
import { siteOrigin } from '../shared/site-origin'

/** Serve `name` from this tab (lib/host/runtime.ts), its state mirrored in the host store until the scope ends. */
export function useHost(name: string, site: SiteDoc): HostRuntime {
  const store = useHostStore()
  const runtime = createHostRuntime({
    name,
    site,
    // Visitors' HttpOnly cookies are kept for the site's origin as they see it.
    origin: siteOrigin(name, location.host, useRuntimeConfig().public.siteOrigin),
    limits: useRuntimeConfig().public.hostLimits,
    storage: localStorage,
    key: browserAuthorKey,
    signalUrl: socketUrl('/_ps/signal'),
    iceServers: useRuntimeConfig().public.iceServers,
    // Handlers run in the handler sandbox: an opaque origin without the studio's storage, API or network.
    createWorker: () => createSandboxedWorker({ url: sandboxUrl(site.settings.allowedOrigins), source: () => handlerWorkerSource(), container: document.body }),
  })
  const stops = [
    runtime.on('state', state => store.$patch(state)),
    runtime.on('visitors', (list) => { store.visitors = list }),
    runtime.on('log', entry => store.addLog(entry)),
  ]
  onScopeDispose(() => {
    for (const stop of stops) stop()
    runtime.destroy()
  })
  return markRaw(runtime)
}

import { createHostRuntime, type HostRuntime } from '../lib/host/runtime'
import type { SiteDoc } from '../lib/site'
import { useHostStore } from '../stores/host'

/** Serve `name` from this tab (lib/host/runtime.ts), its state mirrored in the host store until the scope ends. */
export function useHost(name: string, site: SiteDoc): HostRuntime {
  const store = useHostStore()
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const runtime = createHostRuntime({
    name,
    site,
    storage: localStorage,
    signalUrl: `${protocol}//${location.host}/_ps/signal`,
    iceServers: useRuntimeConfig().public.iceServers,
    // A literal URL, so Vite bundles the worker.
    createWorker: () => new Worker(new URL('../lib/worker/entry.ts', import.meta.url), { type: 'module' }),
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

/*
 * The worker script that runs a site's handlers, off the editor's thread,
 * inside the handler sandbox (./sandbox-frame.ts): a worker started from a
 * sandboxed frame without allow-same-origin, so its origin is opaque, under
 * the frame's CSP, which denies the network (connect-src 'none' unless the
 * authors allow origins). The browser itself keeps handler code away from
 * the studio origin's storage (IndexedDB, storage buckets, OPFS, Cache
 * Storage, cookies), its API and signaling, other sites and the network;
 * blob URLs minted here belong to the opaque origin. What handlers reach is
 * what the page answers on the port: this site's files (read-only), its
 * database and sessions. Tests start it in-process with `startWorker`.
 */
import { WorkerPortMessageSchema } from './sandbox-messages'
import { startWorker, watchStrayErrors } from './worker-server'

export { startWorker } from './worker-server'

/** The parts of DedicatedWorkerGlobalScope used here (tsconfig has DOM types, not WebWorker). */
interface DedicatedScope {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  addEventListener(type: string, listener: (event: Event) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

function isDedicatedWorker(scope: object): scope is DedicatedScope {
  return 'DedicatedWorkerGlobalScope' in scope
}

const scope: object = globalThis
if (isDedicatedWorker(scope)) {
  // The first message brings the port to the page; handler code, which runs later, never sees it.
  const first = (event: MessageEvent) => {
    const port = event.ports[0]
    if (!WorkerPortMessageSchema.safeParse(event.data).success || !port) return
    scope.removeEventListener('message', first)
    startWorker(port)
    port.start()
    watchStrayErrors(scope, message => port.postMessage(message))
  }
  scope.addEventListener('message', first)
}

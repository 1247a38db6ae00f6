/*
 * The worker script that runs a site's handlers, off the editor's thread.
 * Construct it from the page with
 *   new Worker(new URL('../lib/worker/entry.ts', import.meta.url), { type: 'module' })
 * and hand that factory to `createWorkerServer` (./pool.ts).
 *
 * What handler code can reach here: no DOM, no `localStorage` or
 * `sessionStorage` (not in workers), and not the page's objects (the
 * signaling socket, the Yjs document, peer connections) — only what the page
 * answers by RPC: this site's files (read-only), its database and sessions.
 * `lockDown` also removes IndexedDB, Cache Storage, OPFS, Web Locks,
 * BroadcastChannel, nested workers and device APIs. What it can still reach:
 * its own network — `fetch`, `WebSocket`, `EventSource` to any URL, same-origin
 * requests carrying the origin's cookies (PeerServer's own API keeps no
 * secrets in cookies; a new signaling socket opened from here has no owner
 * token), `import()` of any URL — plus WebCrypto, timers and WebAssembly, and
 * `addEventListener('message')` on this scope (it sees this site's traffic,
 * which is its own author's site).
 */
import { lockDown } from './lockdown'
import { startWorker, watchStrayErrors, type WorkerPort } from './worker-server'

export { startWorker } from './worker-server'

/** The parts of DedicatedWorkerGlobalScope used here (tsconfig has DOM types, not WebWorker). */
interface DedicatedScope {
  postMessage(message: unknown, transfer: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  addEventListener(type: string, listener: (event: Event) => void): void
}

function isDedicatedWorker(scope: object): scope is DedicatedScope {
  return 'DedicatedWorkerGlobalScope' in scope && typeof Reflect.get(scope, 'postMessage') === 'function'
}

const scope: object = globalThis
if (isDedicatedWorker(scope)) {
  // Bound before lockDown takes `postMessage` off the scope, so only this code can answer the page.
  const post = scope.postMessage.bind(scope)
  startWorker({ postMessage: post, addEventListener: (type, listener) => scope.addEventListener(type, listener) } satisfies WorkerPort)
  watchStrayErrors(scope, message => post(message, []))
  const kept = lockDown(scope)
  if (kept.length > 0) console.warn('[worker] could not hide from handlers:', kept.join(', '))
}

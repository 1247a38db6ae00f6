import { createServer, type Server } from 'node:http'
import { createStorage } from 'unstorage'
import type { ServerLimits } from '../../../../server/utils/limits/defaults'

// The server's own WebSocket routes and plugin, as Nitro runs them: the same h3
// and crossws builds nitropack bundles (its node-server preset calls
// crossws/adapters/node with `nitroApp.h3App.websocket` after the plugins ran),
// on 127.0.0.1, with Nitro's auto-imports stood in for. No build needed.

type Globals = Record<string, unknown>

/** A running server with /_ps/signal and /_ps/yjs, and the port it listens on. */
export interface AbuseServer {
  port: number
  url(path: string): string
  stop(): Promise<void>
}

/** Start the routes with `limits` over the defaults (runtime config `limits`). Call once per test file: the hubs are the modules' own. */
export async function startAbuseServer(limits: Partial<ServerLimits> = {}): Promise<AbuseServer> {
  const h3 = await import('../../../../node_modules/nitropack/node_modules/h3/dist/index.mjs')
  const { default: wsAdapter } = await import('../../../../node_modules/nitropack/node_modules/crossws/dist/adapters/node.mjs')
  const storage = createStorage()
  const globals = globalThis as Globals
  Object.assign(globals, {
    defineWebSocketHandler: h3.defineWebSocketHandler,
    defineNitroPlugin: (plugin: unknown) => plugin,
    useStorage: () => storage,
    useRuntimeConfig: () => ({ public: { iceServers: [], siteOrigin: 'http://{site}.localhost:{port}' }, limits, trustProxy: false }),
  })
  const app = h3.createApp()
  const { default: websocketLimits } = await import('../../../../server/plugins/websocket-limits')
  ;(websocketLimits as unknown as (nitro: { h3App: typeof app }) => void)({ h3App: app })
  app.use('/_ps/signal', (await import('../../../../server/routes/_ps/signal')).default as never)
  app.use('/_ps/yjs', (await import('../../../../server/routes/_ps/yjs')).default as never)
  // h3's types name the top-level crossws (0.4), its code nitropack's own (0.3): the same options at run time.
  const { handleUpgrade, closeAll } = wsAdapter(app.websocket as unknown as Parameters<typeof wsAdapter>[0])
  const server: Server = createServer(h3.toNodeListener(app))
  server.on('upgrade', handleUpgrade)
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    port,
    url: path => `ws://127.0.0.1:${port}${path}`,
    async stop() {
      closeAll(1001, 'done', true)
      await new Promise(done => server.close(done))
    },
  }
}

/** Sample the heap and array buffers every 5 ms while `attack` runs; the largest growth over the start, in bytes. */
export async function peakMemoryGrowth(attack: () => Promise<void>): Promise<number> {
  const used = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage()
    return heapUsed + arrayBuffers
  }
  const start = used()
  let peak = 0
  const timer = setInterval(() => (peak = Math.max(peak, used() - start)), 5)
  try {
    await attack()
  }
  finally {
    clearInterval(timer)
  }
  return Math.max(peak, used() - start)
}

// A signaling server process for the signaling bench (signaling.ts), so its
// memory is measured apart from the clients'. Forked from an esbuild bundle of
// this file with --expose-gc: either PeerServer's own /_ps/signal route on
// nitropack's h3 and crossws (the abuse suite's server), or, as the baseline,
// a bare `ws` server that echoes every message. It says `ready` with its port,
// then answers `measure` with its memory (after a full GC) and `cpu` with
// its CPU time so far.
import { WebSocketServer } from 'ws'
import { MAX_SIGNAL_BYTES } from '../../shared/protocol/signal'
import { startAbuseServer } from '../unit/server/abuse/nitro-server'
import { SERVER_CONFIG_ENV, ServerConfigSchema, type ServerEvent } from './signaling-messages.ts'

const config = ServerConfigSchema.parse(JSON.parse(process.env[SERVER_CONFIG_ENV] ?? 'null'))
const send = (event: ServerEvent) => process.send?.(event)

async function startBare(): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: MAX_SIGNAL_BYTES })
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }))
    ws.on('error', () => undefined)
  })
  await new Promise(done => wss.once('listening', done))
  const address = wss.address()
  return typeof address === 'object' && address ? address.port : 0
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage()
  return user + system
}

async function measure(): Promise<ServerEvent> {
  // Twice: the first pass runs finalizers that free what the second collects.
  for (let i = 0; i < 2; i++) {
    globalThis.gc?.()
    await new Promise(done => setImmediate(done))
  }
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage()
  return { type: 'measured', rss, heapUsed, external, arrayBuffers }
}

const port = config.kind === 'bare' ? await startBare() : (await startAbuseServer(config.limits)).port
process.on('message', (message) => {
  if (message === 'measure') void measure().then(send)
  if (message === 'cpu') send({ type: 'cpu', cpuMicros: cpuMicros() })
  if (message === 'stop') process.exit(0)
})
process.on('disconnect', () => process.exit(0))
send({ type: 'ready', port })

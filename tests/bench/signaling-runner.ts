// The signaling bench's runner, forked by signaling.ts from an esbuild bundle
// of this file with the open-files soft limit raised to the hard one (each
// socket is a descriptor here and one in the server). It holds the clients and
// forks a fresh server process (signaling-server.ts) for each measurement, so
// each starts from the same empty heap; says `done` with the figures.
import { fork } from 'node:child_process'
import WebSocket from 'ws'
import { MAX_CONNECTIONS_PER_ADDRESS, RELAY_BURST_BYTES, RELAY_BYTES_PER_SECOND } from '../../server/utils/limits/defaults'
import { echoedSessions, FRAME_LARGE, FRAME_SMALL, openIdleSockets, relayedSessions } from './signaling-clients.ts'
import { RUNNER_CONFIG_ENV, RunnerConfigSchema, SERVER_CONFIG_ENV, ServerEventSchema, type Memory, type MemoryRun, type RunnerEvent, type ServerConfig, type ServerEvent, type SignalingFigures, type ThroughputRun } from './signaling-messages.ts'
import { echoThroughput, relayThroughput } from './signaling-throughput.ts'

const config = RunnerConfigSchema.parse(JSON.parse(process.env[RUNNER_CONFIG_ENV] ?? 'null'))
/** Descriptors kept for anything but sockets (modules, pipes, the servers' own). */
const SPARE_FILES = 256
const openFilesLimit = Number(process.env.PS_OPEN_FILES) || 1024
const idleSockets = Math.min(config.idleSockets, openFilesLimit - SPARE_FILES)
/** Unmetered for the throughput runs: 1 TB a second and at once. */
const UNMETERED = 1e12
const THROUGHPUT_PAIRS = 4
const ROUNDS = 3
const WINDOW_FRAMES = { [FRAME_LARGE]: 16, [FRAME_SMALL]: 64 }

/** A server process of `kind`, its port, and its memory and CPU on request. */
async function startServer(server: ServerConfig) {
  // Its stdout is the hub's info log (a line per registration); warnings and errors go to stderr.
  const child = fork(config.serverBundle, [], { execArgv: ['--expose-gc'], env: { ...process.env, [SERVER_CONFIG_ENV]: JSON.stringify(server) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const ask = <T extends ServerEvent['type']>(request: string | null, type: T) => new Promise<Extract<ServerEvent, { type: T }>>((done, fail) => {
    const onMessage = (message: unknown) => {
      const event = ServerEventSchema.safeParse(message)
      if (!event.success || event.data.type !== type) return fail(new Error(`the ${server.kind} server said ${JSON.stringify(message)} where '${type}' was due`))
      child.off('exit', onExit)
      done(event.data as Extract<ServerEvent, { type: T }>)
    }
    const onExit = (code: number | null) => fail(new Error(`the ${server.kind} server exited (${code}) before '${type}'`))
    child.once('message', onMessage).once('exit', onExit)
    if (request) child.send(request)
  })
  const { port } = await ask(null, 'ready')
  return {
    url: server.kind === 'bare' ? `ws://127.0.0.1:${port}/` : `ws://127.0.0.1:${port}/_ps/signal`,
    measure: async (): Promise<Memory> => {
      const { type: _, ...memory } = await ask('measure', 'measured')
      return memory
    },
    cpu: async () => (await ask('cpu', 'cpu')).cpuMicros,
    stop: () => new Promise<void>((done) => {
      if (child.exitCode !== null) return done()
      child.once('exit', () => done())
      child.kill('SIGKILL')
    }),
  }
}

/** Start a server, measure it before and after `load` (which returns its sockets), close them, stop it. */
async function withServer<T extends { sockets: WebSocket[] }>(server: ServerConfig, load: (url: string) => Promise<T>): Promise<MemoryRun & Omit<T, 'sockets'>> {
  const running = await startServer(server)
  try {
    const before = await running.measure()
    const { sockets, ...rest } = await load(running.url)
    // A refused socket (too-many-connections) is closed a moment after it opened.
    await new Promise(done => setTimeout(done, 500))
    const opened = sockets.filter(socket => socket.readyState === WebSocket.OPEN).length
    const after = await running.measure()
    for (const socket of sockets) socket.terminate()
    return { sockets: sockets.length, opened, before, after, ...rest }
  }
  finally {
    await running.stop()
  }
}

/** Frames of each size through both servers, in alternating rounds (the machine's load drifts; the table shows medians). */
async function throughputs(limits: Record<string, number>): Promise<SignalingFigures['throughput']> {
  const ours = await startServer({ kind: 'peerserver', limits })
  const bare = await startServer({ kind: 'bare', limits: {} })
  try {
    const results: SignalingFigures['throughput'] = []
    for (const frameBytes of [FRAME_LARGE, FRAME_SMALL]) {
      const result = { frameBytes, peerserver: [] as ThroughputRun[], bare: [] as ThroughputRun[] }
      for (let round = 0; round < ROUNDS; round++) {
        const options = { window: WINDOW_FRAMES[frameBytes] ?? 16, warmUpMs: 300, ms: config.throughputMs }
        result.peerserver.push(await relayThroughput(ours.url, `${frameBytes}-${round}`, THROUGHPUT_PAIRS, frameBytes, { ...options, serverCpuMicros: ours.cpu }))
        result.bare.push(await echoThroughput(bare.url, THROUGHPUT_PAIRS, frameBytes, { ...options, serverCpuMicros: bare.cpu }))
      }
      results.push(result)
    }
    return results
  }
  finally {
    await Promise.all([ours.stop(), bare.stop()])
  }
}

async function measureAll(): Promise<SignalingFigures> {
  const hosts = Math.ceil(config.sessions / config.visitorsPerHost)
  const sessionSockets = hosts + hosts * config.visitorsPerHost
  const raised = {
    idle: { maxConnectionsPerAddress: Math.max(MAX_CONNECTIONS_PER_ADDRESS, idleSockets) },
    sessions: { maxConnectionsPerAddress: Math.max(MAX_CONNECTIONS_PER_ADDRESS, sessionSockets) },
    throughput: { relayBytesPerSecond: Math.max(RELAY_BYTES_PER_SECOND, UNMETERED), relayBurstBytes: Math.max(RELAY_BURST_BYTES, UNMETERED) },
  }
  const idleLoad = async (url: string) => ({ sockets: await openIdleSockets(url, idleSockets) })
  const idle = {
    peerserver: await withServer({ kind: 'peerserver', limits: raised.idle }, idleLoad),
    bare: await withServer({ kind: 'bare', limits: {} }, idleLoad),
  }
  const sessionRun = async (kind: 'peerserver' | 'bare') => {
    const load = kind === 'bare' ? echoedSessions : relayedSessions
    return { ...await withServer({ kind, limits: kind === 'bare' ? {} : raised.sessions }, url => load(url, hosts, config.visitorsPerHost)), sessions: hosts * config.visitorsPerHost }
  }
  const sessions = { peerserver: await sessionRun('peerserver'), bare: await sessionRun('bare') }
  return { openFilesLimit, raised, idle, sessions, throughput: await throughputs(raised.throughput) }
}

const send = (event: RunnerEvent) => process.send?.(event)
try {
  send({ type: 'done', figures: await measureAll() })
}
catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) })
}
process.disconnect?.()

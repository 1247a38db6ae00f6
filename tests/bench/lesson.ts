import { fork, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import type { TestServer } from '../helpers/server.ts'
import { LESSON_CONFIG_ENV, PeerEventSchema, type LessonConfig, type PeerCommand, type PeerEvent, type VisitorReport } from './lesson-messages.ts'
import { writeLessonSite } from './lesson-site.ts'

const SITE = 'lesson-bench'
const VISITORS = 30
/** Peer processes the visitors are spread over: 1, 2, 3 or 5 gave the same figures (the host tab is the bottleneck), 3 keeps each event loop short. */
const PROCESSES = 3
const BASELINE_ROUNDS = 3
const LOAD_TIMEOUT_MS = 60_000

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN
}

/** The Node visitors as one ESM file (plain Node cannot import lib/'s extensionless paths); packages stay external. */
async function bundlePeers(): Promise<string> {
  const outfile = resolve('node_modules/.cache/peerserver/bench/lesson-peers.mjs')
  await build({ entryPoints: ['tests/bench/lesson-peers.ts'], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', logLevel: 'warning' })
  return outfile
}

/** The studio of the lesson site, once every file of `folder` is in it, with a long-task observer installed. */
async function hostTab(browser: Browser, server: TestServer, folder: string, urls: string[]): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  const host = await context.newPage()
  await host.goto(`${server.url}/host/${SITE}`)
  await host.getByTestId('host-status').filter({ hasText: 'Serving' }).waitFor({ timeout: 20_000 })
  await host.getByTestId('upload-folder').setInputFiles(folder)
  // The upload writes files one by one: a visitor must not come before the last.
  await Promise.all(urls.filter(url => url !== '/').map(url => host.getByTestId(`file-public${url}`).waitFor()))
  // Buffered, so tasks that run before the first callback are not missed; read back by `longTasksSince`.
  await host.evaluate(() => {
    const tasks: Array<{ start: number, ms: number }> = []
    new PerformanceObserver(list => tasks.push(...list.getEntries().map(entry => ({ start: entry.startTime, ms: entry.duration })))).observe({ type: 'longtask', buffered: true })
    Object.assign(window, { benchLongTasks: tasks })
  })
  return host
}

async function longTasksSince(host: Page, since: number) {
  const tasks = await host.evaluate(since => (window as unknown as { benchLongTasks: Array<{ start: number, ms: number }> }).benchLongTasks.filter(task => task.start >= since), since)
  return { count: tasks.length, totalMs: tasks.reduce((sum, task) => sum + task.ms, 0), longestMs: Math.max(0, ...tasks.map(task => task.ms)) }
}

/** A forked peer process: its next event (rejects if it exits first), and commands to it. */
function peerProcess(bundle: string, config: LessonConfig) {
  const child: ChildProcess = fork(bundle, [], { env: { ...process.env, [LESSON_CONFIG_ENV]: JSON.stringify(config) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const next = (type: PeerEvent['type']) => new Promise<PeerEvent>((done, fail) => {
    const settle = (error: Error | null, event?: PeerEvent) => {
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (event) done(event)
      else fail(error)
    }
    const onMessage = (message: unknown) => {
      const event = PeerEventSchema.safeParse(message)
      if (!event.success) settle(new Error(`bad event from a peer process: ${JSON.stringify(message).slice(0, 200)}`))
      else if (event.data.type !== type) settle(new Error(`a peer process said '${event.data.type}' where '${type}' was due`))
      else settle(null, event.data)
    }
    const onExit = (code: number | null) => settle(new Error(`a peer process exited (${code}) before '${type}'`))
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
  const command = (message: PeerCommand) => child.connected && child.send(message)
  return { child, next, command }
}

type PeerProcess = ReturnType<typeof peerProcess>

/** Ask each process to hang up and exit; killed if it has not after 5 s. */
async function stopAll(peers: PeerProcess[]): Promise<void> {
  await Promise.all(peers.map(({ child, command }) => new Promise<void>((done) => {
    if (child.exitCode !== null) return done()
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(kill)
      done()
    })
    if (!command({ type: 'stop' })) child.kill('SIGKILL')
  })))
}

/** Run `visitors` Node visitors over `processes` processes, all starting at once; their reports. Throws after `timeoutMs`. */
async function runVisitors(bundle: string, base: Omit<LessonConfig, 'first' | 'visitors'>, visitors: number, processes: number, timeoutMs: number): Promise<VisitorReport[]> {
  const peers = Array.from({ length: processes }, (_, p) => {
    const first = Math.floor(visitors * p / processes)
    return peerProcess(bundle, { ...base, first, visitors: Math.floor(visitors * (p + 1) / processes) - first })
  })
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`the lesson bench's ${visitors} visitor(s) did not finish in ${timeoutMs / 1000} s`)), timeoutMs)
  })
  try {
    await Promise.race([Promise.all(peers.map(peer => peer.next('ready'))), timeout])
    const done = Promise.all(peers.map(peer => peer.next('done')))
    // Every process starts its visitors at the same epoch ms.
    const at = Date.now() + 300
    for (const peer of peers) peer.command({ type: 'start', at })
    return (await Promise.race([done, timeout])).flatMap(event => (event.type === 'done' ? event.reports : []))
  }
  finally {
    clearTimeout(timer)
    await stopAll(peers)
  }
}

function sum(reports: VisitorReport[], pick: (report: VisitorReport) => number): number {
  return reports.reduce((total, report) => total + pick(report), 0)
}

/** The 30-visitor figures, beside the lone visitor's (whose first round was a warm-up). */
function summarize(load: VisitorReport[], alone: VisitorReport[], pagesPerVisitor: number) {
  const times = load.flatMap(report => report.pages.map(page => page.ms)).sort((a, b) => a - b)
  const aloneTimes = alone.flatMap(report => report.pages.slice(pagesPerVisitor).map(page => page.ms)).sort((a, b) => a - b)
  const connects = load.flatMap(report => (report.connectMs === null ? [] : [report.connectMs])).sort((a, b) => a - b)
  const starts = load.map(report => report.startedAt)
  // From the first visitor's start to the last one's last byte: connecting is part of a lesson's first minute.
  const seconds = (Math.max(...load.map(report => report.endedAt)) - Math.min(...starts)) / 1000
  const requests = sum(load, report => report.requests)
  return {
    visitors: load.length,
    connected: connects.length,
    startSpreadMs: Math.max(...starts) - Math.min(...starts),
    connectP50: percentile(connects, 0.5),
    connectMax: connects.at(-1) ?? Number.NaN,
    pagesLoaded: times.length,
    pagesExpected: load.length * pagesPerVisitor,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    max: times.at(-1) ?? Number.NaN,
    requests,
    seconds,
    rps: requests / seconds,
    megabytesPerSecond: sum(load, report => report.bytes) / 1e6 / seconds,
    baselineConnectMs: alone[0]?.connectMs ?? Number.NaN,
    baselineP50: percentile(aloneTimes, 0.5),
    baselinePages: aloneTimes.length,
    ratio: percentile(times, 0.5) / percentile(aloneTimes, 0.5),
    failures: [...alone, ...load].flatMap(report => report.failures),
  }
}

/**
 * A live lesson: 30 Node visitors (the visitor shell's protocol and code)
 * each load six pages of one host tab at once. Page times, throughput and
 * the host tab's long tasks, beside one visitor alone loading the same pages.
 */
export async function benchLesson(browser: Browser, server: TestServer) {
  const site = writeLessonSite()
  const [bundle, host] = await Promise.all([bundlePeers(), hostTab(browser, server, site.dir, Object.keys(site.sizes))])
  const base = { signalUrl: `ws://127.0.0.1:${server.port}/_ps/signal`, origin: `http://${SITE}.localhost:${server.port}`, site: SITE, pages: site.pages, sizes: site.sizes }
  // One visitor alone: a warm-up round (host caches, JIT), then the baseline's rounds.
  const alone = await runVisitors(bundle, { ...base, rounds: 1 + BASELINE_ROUNDS }, 1, 1, LOAD_TIMEOUT_MS)
  const since = await host.evaluate(() => performance.now())
  const load = await runVisitors(bundle, { ...base, rounds: 1 }, VISITORS, PROCESSES, LOAD_TIMEOUT_MS)
  const longTasks = await longTasksSince(host, since)
  await host.context().close()
  return { ...summarize(load, alone, site.pages.length), processes: PROCESSES, longTasks }
}

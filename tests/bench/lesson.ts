import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import type { TestServer } from '../helpers/server.ts'
import { clockOffset, hostTab, longTasksSince, openInEditor, saveEdit, typeKeys } from './lesson-editor.ts'
import { followFigures, loadFigures, typingFigures, type SaveRun } from './lesson-figures.ts'
import { followSave, loadVisitors, stopAll, type PeerProcess } from './lesson-processes.ts'
import { writeLessonSite } from './lesson-site.ts'
import { cpuSince, cpuSnapshot, machineCores, processTree } from './cpu-time.ts'
import { traceCpu } from './trace.ts'

/**
 * How many Node visitors each lesson run has: BENCH_LESSON_VISITORS, one
 * count or several, comma-separated (e.g. 30 or 30,100); by default a class
 * of 30, then 100 students on one host tab, the two targets.
 */
export const LESSON_VISITORS = lessonVisitors(process.env.BENCH_LESSON_VISITORS)

function lessonVisitors(configured: string | undefined): number[] {
  if (configured === undefined || configured.trim() === '') return [30, 100]
  return configured.split(',').map((entry) => {
    const count = Number(entry.trim())
    if (!Number.isInteger(count) || count < 1) throw new Error(`BENCH_LESSON_VISITORS is ${JSON.stringify(configured)}: ${JSON.stringify(entry)} is not a whole number of visitors`)
    return count
  })
}

/** The targets (issue 16) for a lesson of this many visitors, where it names one. */
export function lessonTargets(visitors: number): { pageP95Ms: number, connectP95Ms?: number } | null {
  if (visitors === 30) return { pageP95Ms: 300 }
  if (visitors === 100) return { pageP95Ms: 1000, connectP95Ms: 3000 }
  return null
}
/** Peer processes the visitors are spread over: 1, 2, 3 or 5 gave the same figures (the host tab is the bottleneck), 3 keeps each event loop short. */
const PROCESSES = 3
const BASELINE_ROUNDS = 3
const LOAD_TIMEOUT_MS = 60_000
/** The last page's stylesheet: every visitor is on that page once its loads are done, so every one of them swaps it. */
const EDITED = '/css/lesson5.css'
const SAVES = 5
const KEYSTROKES = 30
const WARM_UP_KEYSTROKES = 10
const FOLLOW_TIMEOUT_MS = 10_000

/** The Node visitors as one ESM file (plain Node cannot import lib/'s extensionless paths); packages stay external. */
async function bundlePeers(): Promise<string> {
  const outfile = resolve('node_modules/.cache/peerserver/bench/lesson-peers.mjs')
  await build({ entryPoints: ['tests/bench/lesson-peers.ts'], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', logLevel: 'warning' })
  return outfile
}

/** `SAVES` edits of the stylesheet, each saved once every visitor is ready for it; every visitor's record of each. */
async function saveAndFollow(host: Page, peers: PeerProcess[]): Promise<SaveRun[]> {
  const saves: SaveRun[] = []
  for (let save = 0; save < SAVES; save++) {
    const marker = `bench-save-${save}-${randomBytes(4).toString('hex')}`
    const rule = `\n.${marker} { color: #${randomBytes(3).toString('hex')}; margin: ${save}px; }\n`
    const { result, records } = await followSave(peers, save, EDITED, marker, FOLLOW_TIMEOUT_MS, () => saveEdit(host, rule))
    saves.push({ keydownAt: result, records })
  }
  return saves
}

/**
 * A live lesson: `visitors` Node visitors (the visitor shell's protocol and code,
 * live channel included) each load six pages of one host tab at once; page
 * times, throughput and the host tab's long tasks, beside one visitor alone.
 * Then, with them all still connected, the author types in the studio
 * (keystroke to paint, beside the same typing before any visitor came) and
 * saves a stylesheet five times: Ctrl-S to each visitor's reload event and
 * to its fresh copy of the stylesheet.
 */
export async function benchLesson(browser: Browser, server: TestServer, visitors: number) {
  // A site of its own per run: the name of an earlier run's closed tab may still be held.
  const siteName = `lesson-bench-${visitors}`
  const site = writeLessonSite()
  const [bundle, host] = await Promise.all([bundlePeers(), hostTab(browser, server, siteName, site.dir, Object.keys(site.sizes))])
  try {
    await openInEditor(host, `public${EDITED}`)
    await typeKeys(host, 'warm-up', WARM_UP_KEYSTROKES)
    const keysAlone = await typeKeys(host, 'no-visitors', KEYSTROKES)
    const base = { signalUrl: `ws://127.0.0.1:${server.port}/_ps/signal`, origin: `http://${siteName}.localhost:${server.port}`, site: siteName, pages: site.pages, sizes: site.sizes }
    // One visitor alone: a warm-up round (host caches, JIT), then the baseline's rounds.
    const alone = await loadVisitors(bundle, { ...base, rounds: 1 + BASELINE_ROUNDS }, 1, 1, LOAD_TIMEOUT_MS)
    await stopAll(alone.peers)
    const since = await host.evaluate(() => performance.now())
    // Who used the machine's cores while the visitors came and loaded: the browser (the host tab among its processes), Nitro, the visitors' own Node processes, this bench.
    const before = cpuSnapshot(processTree(process.pid))
    const wallStarted = performance.now()
    // BENCH_LESSON_TRACE=1: a Chromium trace of the whole browser while they come and load (CPU by thread, per request they made).
    const load = () => loadVisitors(bundle, { ...base, rounds: 1 }, visitors, PROCESSES, LOAD_TIMEOUT_MS)
    const traced = process.env.BENCH_LESSON_TRACE ? await traceCpu(browser, ({ reports }) => reports.reduce((sum, report) => sum + report.requests, 0), load) : null
    const { peers, reports } = traced?.value ?? await load()
    const wallSeconds = (performance.now() - wallStarted) / 1000
    const visitorPids = new Set(peers.flatMap(peer => (peer.child.pid ? processTree(peer.child.pid) : [])))
    const browserPids = processTree(process.pid).filter(pid => pid !== process.pid && pid !== server.pid && !visitorPids.has(pid))
    const cpu = {
      wallSeconds,
      cores: machineCores(),
      browserSeconds: cpuSince(before, browserPids),
      nitroSeconds: cpuSince(before, [server.pid]),
      visitorsSeconds: cpuSince(before, [...visitorPids]),
      benchSeconds: cpuSince(before, [process.pid]),
    }
    try {
      const longTasks = await longTasksSince(host, since)
      // The edits start once every page is loaded: all visitors are then on the page that links EDITED.
      const editsSince = await host.evaluate(() => performance.now())
      const keysWithVisitors = await typeKeys(host, 'with-visitors', KEYSTROKES)
      const saves = await saveAndFollow(host, peers)
      return {
        ...loadFigures(reports, alone.reports, site.pages.length),
        processes: PROCESSES,
        cpu,
        trace: traced?.threads ?? null,
        longTasks,
        follow: followFigures(saves, visitors),
        typing: typingFigures(keysWithVisitors, keysAlone),
        editLongTasks: await longTasksSince(host, editsSince),
        hostClockAheadMs: await clockOffset(host),
      }
    }
    finally {
      await stopAll(peers)
    }
  }
  finally {
    await host.context().close()
  }
}

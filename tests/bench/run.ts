// `npm run bench`: each figure is printed beside the baseline it is compared
// to, both measured in this run. BENCH_OUT=file.json also writes them.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/chromium.ts'
import { startServer } from '../helpers/server.ts'
import { twentyResourcePage, writeFiles } from './site-files.ts'
import { benchTunnel } from './tunnel.ts'
import { benchDynamic, writeDynamicSite } from './dynamic.ts'
import { benchCoedit } from './coedit.ts'
import { benchLesson, LESSON_VISITORS, lessonTargets } from './lesson.ts'
import { benchSignaling } from './signaling.ts'
import { signalingLines } from './signaling-figures.ts'
import { benchNat } from './nat.ts'
import { natLabUnavailable } from '../helpers/nat-lab.ts'
import { cpuLines, threadLine } from './trace.ts'

// BENCH_ONLY=tunnel|dynamic|coedit|lesson|nat|signaling runs one part (for quick tuning runs).
const only = process.env.BENCH_ONLY
const runs = (part: string) => !only || only === part
const f = (n: number, digits = 1) => n.toFixed(digits)

/** The parts that drive Chromium against the built app. */
async function browserParts() {
  if (!existsSync('.output/server/index.mjs')) {
    console.log('building the app first (npm run build)…')
    if (spawnSync('nuxt', ['build'], { stdio: 'inherit' }).status !== 0) process.exit(1)
  }

  const pageFiles = twentyResourcePage()
  const staticDir = mkdtempSync(join(tmpdir(), 'peerserver-bench-'))
  writeFiles(staticDir, pageFiles)
  const dynamicSite = writeDynamicSite()
  const server = await startServer({ PS_BENCH_STATIC_DIR: staticDir, PS_BENCH_DYNAMIC_DIR: dynamicSite })
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  try {
    const tunnel = runs('tunnel') ? await benchTunnel(browser, server, pageFiles) : null
    if (tunnel) {
      console.log('\n== tunnel (median of runs) ==')
      console.log(`page load, 20 resources: tunnel ${f(tunnel.pageLoadTunnelMs)} ms | direct HTTP (Nitro) ${f(tunnel.pageLoadDirectMs)} ms | ratio ${f(tunnel.pageLoadRatio, 2)}× (target ≤ 1.2×)`)
      console.log(`bulk 20 MiB download: tunnel ${f(tunnel.bulkTunnelMBps)} MB/s | raw data channel ${f(tunnel.bulkRawMBps)} MB/s | ratio ${f(tunnel.bulkRatio * 100)} % (target ≥ 85 %)`)
      console.log(`  (the tunnel download in a Playwright-driven page, whose DevTools network tracking copies and reports every read: ${f(tunnel.bulkTunnelTrackedMBps)} MB/s, ${f(tunnel.bulkTunnelTrackedMBps / tunnel.bulkRawMBps * 100)} % of raw)`)
    }
    const dynamic = runs('dynamic') ? await benchDynamic(browser, server, dynamicSite) : null
    if (dynamic) {
      console.log('\n== dynamic pages (Mustache view of 20 documents): one host tab vs Nitro rendering from memory ==')
      const { profile, clients: byClients } = dynamic
      for (const [name, { tunnel, direct }] of Object.entries(byClients)) {
        const clients = name.replace('clients', '')
        console.log(`${clients} concurrent client(s): tunnel ${f(tunnel.rps)} req/s, p50 ${f(tunnel.p50)} ms, p95 ${f(tunnel.p95)} ms | Nitro ${f(direct.rps)} req/s, p50 ${f(direct.p50)} ms, p95 ${f(direct.p95)} ms | throughput ${f(tunnel.rps / direct.rps, 2)}×, p50 +${f(tunnel.p50 - direct.p50)} ms`)
      }
      const { clients1: one, clients10: ten } = byClients
      if (one && ten) console.log(`targets: throughput at 10 clients ≥ 0.7× Nitro's (now ${f(ten.tunnel.rps / ten.direct.rps, 2)}×); one visitor's p50 within 3 ms of direct (now +${f(one.tunnel.p50 - one.direct.p50)} ms)`)
      const { rawRoundTripMs: raw, staticMs, constantRouteMs, dynamicRouteMs } = profile
      console.log(`where one visitor's request goes (1 client, p50): raw data channel round trip ${f(raw, 2)} ms | static file through the tunnel ${f(staticMs, 2)} ms (+${f(staticMs - raw, 2)} ms: service worker, shell, tunnel, host, file) | route returning the same bytes ${f(constantRouteMs, 2)} ms (+${f(constantRouteMs - staticMs, 2)} ms: the handler worker) | route with database and view ${f(dynamicRouteMs, 2)} ms (+${f(dynamicRouteMs - constantRouteMs, 2)} ms: 20 documents and the view)`)
      console.log(cpuLines(dynamic.cpu).join('\n'))
    }
    const coedit = runs('coedit') ? await benchCoedit(browser, server) : null
    if (coedit) {
      console.log('\n== co-editing (two author tabs, y-webrtc through /_ps/yjs) ==')
      console.log(`keystroke to remote render: p50 ${f(coedit.keystrokeP50)} ms | p95 ${f(coedit.keystrokeP95)} ms (target p50 < 30 ms)`)
      console.log(`  in a site of ${coedit.manyFiles + 1} files (the tree lists them all): p50 ${f(coedit.manyFilesP50)} ms | p95 ${f(coedit.manyFilesP95)} ms | ratio to one file (p50) ${f(coedit.manyFilesP50 / coedit.keystrokeP50, 2)}×`)
      console.log(`late joiner syncs 200 files, 5 MiB of pictures, 5,000 documents (zip ${f(coedit.lateJoinZipBytes / 1e6)} MB): ${f(coedit.lateJoinMs / 1000, 2)} s (target < 3 s)`)
      console.log(`  from opening the invite link: ${Object.entries(coedit.lateJoinSteps).map(([step, ms]) => `${step} ${f(ms / 1000, 2)} s`).join(' → ')}`)
      console.log(`  6 MB in 60 KiB chunks over a fresh data channel, median of 5: at once ${f(coedit.coldAtOnceMs)} ms | paced as co-authors' channels are ${f(coedit.coldPacedMs)} ms, ${f(coedit.coldPacedMs / coedit.coldAtOnceMs, 2)}×`)
    }
    // One run per count of BENCH_LESSON_VISITORS (30 and 100 by default), each with a host tab of its own.
    const lessons: Record<number, Awaited<ReturnType<typeof benchLesson>>> = {}
    for (const visitors of runs('lesson') ? LESSON_VISITORS : []) {
      const lesson = await benchLesson(browser, server, visitors)
      lessons[visitors] = lesson
      const target = lessonTargets(visitors)
      console.log(`\n== live lesson (${lesson.visitors} visitors on one host tab; BENCH_LESSON_VISITORS sets how many, e.g. 30,100) ==`)
      console.log(`${lesson.connected}/${lesson.visitors} Node visitors connected (started within ${f(lesson.startSpreadMs)} ms; connect p50 ${f(lesson.connectP50)} ms, p95 ${f(lesson.connectP95)} ms, max ${f(lesson.connectMax)} ms | alone ${f(lesson.baselineConnectMs)} ms)${target?.connectP95Ms ? ` (target p95 < ${f(target.connectP95Ms / 1000, 0)} s)` : ''}`)
      const { cpu } = lesson
      console.log(`CPU while they came and loaded (${f(cpu.wallSeconds, 2)} s on ${cpu.cores} cores, ${f(cpu.wallSeconds * cpu.cores, 2)} s of CPU at most): Chromium ${f(cpu.browserSeconds, 2)} s | Nitro ${f(cpu.nitroSeconds, 2)} s | the visitors' Node processes ${f(cpu.visitorsSeconds, 2)} s | the bench itself ${f(cpu.benchSeconds, 2)} s`)
      if (lesson.trace) {
        console.log('  CPU by thread while they came and loaded, per request (BENCH_LESSON_TRACE; Chromium trace, tracing\'s own overhead included):')
        for (const thread of lesson.trace.filter(thread => thread.cpuMs >= 0.05)) console.log(`    ${threadLine(thread)}`)
      }
      console.log(`${lesson.pagesLoaded}/${lesson.pagesExpected} pages (HTML + 4 resources) in ${f(lesson.seconds, 2)} s from the first connect: ${f(lesson.rps)} requests/s, ${f(lesson.megabytesPerSecond)} MB/s`)
      console.log(`page time: p50 ${f(lesson.p50)} ms | p95 ${f(lesson.p95)} ms | max ${f(lesson.max)} ms | one visitor alone p50 ${f(lesson.baselineP50)} ms | ratio ${f(lesson.ratio, 2)}×${target ? ` (target p95 < ${f(target.pageP95Ms, 0)} ms)` : ''}`)
      console.log(`host tab long tasks: ${lesson.longTasks.count}, ${f(lesson.longTasks.totalMs, 0)} ms in all, longest ${f(lesson.longTasks.longestMs, 0)} ms`)
      console.log(`failures (status or length): ${lesson.failures.length} (target 0)${lesson.failures.slice(0, 10).map(failure => `\n  ${failure}`).join('')}`)
      const { follow, typing, editLongTasks: edits } = lesson
      console.log(`${follow.saves} stylesheet saves, Ctrl-S to each visitor's reload event: p50 ${f(follow.deliveryP50)} ms | p95 ${f(follow.deliveryP95)} ms | max ${f(follow.deliveryMax)} ms (host clock ${f(lesson.hostClockAheadMs.ms, 2)} ± ${f(lesson.hostClockAheadMs.uncertaintyMs, 2)} ms ahead)`)
      console.log(`  to the stylesheet fetched again: p50 ${f(follow.refreshP50)} ms | p95 ${f(follow.refreshP95)} ms | max ${f(follow.refreshMax)} ms`)
      console.log(`  missed reloads: ${follow.missedReloads}/${follow.expected} (not refreshed ${follow.notRefreshed}, stray ${follow.strayReloads})${follow.failures.slice(0, 10).map(failure => `\n  ${failure}`).join('')}`)
      console.log(`host editor keystroke to paint, ${typing.withVisitors.keystrokes} keys: with ${lesson.visitors} visitors p50 ${f(typing.withVisitors.p50)} ms | p95 ${f(typing.withVisitors.p95)} ms | no visitors p50 ${f(typing.noVisitors.p50)} ms | p95 ${f(typing.noVisitors.p95)} ms | ratio ${f(typing.ratio, 2)}× (target ≤ 1.1×)`)
      console.log(`host tab long tasks while typing and saving: ${edits.count}, ${f(edits.totalMs, 0)} ms in all, longest ${f(edits.longestMs, 0)} ms`)
    }
    return { tunnel, dynamic, coedit, lesson: runs('lesson') ? lessons : null }
  }
  finally {
    await browser.close()
    await server.stop()
  }
}

const browserFigures = ['tunnel', 'dynamic', 'coedit', 'lesson'].some(runs) ? await browserParts() : {}
const natUnavailable = runs('nat') ? natLabUnavailable() : null
if (natUnavailable) console.log(`\n== behind two NATs: not measured here (${natUnavailable}) ==`)
const nat = runs('nat') && !natUnavailable ? await benchNat() : null
if (nat) {
  const { direct } = nat
  const ratio = (value: number, base: number | undefined) => (base === undefined ? '' : `, ${f(value / base, 2)}×`)
  const routes = Object.entries(nat).map(([name, figures]) => ({ name: name === 'turn' ? 'TURN' : name === 'relay' ? 'WebSocket relay' : 'direct (STUN)', figures }))
  console.log('\n== behind two NATs (network namespaces, MASQUERADE; coturn and Nitro in a "public" namespace), median of runs ==')
  console.log(`route the visitor's page reported: ${routes.map(({ name, figures }) => `${name} → ${figures.route}`).join(', ')}`)
  console.log(`page load, 20 resources: ${routes.map(({ name, figures }) => `${name} ${f(figures.pageLoadMs)} ms${name.startsWith('direct') ? '' : ratio(figures.pageLoadMs, direct?.pageLoadMs)}`).join(' | ')}`)
  console.log(`20 MiB download: ${routes.map(({ name, figures }) => `${name} ${f(figures.bulkMBps)} MB/s${name.startsWith('direct') ? '' : ratio(figures.bulkMBps, direct?.bulkMBps)}`).join(' | ')} (the relay is held to the server's relayBytesPerSecond, 2 MiB/s by default, after a 16 MiB burst)`)
  for (const [name, figures] of Object.entries(nat)) if (figures.error) console.log(`  ${name}: ${figures.error}`)
}
// After the browser parts, so nothing else runs on the machine while the signaling server is measured.
const signaling = runs('signaling') ? await benchSignaling() : null
if (signaling) {
  console.log('\n== signaling server (Node clients; /_ps/signal in a process of its own beside a bare ws server) ==')
  for (const line of signalingLines(signaling)) console.log(line)
}
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, `${JSON.stringify({ ...browserFigures, nat, signaling }, null, 2)}\n`)

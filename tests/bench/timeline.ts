// `npm run bench:timeline`: where one visitor's request spends its time, step
// by step. One visitor fetches the dynamic page (TIMELINE_URL, default
// /notes) TIMELINE_REQUESTS times, apart, under a Chromium trace of the whole
// browser; for the request of median length, every thread's top-level tasks
// inside it are listed in order (when, how long, on which thread, what ran),
// then each thread's share. The gaps between tasks are waits: a hop from one
// thread or process to the next. Tracing slows every step (about 1.3× here);
// the order and the shares are what it is for.
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/chromium.ts'
import { startServer } from '../helpers/server.ts'
import { openDynamicHost, writeDynamicSite } from './dynamic.ts'
import { role, scriptFile, type TraceEvent } from './trace.ts'

/** One top-level task of a thread inside the request: ms from the request's start, its ms, where, and what it ran. */
export interface Step { atMs: number, ms: number, where: string, what: string }

/** Tasks shorter than this are left out of the list (they still count in the shares). */
const LISTED_TASK_MS = 0.05
/** Tracing's own threads and process, which are not in the request's path. */
const TRACING = /^(tracing\.|PerfettoTrace)|DevToolsPipeHandler|TracingService/

/**
 * Every thread's top-level tasks that overlap [start, end] (trace µs), in
 * order; a task inside another of its thread's is not listed again. A thread
 * is named by its part in the request's path (trace.ts's role), else by its
 * process: the visitor's or the host's renderer when one of its threads has
 * such a part, else the process's own name. What a task ran is its JS
 * functions (or scripts), else the task's own name.
 */
export function requestSteps(events: TraceEvent[], start: number, end: number): Step[] {
  const key = (event: TraceEvent) => `${event.pid}:${event.tid}`
  const processNames = new Map<number, string>()
  const threadNames = new Map<string, string>()
  const urls = new Map<string, Set<string>>()
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'process_name') processNames.set(event.pid, event.args?.name ?? '')
    if (event.ph === 'M' && event.name === 'thread_name') threadNames.set(key(event), event.args?.name ?? '')
    const url = event.args?.data?.url
    if (event.name === 'FunctionCall' && typeof url === 'string' && url) urls.set(key(event), (urls.get(key(event)) ?? new Set()).add(url))
  }
  const roles = new Map<string, string>()
  for (const [thread, seen] of urls) {
    const part = role(threadNames.get(thread) ?? '', seen)
    if (part) roles.set(thread, part)
  }
  const renderer = new Map<number, string>()
  for (const [thread, part] of roles) renderer.set(Number(thread.split(':')[0]), part.startsWith('visitor') ? 'the visitor\'s renderer' : 'the host\'s renderer')
  const inside = events.filter(event => event.ph === 'X' && event.dur !== undefined && event.ts < end && event.ts + event.dur > start).sort((a, b) => a.ts - b.ts)
  const calls = inside.filter(event => event.name === 'FunctionCall')
  const lastEnd = new Map<string, number>()
  const steps: Step[] = []
  for (const task of inside) {
    if (!task.cat.split(',').includes('toplevel')) continue
    const thread = key(task)
    const threadName = threadNames.get(thread) ?? String(task.tid)
    if (TRACING.test(threadName) || TRACING.test(processNames.get(task.pid) ?? '')) continue
    const taskEnd = task.ts + task.dur!
    if ((lastEnd.get(thread) ?? -Infinity) >= taskEnd) continue
    lastEnd.set(thread, taskEnd)
    const ran = calls.filter(call => key(call) === thread && call.ts >= task.ts && call.ts < taskEnd)
      .map(call => String(call.args?.data?.functionName || scriptFile(String(call.args?.data?.url ?? '')) || '(script)'))
    const where = roles.get(thread) ?? renderer.get(task.pid) ?? processNames.get(task.pid) ?? `process ${task.pid}`
    steps.push({
      atMs: (task.ts - start) / 1000,
      ms: task.dur! / 1000,
      where: `${where} / ${threadName}`,
      what: ran.length > 0 ? [...new Set(ran)].join(', ') : task.args?.src_func ?? task.name,
    })
  }
  return steps
}

/** Each thread's ms of tasks in the request, largest first. */
export function threadShares(steps: Step[]): Array<{ where: string, ms: number }> {
  const shares = new Map<string, number>()
  for (const step of steps) shares.set(step.where, (shares.get(step.where) ?? 0) + step.ms)
  return [...shares].map(([where, ms]) => ({ where, ms })).sort((a, b) => b.ms - a.ms)
}

async function main(): Promise<void> {
  const url = process.env.TIMELINE_URL ?? '/notes'
  const requests = Number(process.env.TIMELINE_REQUESTS ?? 30)
  if (!existsSync('.output/server/index.mjs')) throw new Error('build the app first: npm run build')
  const site = writeDynamicSite()
  const server = await startServer({ PS_BENCH_DYNAMIC_DIR: site })
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  try {
    const [frame] = (await openDynamicHost(browser, server, site, 1)).frames
    if (!frame) throw new Error('no visitor')
    // Apart, so one request's tasks do not overlap the next's; each marks its start and end in the trace.
    const run = (count: number) => frame.evaluate(async ({ url, count }) => {
      const times: number[] = []
      for (let i = 0; i < count; i++) {
        await new Promise(resolve => setTimeout(resolve, 40))
        console.timeStamp(`timeline-start-${i}`)
        const started = performance.now()
        await (await fetch(url)).text()
        times.push(performance.now() - started)
        console.timeStamp(`timeline-end-${i}`)
      }
      return times
    }, { url, count })
    await run(requests) // warm-up: module load, JIT
    await browser.startTracing(undefined, { categories: ['toplevel', 'devtools.timeline', '__metadata'] })
    const times = await run(requests)
    const events = (JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents
    const marks = new Map<string, number>()
    for (const event of events) if (event.name === 'TimeStamp') marks.set(String(event.args?.data?.message), event.ts)
    const median = times.map((ms, i) => ({ ms, i })).sort((a, b) => a.ms - b.ms)[Math.floor(times.length / 2)]!
    const start = marks.get(`timeline-start-${median.i}`)
    const end = marks.get(`timeline-end-${median.i}`)
    if (start === undefined || end === undefined) throw new Error('the trace holds no marks of the request')
    const steps = requestSteps(events, start, end)
    console.log(`GET ${url}, the median of ${requests} traced requests: ${((end - start) / 1000).toFixed(2)} ms (in the page: ${median.ms.toFixed(2)} ms)`)
    console.log('   at ms   task ms  thread: what ran')
    for (const step of steps.filter(step => step.ms >= LISTED_TASK_MS)) {
      console.log(`${step.atMs.toFixed(2).padStart(8)} ${step.ms.toFixed(2).padStart(9)}  ${step.where}: ${step.what}`)
    }
    console.log('each thread\'s tasks inside the request (ms):')
    for (const share of threadShares(steps).filter(share => share.ms >= LISTED_TASK_MS)) console.log(`  ${share.ms.toFixed(2).padStart(6)}  ${share.where}`)
  }
  finally {
    await browser.close()
    await server.stop()
  }
}

if (process.argv[1]?.endsWith('timeline.ts')) await main()

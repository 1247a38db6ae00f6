// CPU per request, thread by thread, from a Chromium trace of the whole
// browser (every process: the browser's own, the network service, each tab's
// renderer, their workers). While `run` makes its requests, the trace records
// each thread's top-level tasks; their thread time (CPU) and wall time,
// divided by the requests, say where a request's work is done. V8's sampling
// profiler says which functions took it. A thread is named by what it is in
// the request's path, told by the scripts it runs, else by its process.
import { writeFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'

export interface ThreadFigures {
  /** What the thread is in the request's path (the studio page, the service worker…), or its process's kind (browser, network service, GPU). */
  process: string
  thread: string
  /** CPU time of the thread's top-level tasks, per request (ms). */
  cpuMs: number
  /** Wall time of those tasks, per request (ms). */
  wallMs: number
  /** Sampled CPU (V8's profiler) by function, self time, ms per request, largest first. */
  hot: Array<{ fn: string, ms: number }>
}

export interface TraceEvent {
  name: string
  cat: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  tdur?: number
  id?: string
  args?: { name?: string, src_func?: string, data?: Record<string, unknown> }
}

interface CallFrame { functionName: string, url?: string, lineNumber?: number }
interface ProfileChunk { cpuProfile?: { nodes?: Array<{ id: number, callFrame: CallFrame }>, samples?: number[] }, timeDeltas?: number[] }

// Top-level tasks, the scripts a thread runs (FunctionCall: which thread is which), V8's samples, thread names.
const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-v8.cpu_profiler', '__metadata']

/**
 * Record a trace of the whole browser while `run` runs; its threads, busiest
 * first, per request (`requests`, or the number `requests` makes of what
 * `run` returned), and what `run` returned.
 */
export async function traceCpu<T>(browser: Browser, requests: number | ((value: T) => number), run: () => Promise<T>): Promise<{ threads: ThreadFigures[], value: T }> {
  await browser.startTracing(undefined, { categories: CATEGORIES })
  let value: T
  let trace: Buffer
  try {
    value = await run()
  }
  finally {
    trace = await browser.stopTracing()
    // TRACE_OUT=/tmp/t: keep the whole trace too, as /tmp/t-<time>.json (Perfetto or chrome://tracing opens it).
    if (process.env.TRACE_OUT) writeFileSync(`${process.env.TRACE_OUT}-${Date.now()}.json`, trace)
  }
  const count = typeof requests === 'number' ? requests : requests(value)
  return { threads: summarise((JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents, count), value }
}

/** A script's name as the summary shows it: its file, a data: or blob: URL as such. */
export function scriptFile(url: string | undefined): string {
  if (!url) return ''
  if (url.startsWith('data:')) return 'data: URL'
  if (url.startsWith('blob:')) return 'blob: URL'
  return url.split('?')[0]!.split('/').pop() ?? url
}

/** What a thread is in the request path, told by the scripts it runs. */
export function role(thread: string, urls: Set<string>): string | null {
  const any = (test: (url: string) => boolean) => [...urls].some(test)
  if (any(url => url.endsWith('/_ps/sw.js'))) return 'visitor: service worker'
  if (any(url => /\/_ps\/shell[^/]*\.js$/.test(url))) return 'visitor: shell page (and the site frame)'
  if (thread.startsWith('DedicatedWorker')) return 'host: handler worker'
  if (any(url => url.includes('/_ps/sandbox'))) return 'host: sandbox frame'
  if (any(url => url.includes('/_nuxt/'))) return 'host: studio page'
  return null
}

export function summarise(events: TraceEvent[], requests: number): ThreadFigures[] {
  const processNames = new Map<number, string>()
  const threadNames = new Map<string, string>()
  const urls = new Map<string, Set<string>>()
  const seen = (thread: string, url: unknown) => {
    if (typeof url === 'string' && url) urls.set(thread, (urls.get(thread) ?? new Set()).add(url))
  }
  // V8's sampling profiler: a profile per thread (its Profile event), its samples in chunks on a thread of its own.
  const profileThread = new Map<string, string>()
  const profileNodes = new Map<string, Map<number, CallFrame>>()
  const hot = new Map<string, Map<string, number>>()
  const samplesOf = new Map<string, Array<{ name: string, us: number }>>()
  const key = (event: TraceEvent) => `${event.pid}:${event.tid}`
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'process_name') processNames.set(event.pid, event.args?.name ?? '')
    if (event.ph === 'M' && event.name === 'thread_name') threadNames.set(key(event), event.args?.name ?? '')
    if (event.name === 'Profile' && event.id) profileThread.set(`${event.pid}:${event.id}`, key(event))
  }
  for (const event of events) {
    if (event.name !== 'ProfileChunk' || !event.id) continue
    const thread = profileThread.get(`${event.pid}:${event.id}`)
    if (!thread) continue
    const chunk = event.args?.data as ProfileChunk | undefined
    const nodes = profileNodes.get(thread) ?? new Map<number, CallFrame>()
    profileNodes.set(thread, nodes)
    for (const node of chunk?.cpuProfile?.nodes ?? []) {
      nodes.set(node.id, node.callFrame)
      seen(thread, node.callFrame.url)
    }
    const samples = chunk?.cpuProfile?.samples ?? []
    const deltas = chunk?.timeDeltas ?? []
    const sampled = samplesOf.get(thread) ?? []
    samplesOf.set(thread, sampled)
    samples.forEach((id, i) => {
      const frame = nodes.get(id)
      if (!frame || frame.functionName === '(idle)') return
      const name = `${frame.functionName || '(anonymous)'}${frame.url ? ` ${scriptFile(frame.url)}:${(frame.lineNumber ?? 0) + 1}` : ''}`
      sampled.push({ name, us: Math.max(0, deltas[i] ?? 0) })
    })
  }
  // A sample's time is the time since the one before; the first after the thread slept would carry the whole
  // sleep, so none counts for more than twice the thread's usual interval.
  for (const [thread, sampled] of samplesOf) {
    const usual = [...sampled].map(sample => sample.us).sort((a, b) => a - b)[Math.floor(sampled.length / 2)] ?? 0
    const self = new Map<string, number>()
    for (const { name, us } of sampled) self.set(name, (self.get(name) ?? 0) + Math.min(us, 2 * usual))
    hot.set(thread, self)
  }
  // Top-level tasks per thread; a nested one (inside another's interval) is not counted twice.
  const byThread = new Map<string, TraceEvent[]>()
  for (const event of events) {
    if (event.ph !== 'X' || event.dur === undefined) continue
    if (event.name === 'FunctionCall') seen(key(event), event.args?.data?.url)
    if (!event.cat.split(',').includes('toplevel')) continue
    const tasks = byThread.get(key(event)) ?? []
    tasks.push(event)
    byThread.set(key(event), tasks)
  }
  const figures: ThreadFigures[] = []
  for (const [thread, tasks] of byThread) {
    tasks.sort((a, b) => a.ts - b.ts)
    let end = -Infinity
    let cpu = 0
    let wall = 0
    for (const task of tasks) {
      if (task.ts < end) continue
      end = task.ts + (task.dur ?? 0)
      wall += task.dur ?? 0
      cpu += task.tdur ?? task.dur ?? 0
    }
    const pid = Number(thread.split(':')[0])
    const threadName = threadNames.get(thread) ?? thread
    const hottest = [...(hot.get(thread) ?? new Map<string, number>())]
      .map(([fn, us]) => ({ fn, ms: us / 1000 / requests }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 8)
    figures.push({
      process: role(threadName, urls.get(thread) ?? new Set()) ?? processNames.get(pid) ?? `process ${pid}`,
      thread: threadName,
      cpuMs: cpu / 1000 / requests,
      wallMs: wall / 1000 / requests,
      hot: hottest,
    })
  }
  return figures.sort((a, b) => b.cpuMs - a.cpuMs)
}

/** The threads that did at least this much per request are listed by name; the rest are summed. */
const LISTED_CPU_MS = 0.15

/** One thread's line: its CPU and wall ms per request, what it is, and its hottest functions. */
export function threadLine(thread: ThreadFigures): string {
  const hot = thread.hot.filter(entry => entry.ms >= 0.02).slice(0, 4).map(entry => `${entry.fn} ${entry.ms.toFixed(2)}`).join(', ')
  return `${thread.cpuMs.toFixed(2)} cpu, ${thread.wallMs.toFixed(2)} wall | ${thread.process} / ${thread.thread}${hot ? ` | ${hot}` : ''}`
}

/** The bench's lines for a traced comparison: total browser CPU per request each way, then the busiest threads with their hottest functions. */
export function cpuLines({ tunnel, direct }: { tunnel: ThreadFigures[], direct: ThreadFigures[] }): string[] {
  const total = (threads: ThreadFigures[]) => threads.reduce((sum, thread) => sum + thread.cpuMs, 0)
  const lines = [`browser CPU per request (Chromium trace of every process, tracing's own overhead included): tunnel ${total(tunnel).toFixed(2)} ms | Nitro ${total(direct).toFixed(2)} ms (Nitro's own process not traced)`]
  for (const [name, threads] of [['tunnel', tunnel], ['Nitro', direct]] as const) {
    const listed = threads.filter(thread => thread.cpuMs >= LISTED_CPU_MS)
    lines.push(`  ${name}, by thread (CPU ms per request, wall ms, hottest functions by sampled self time):`)
    for (const thread of listed) lines.push(`    ${threadLine(thread)}`)
    lines.push(`    ${total(threads.filter(thread => thread.cpuMs < LISTED_CPU_MS)).toFixed(2)} cpu in ${threads.length - listed.length} other threads`)
  }
  return lines
}

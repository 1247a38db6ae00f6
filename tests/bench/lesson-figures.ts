import type { KeySample } from './lesson-editor.ts'
import type { FollowRecord, VisitorReport } from './lesson-messages.ts'

// The lesson bench's figures from what its visitors and the host tab recorded.

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN
}

function ascending(values: number[]): number[] {
  return values.sort((a, b) => a - b)
}

function sum(reports: VisitorReport[], pick: (report: VisitorReport) => number): number {
  return reports.reduce((total, report) => total + pick(report), 0)
}

/** The 30-visitor page loads, beside the lone visitor's (whose first round was a warm-up). */
export function loadFigures(load: VisitorReport[], alone: VisitorReport[], pagesPerVisitor: number) {
  const times = ascending(load.flatMap(report => report.pages.map(page => page.ms)))
  const aloneTimes = ascending(alone.flatMap(report => report.pages.slice(pagesPerVisitor).map(page => page.ms)))
  const connects = ascending(load.flatMap(report => (report.connectMs === null ? [] : [report.connectMs])))
  const starts = load.map(report => report.startedAt)
  // From the first visitor's start to the last one's last byte: connecting is part of a lesson's first minute.
  const seconds = (Math.max(...load.map(report => report.endedAt)) - Math.min(...starts)) / 1000
  const requests = sum(load, report => report.requests)
  return {
    visitors: load.length,
    connected: connects.length,
    startSpreadMs: Math.max(...starts) - Math.min(...starts),
    connectP50: percentile(connects, 0.5),
    connectP95: percentile(connects, 0.95),
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
    liveReports: sum(load, report => report.liveReports),
    baselineConnectMs: alone[0]?.connectMs ?? Number.NaN,
    baselineP50: percentile(aloneTimes, 0.5),
    baselinePages: aloneTimes.length,
    ratio: percentile(times, 0.5) / percentile(aloneTimes, 0.5),
    failures: [...alone, ...load].flatMap(report => report.failures),
  }
}

/** One save: the epoch ms of its Ctrl-S keydown in the host tab, and each visitor's record of it. */
export interface SaveRun {
  keydownAt: number
  records: FollowRecord[]
}

/** Ctrl-S to each visitor's `reload` event and to its fresh stylesheet, over all visitors × saves; a visitor without a record missed it. */
export function followFigures(saves: SaveRun[], visitors: number) {
  const delivery = ascending(saves.flatMap(save => save.records.flatMap(record => (record.reloadAt === null ? [] : [record.reloadAt - save.keydownAt]))))
  const refresh = ascending(saves.flatMap(save => save.records.flatMap(record => (record.refreshedAt === null ? [] : [record.refreshedAt - save.keydownAt]))))
  const records = saves.flatMap(save => save.records)
  const expected = saves.length * visitors
  return {
    saves: saves.length,
    expected,
    deliveryP50: percentile(delivery, 0.5),
    deliveryP95: percentile(delivery, 0.95),
    deliveryMax: delivery.at(-1) ?? Number.NaN,
    refreshP50: percentile(refresh, 0.5),
    refreshP95: percentile(refresh, 0.95),
    refreshMax: refresh.at(-1) ?? Number.NaN,
    missedReloads: expected - delivery.length,
    notRefreshed: expected - refresh.length,
    strayReloads: records.reduce((total, record) => total + record.stray, 0),
    failures: records.flatMap(record => (record.failure ? [record.failure] : [])),
  }
}

function keyFigures(samples: KeySample[]) {
  const paint = ascending(samples.map(sample => sample.paintMs))
  const dom = ascending(samples.map(sample => sample.domMs))
  return { keystrokes: samples.length, p50: percentile(paint, 0.5), p95: percentile(paint, 0.95), max: paint.at(-1) ?? Number.NaN, domP50: percentile(dom, 0.5) }
}

/** Keystroke to paint in the host's editor with the visitors connected, beside before any visitor came. */
export function typingFigures(withVisitors: KeySample[], alone: KeySample[]) {
  const loaded = keyFigures(withVisitors)
  const baseline = keyFigures(alone)
  return { withVisitors: loaded, noVisitors: baseline, ratio: loaded.p50 / baseline.p50 }
}

import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../../server/utils/limits/defaults.ts'
import type { Memory, MemoryRun, SignalingFigures, ThroughputRun } from './signaling-messages.ts'

// The signaling bench's table: each PeerServer figure beside the bare `ws`
// server's, measured in the same run, and their ratio.

const MB = 1e6
const int = (n: number) => Math.round(n).toLocaleString('en-US')
const fixed = (n: number, digits = 1) => n.toFixed(digits)
const ratio = (ours: number, bare: number) => (bare > 0 ? `${fixed(ours / bare, 2)}×` : 'n/a')
const bytes = (n: number) => (n >= 1e12 ? `${fixed(n / 1e12, 0)} TB` : n >= 2 ** 20 ? `${fixed(n / 2 ** 20, 0)} MiB` : int(n))

function row(label: string, ours: string, bare: string, both: string): string {
  return `${label.padEnd(30)} | ${ours.padEnd(38)} | ${bare.padEnd(38)} | ${both}`
}

type MemoryKind = 'heap + external' | 'RSS'
const memoryOf = (memory: Memory, kind: MemoryKind) => (kind === 'RSS' ? memory.rss : memory.heapUsed + memory.external)

/** `before → after MB (+KB per unit)` and the growth. */
function memoryCell(run: MemoryRun, kind: MemoryKind, units: number, unit: string): { text: string, growth: number } {
  const before = memoryOf(run.before, kind)
  const growth = memoryOf(run.after, kind) - before
  const each = growth / Math.max(1, units) / 1000
  return { text: `${fixed(before / MB)} → ${fixed((before + growth) / MB)} MB (${each >= 0 ? '+' : ''}${fixed(each, 2)} KB/${unit})`, growth }
}

/** Heap + external and RSS rows of a pair of runs, the growth per `unit` (`units` of them). */
function memoryRows(pair: { peerserver: MemoryRun, bare: MemoryRun }, units: (run: MemoryRun) => number, unit: string): string[] {
  const lines = (['heap + external', 'RSS'] as const).map((kind) => {
    const ours = memoryCell(pair.peerserver, kind, units(pair.peerserver), unit)
    const bare = memoryCell(pair.bare, kind, units(pair.bare), unit)
    return row(`  ${kind}`, ours.text, bare.text, `growth ${ratio(ours.growth, bare.growth)}`)
  })
  for (const [name, run] of Object.entries(pair)) {
    if (run.opened < run.sockets) lines.push(`  only ${int(run.opened)} of ${int(run.sockets)} sockets stayed open on the ${name} server`)
  }
  return lines
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

/** Median messages delivered a second, and median server CPU time per message with the rate one core would give at that cost. */
function rateRows({ frameBytes, peerserver, bare }: SignalingFigures['throughput'][number]): string[] {
  const figures = (runs: ThroughputRun[]) => {
    const rate = median(runs.map(run => run.messages / run.seconds))
    const cpu = median(runs.map(run => run.serverCpuMicros / Math.max(1, run.messages)))
    return { rate, cpu, rateText: `${int(rate)} msg/s (${fixed(rate * frameBytes / MB)} MB/s)`, cpuText: `${fixed(cpu)} µs (one core: ${int(1e6 / cpu)} msg/s)` }
  }
  const ours = figures(peerserver)
  const theirs = figures(bare)
  const lines = [
    row(`${fixed(frameBytes / 1024, 0)} KiB frames, delivered`, ours.rateText, theirs.rateText, ratio(ours.rate, theirs.rate)),
    row('  server CPU per message', ours.cpuText, theirs.cpuText, ratio(ours.cpu, theirs.cpu)),
  ]
  const lost = (runs: ThroughputRun[]) => runs.reduce((sum, run) => sum + run.lost, 0)
  if (lost(peerserver) + lost(bare) > 0) lines.push(`  frames lost or refused: PeerServer ${int(lost(peerserver))}, bare ${int(lost(bare))}`)
  return lines
}

/** What was raised over the defaults, as `name default → value (where)`. */
function raisedLine(raised: SignalingFigures['raised']): string {
  const parts = Object.entries(raised).flatMap(([where, limits]) => Object.entries(limits).map(([name, value]) => {
    const given = DEFAULT_SERVER_LIMITS[name as keyof ServerLimits]
    const format = name.includes('Bytes') ? bytes : int
    return `${name} ${format(given)} → ${format(value)} (${where})`
  }))
  return `PeerServer's limits raised for this bench, all clients being 127.0.0.1 (defaults otherwise): ${parts.join('; ')}`
}

/** The table's lines. */
export function signalingLines(figures: SignalingFigures): string[] {
  const { idle, sessions } = figures
  const lines = [
    raisedLine(figures.raised),
    row('', 'PeerServer /_ps/signal', 'bare ws echo server', 'ratio'),
    `${int(idle.peerserver.sockets)} idle sockets (server memory after a full GC, before → after)`,
    ...memoryRows(idle, run => run.opened, 'socket'),
  ]
  if (idle.peerserver.sockets < 10_000) lines.push(`  only ${int(idle.peerserver.sockets)} idle sockets, not 10,000: the open-files limit is ${int(figures.openFilesLimit)} (ulimit -n, hard)`)
  const { peerserver: relayed } = sessions
  lines.push(
    `${int(relayed.sessions)} relayed sessions, open after each relayed ${fixed(relayed.relayedBytes / relayed.sessions / 1024, 0)} KiB (1 KiB request, 4 × 64 KiB reply): ${int(relayed.sockets - relayed.sessions)} host and ${int(relayed.sessions)} visitor sockets; the bare server echoed the same bytes on as many`,
    ...memoryRows(sessions, () => relayed.sessions, 'session'),
    `relay frames through the server, median of ${figures.throughput[0]?.peerserver.length ?? 0} alternating rounds (4 sessions, a window of frames in flight each; the clients share the machine's cores with the server)`,
  )
  for (const pair of figures.throughput) lines.push(...rateRows(pair))
  return lines
}

import { SignalingClient } from '../../lib/peer/signaling-client'
import { connectToHost } from '../../lib/peer/rtc-session'
import { TunnelClient } from '../../lib/tunnel/client'
import { dataChannelTransport } from '../../lib/tunnel/rtc'
import type { LessonConfig, VisitorReport } from './lesson-messages.ts'
import { epochMs, LessonFollower } from './lesson-live.ts'
import { errorMessage } from '../../shared/error-message'

// One visitor of the lesson bench, as the visitor shell (visitor/connection.ts)
// does it: `visit` on signaling, one data channel, our TunnelClient over it,
// and the shell's live channel through that (lesson-live.ts).
// Runs in a Node peer process whose globals WebSocket and RTCPeerConnection
// are set (lesson-peers.ts).

/**
 * How long a bench visitor waits for ICE. It has no relay to fall back on (the
 * shell does, after DEFAULT_RELAY_AFTER_MS): with 100 peers connecting at once
 * on two cores, ICE takes seconds, and the bench measures how many.
 */
const BENCH_ICE_TIMEOUT_MS = 30_000

/** Stylesheets, scripts and images a browser would fetch for this HTML, as absolute paths. */
export function subresources(html: string, page: string): string[] {
  const refs = [...html.matchAll(/<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"/g)].map(match => match[1] ?? '')
  return refs.map(ref => new URL(ref, `http://site${page}`).pathname)
}

/** A connected visitor: its tunnel, its live channel (opened at once), and how to hang up. */
export interface Visit {
  client: TunnelClient
  live: LessonFollower
  close(): void
}

/** Connect visitor number `visitor` to a host of the site; the ms it took is the visit's connect time. */
export async function connect(config: LessonConfig, visitor: number): Promise<Visit> {
  const signaling = await SignalingClient.open(config.signalUrl)
  try {
    signaling.send({ type: 'visit', site: config.site })
    const visiting = await signaling.waitFor(m => (m.type === 'visiting' ? m : undefined))
    const { pc, channel } = await connectToHost(signaling, visiting.session, visiting.iceServers, BENCH_ICE_TIMEOUT_MS)
    const client = new TunnelClient(dataChannelTransport(channel))
    const live = new LessonFollower(visitor, client)
    return {
      client,
      live,
      close: () => {
        live.close()
        client.close()
        pc.close()
        signaling.close()
      },
    }
  }
  catch (error) {
    signaling.close()
    throw error
  }
}

/** GET `url` to its last byte; a status or length other than expected is a failure in `report`. Returns the body. */
async function get(client: TunnelClient, url: string, config: LessonConfig, report: VisitorReport): Promise<Uint8Array> {
  const response = await client.request({ method: 'GET', url, headers: [['accept', '*/*']] })
  const chunks: Uint8Array[] = []
  let bytes = 0
  const reader = response.body.getReader()
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value)
    bytes += read.value.byteLength
  }
  report.requests++
  report.bytes += bytes
  const expected = config.sizes[url]
  if (response.head.status !== 200) report.failures.push(`visitor ${report.visitor} ${url}: status ${response.head.status}`)
  else if (bytes !== expected) report.failures.push(`visitor ${report.visitor} ${url}: ${bytes} bytes, expected ${expected}`)
  return Buffer.concat(chunks)
}

/** Load `page` as a browser would: the HTML, then all it references at once; ms to the last byte, and what it references. */
export async function loadPage(client: TunnelClient, page: string, config: LessonConfig, report: VisitorReport): Promise<{ ms: number, refs: string[] }> {
  const started = performance.now()
  const html = new TextDecoder().decode(await get(client, page, config, report))
  const refs = subresources(html, page)
  if (refs.length < 4) report.failures.push(`visitor ${report.visitor} ${page}: ${refs.length} resources, expected 4`)
  await Promise.all(refs.map(ref => get(client, ref, config, report)))
  return { ms: performance.now() - started, refs }
}

/** One visitor: connect, load every page `rounds` times; failures are reported, never thrown. Returns the open visit too. */
export async function runVisitor(visitor: number, config: LessonConfig): Promise<{ report: VisitorReport, visit: Visit | null }> {
  const report: VisitorReport = { visitor, startedAt: epochMs(), endedAt: 0, connectMs: null, pages: [], requests: 0, bytes: 0, liveReports: 0, failures: [] }
  let visit: Visit | null = null
  // The shell does not wait for its reports either.
  const reported: Array<Promise<void>> = []
  try {
    const started = performance.now()
    visit = await connect(config, visitor)
    report.connectMs = performance.now() - started
    for (let round = 0; round < config.rounds; round++) {
      for (const url of config.pages) {
        const { ms, refs } = await loadPage(visit.client, url, config, report)
        report.pages.push({ url, ms })
        reported.push(visit.live.at(url, refs.filter(ref => ref.endsWith('.css')), report))
      }
    }
  }
  catch (error) {
    report.failures.push(`visitor ${visitor}: ${errorMessage(error)}`)
  }
  report.endedAt = epochMs()
  await Promise.all(reported)
  const refused = await visit?.live.opened
  if (refused) report.failures.push(refused)
  return { report, visit }
}

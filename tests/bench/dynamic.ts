import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core'
import type { Evaluator } from './bare-page.ts'
import type { TestServer } from '../helpers/server.ts'
import { driven, openRawChannel, visitor } from './tunnel.ts'
import { traceCpu, type ThreadFigures } from './trace.ts'

/** Requests each Chromium trace covers (one client, back to back). */
const TRACED_REQUESTS = 200

const SECONDS = 5

/** The 20 documents the page lists: seeded into the site's database, and read by the Nitro baseline from notes.json. */
const NOTES = Array.from({ length: 20 }, (_, i) => ({ n: i, title: `Note ${i}`, text: `Some text for note ${i}` }))
/** The page the view renders from them, byte for byte: served as a static file, and by a route that returns it as it is (the profile). */
const RENDERED = `<!doctype html><title>Notes</title><ul>${NOTES.map(note => `<li><b>${note.title}</b> ${note.text}</li>`).join('')}</ul>`

/**
 * A site with one dynamic page: a Mustache view listing 20 documents read
 * from the database. The same folder is the Nitro baseline's
 * (PS_BENCH_DYNAMIC_DIR): its view, and the documents in notes.json.
 */
export function writeDynamicSite(): string {
  const root = mkdtempSync(join(tmpdir(), 'peerserver-dynamic-'))
  const files: Record<string, string> = {
    'routes/seed.post.js': `export default defineHandler(async (event) => {
  const notes = db.collection('notes')
  if (await notes.count() === 0) await notes.insert(await readBody(event))
  return { notes: await notes.count() }
})`,
    'notes.json': JSON.stringify(NOTES),
    'routes/notes.get.js': `export default defineHandler(async () => render('notes', { notes: await db.collection('notes').find({}, { sort: { n: 1 }, limit: 20 }) }))`,
    'views/notes.mustache': '<!doctype html><title>Notes</title><ul>{{#notes}}<li><b>{{title}}</b> {{text}}</li>{{/notes}}</ul>',
    'public/index.html': '<!doctype html><title>dynamic</title><h1>Dynamic bench</h1>',
    'public/notes.html': RENDERED,
    'routes/constant.get.js': `const page = ${JSON.stringify(RENDERED)}\nexport default defineHandler((event) => { setHeader(event, 'content-type', 'text/html; charset=utf-8'); return page })`,
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'site', path)), { recursive: true })
    writeFileSync(join(root, 'site', path), text)
  }
  return join(root, 'site')
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN
}

/** Each client requests `url` back to back for `seconds`; returns every latency in ms. */
async function load(frames: Frame[], seconds: number, url = '/notes'): Promise<number[]> {
  const all = await Promise.all(frames.map(frame => frame.evaluate(async ({ seconds, url }) => {
    const times: number[] = []
    const end = performance.now() + seconds * 1000
    while (performance.now() < end) {
      const started = performance.now()
      const response = await fetch(url)
      const text = await response.text()
      if (!response.ok || !text.includes('Note 19')) throw new Error(`bad response ${response.status} for ${url}`)
      times.push(performance.now() - started)
    }
    return times
  }, { seconds, url })))
  return all.flat()
}

type Figures = { rps: number, p50: number, p95: number }
const figures = (unsorted: number[], seconds: number): Figures => {
  const times = [...unsorted].sort((a, b) => a - b)
  return { rps: times.length / seconds, p50: percentile(times, 0.5), p95: percentile(times, 0.95) }
}

/** A host tab serving the dynamic site (its database seeded with NOTES), and `visitors` visitors' site frames. */
export async function openDynamicHost(browser: Browser, server: TestServer, siteDir: string, visitors: number): Promise<{ host: Page, context: BrowserContext, frames: Frame[] }> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  const host = await context.newPage()
  await host.goto(`${server.url}/host/dynamic-bench`)
  await host.getByTestId('host-status').filter({ hasText: 'Serving' }).waitFor({ timeout: 20_000 })
  await host.getByTestId('upload-folder').setInputFiles(siteDir)
  await host.getByTestId('file-views/notes.mustache').waitFor()
  const frames = await Promise.all(Array.from({ length: visitors }, async () => (await visitor(browser, server, 'dynamic-bench')).frame))
  await frames[0]!.evaluate(notes => fetch('/seed', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(notes) }).then(r => r.json()), NOTES)
  return { host, context, frames }
}

/**
 * Dynamic requests one host tab serves, with 1 and with 10 concurrent
 * visitors, beside the same page from Nitro directly (the view rendered from
 * memory), fetched by the same number of Chromium pages, in the same run.
 */
export async function benchDynamic(browser: Browser, server: TestServer, siteDir: string) {
  const { host, context, frames } = await openDynamicHost(browser, server, siteDir, 10)
  // The baseline's clients: Chromium pages on the app's origin, fetching the same page from Nitro.
  const direct = await Promise.all(Array.from({ length: 10 }, async () => {
    const page = await context.newPage()
    await page.goto(`${server.url}/_ps/bench/notes`)
    return page.mainFrame()
  }))
  await load(frames.slice(0, 1), 1) // warm-up: module load, JIT
  await load(direct.slice(0, 1), 1, '/_ps/bench/notes')
  const result: Record<string, { tunnel: Figures, direct: Figures }> = {}
  for (const clients of [1, 10]) {
    const tunnel = figures(await load(frames.slice(0, clients), SECONDS), SECONDS)
    const nitro = figures(await load(direct.slice(0, clients), SECONDS, '/_ps/bench/notes'), SECONDS)
    result[`clients${clients}`] = { tunnel, direct: nitro }
  }
  // The profile and the trace follow one client each way: the other pages go, so the trace holds the request's path (and tracing's cost in idle pages does not blur it).
  await Promise.all([...frames.slice(1).map(frame => frame.page().context().close()), ...direct.slice(1).map(frame => frame.page().close())])
  const cpu = await cpuByThread(browser, frames[0]!, direct[0]!)
  return { clients: result, profile: await profile(host, frames[0]!), cpu }
}

/**
 * Where one visitor's request spends its time, each step measured on its
 * own in this run (1 client, p50): a message there and back on a raw data
 * channel between the two tabs (the transport's floor), the same bytes as a
 * static file through the tunnel (service worker, shell, tunnel, host, file
 * read), through a route that returns them as they are (plus the handler
 * worker's hop), and the real route (plus the database and the view).
 */
async function profile(host: Page, frame: Frame) {
  const shell = driven(frame.page())
  await openRawChannel(driven(host), shell)
  const roundTrip = await rawRoundTrips(driven(host), shell, RENDERED.length, 300)
  const p50 = async (url: string) => {
    await load([frame], 0.5, url)
    return figures(await load([frame], SECONDS / 2, url), SECONDS / 2).p50
  }
  return { rawRoundTripMs: roundTrip, staticMs: await p50('/notes.html'), constantRouteMs: await p50('/constant'), dynamicRouteMs: await p50('/notes') }
}

/**
 * CPU per request, thread by thread, from a Chromium trace of the whole
 * browser: TRACED_REQUESTS of the dynamic page through the tunnel, then the
 * same number from Nitro (whose own process is not in the trace).
 */
async function cpuByThread(browser: Browser, tunnelClient: Frame, directClient: Frame): Promise<{ tunnel: ThreadFigures[], direct: ThreadFigures[] }> {
  const requests = (frame: Frame, url: string) => async () => {
    await frame.evaluate(async ({ url, count }) => {
      for (let i = 0; i < count; i++) await (await fetch(url)).text()
    }, { url, count: TRACED_REQUESTS })
  }
  // The first trace of a browser starts V8's profiler in every page, which logs all their code at once: a throwaway trace takes that.
  await traceCpu(browser, 1, () => new Promise(resolve => setTimeout(resolve, 500)))
  const tunnel = await traceCpu(browser, TRACED_REQUESTS, requests(tunnelClient, '/notes'))
  const direct = await traceCpu(browser, TRACED_REQUESTS, requests(directClient, '/_ps/bench/notes'))
  return { tunnel: tunnel.threads, direct: direct.threads }
}

/** p50 ms of `count` round trips on the raw channel: the visitor's page sends 200 bytes, the host page answers `bytes`. */
async function rawRoundTrips(hostTab: Evaluator, visitorPage: Evaluator, bytes: number, count: number): Promise<number> {
  await hostTab.evaluate((bytes) => {
    const w = window as unknown as { benchChannel: RTCDataChannel }
    const answer = new Uint8Array(bytes)
    w.benchChannel.onmessage = () => w.benchChannel.send(answer)
  }, bytes)
  return visitorPage.evaluate(async (count) => {
    const channel = await (window as unknown as { benchReceiver: Promise<RTCDataChannel> }).benchReceiver
    channel.binaryType = 'arraybuffer'
    const times: number[] = []
    const ask = new Uint8Array(200)
    for (let i = 0; i < count; i++) {
      const started = performance.now()
      await new Promise<void>((resolve) => {
        channel.onmessage = () => resolve()
        channel.send(ask)
      })
      times.push(performance.now() - started)
    }
    times.sort((a, b) => a - b)
    return times[Math.floor(times.length / 2)] ?? Number.NaN
  }, count)
}

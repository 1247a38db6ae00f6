import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Browser, Frame } from 'playwright-core'
import type { TestServer } from '../helpers/server.ts'
import { visitor } from './tunnel.ts'

const SECONDS = 5

/** A site with one dynamic page: a Mustache view listing 20 documents read from the database. */
function writeDynamicSite(): string {
  const root = mkdtempSync(join(tmpdir(), 'peerserver-dynamic-'))
  const files: Record<string, string> = {
    'routes/seed.post.js': `export default defineHandler(async () => {
  const notes = db.collection('notes')
  if (await notes.count() === 0) await notes.insert(Array.from({ length: 20 }, (_, i) => ({ n: i, title: 'Note ' + i, text: 'Some text for note ' + i })))
  return { notes: await notes.count() }
})`,
    'routes/notes.get.js': `export default defineHandler(async () => render('notes', { notes: await db.collection('notes').find({}, { sort: { n: 1 }, limit: 20 }) }))`,
    'views/notes.mustache': '<!doctype html><title>Notes</title><ul>{{#notes}}<li><b>{{title}}</b> {{text}}</li>{{/notes}}</ul>',
    'public/index.html': '<!doctype html><title>dynamic</title><h1>Dynamic bench</h1>',
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

/** Each visitor requests the page back to back for `seconds`; returns every latency in ms. */
async function load(frames: Frame[], seconds: number): Promise<number[]> {
  const all = await Promise.all(frames.map(frame => frame.evaluate(async (seconds) => {
    const times: number[] = []
    const end = performance.now() + seconds * 1000
    while (performance.now() < end) {
      const started = performance.now()
      const response = await fetch('/notes')
      const text = await response.text()
      if (!response.ok || !text.includes('Note 19')) throw new Error(`bad response ${response.status}`)
      times.push(performance.now() - started)
    }
    return times
  }, seconds)))
  return all.flat()
}

/** Dynamic requests one host tab serves, with 1 and with 10 concurrent visitors. */
export async function benchDynamic(browser: Browser, server: TestServer) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  const host = await context.newPage()
  await host.goto(`${server.url}/host/dynamic-bench`)
  await host.getByTestId('host-status').filter({ hasText: 'Serving' }).waitFor({ timeout: 20_000 })
  await host.getByTestId('upload-folder').setInputFiles(writeDynamicSite())
  await host.getByTestId('file-views/notes.mustache').waitFor()
  const frames = await Promise.all(Array.from({ length: 10 }, async () => (await visitor(browser, server, 'dynamic-bench')).frame))
  await frames[0]!.evaluate(() => fetch('/seed', { method: 'POST' }).then(r => r.json()))
  await load(frames.slice(0, 1), 1) // warm-up: module load, JIT
  const result: Record<string, { rps: number, p50: number, p95: number }> = {}
  for (const visitors of [1, 10]) {
    const times = (await load(frames.slice(0, visitors), SECONDS)).sort((a, b) => a - b)
    result[`visitors${visitors}`] = { rps: times.length / SECONDS, p50: percentile(times, 0.5), p95: percentile(times, 0.95) }
  }
  return result
}

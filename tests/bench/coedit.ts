import { randomBytes } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { strToU8, zipSync } from 'fflate'
import type { TestServer } from '../helpers/server.ts'
import { driven, median, openRawChannel } from './tunnel.ts'

const KEYSTROKES = 60
/** Files beside the typed page in the keystroke bench's second site: about what a class site of a term holds. */
const MANY_FILES = 200

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN
}

async function author(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  return context.newPage()
}

async function serving(page: Page, timeout = 60_000) {
  await page.getByTestId('host-status').filter({ hasText: 'Serving' }).waitFor({ timeout })
}

/** The owner's studio of `site` from `zip` (landing page, "from a zip"), and the invite link. */
async function ownerFromZip(browser: Browser, server: TestServer, site: string, zip: Uint8Array): Promise<{ owner: Page, link: string }> {
  const owner = await author(browser)
  await owner.goto(server.url)
  await owner.getByTestId('site-name').fill(site)
  await owner.getByTestId('new-from-zip').setInputFiles({ name: `${site}.zip`, mimeType: 'application/zip', buffer: Buffer.from(zip) })
  await owner.getByTestId('create-site').click()
  await serving(owner)
  await owner.getByTestId('invite').click()
  await owner.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-testid=invite-link]')?.value.includes('&code='), undefined, { timeout: 10_000 })
  const link = await owner.getByTestId('invite-link').inputValue()
  await owner.getByTestId('invite').click()
  return { owner, link }
}

/**
 * Keystroke in one author's Monaco to the character drawn in another's, ms
 * (both pages' clocks share the time origin's epoch), in a site of one page
 * and `otherFiles` more (the studio's file tree lists them all).
 */
async function keystrokeLatency(browser: Browser, server: TestServer, otherFiles = 0): Promise<{ p50: number, p95: number }> {
  const files: Record<string, Uint8Array> = { 'public/index.html': strToU8('<!doctype html>\n<p>typing</p>\n\n') }
  for (let i = 0; i < otherFiles; i++) files[`public/pages/page-${i}.html`] = strToU8(`<!doctype html><title>Page ${i}</title><h1>Page ${i}</h1>\n`)
  const { owner, link } = await ownerFromZip(browser, server, otherFiles ? `bench-keys-${otherFiles}` : 'bench-keys', siteZip(files, {}))
  const other = await author(browser)
  await other.goto(link)
  await other.getByTestId('invite-accept').click()
  await serving(other)
  for (const page of [owner, other]) {
    await page.getByTestId('file-public/index.html').click()
    await page.locator('[data-testid=editor][data-loaded=true]').waitFor({ timeout: 30_000 })
  }
  await owner.locator('.view-line').nth(2).click()
  await owner.evaluate(() => addEventListener('keydown', e => Object.assign(window, { lastKeyAt: performance.timeOrigin + e.timeStamp }), true))
  const latencies: number[] = []
  for (let i = 0; i < KEYSTROKES; i++) {
    const marker = `k${i}x`
    const seen = other.evaluate(marker => new Promise<number>((resolve) => {
      const lines = document.querySelector('[data-testid=editor] .view-lines')
      if (!lines) throw new Error('no editor')
      const observer = new MutationObserver(() => {
        if (!lines.textContent?.includes(marker)) return
        observer.disconnect()
        resolve(performance.timeOrigin + performance.now())
      })
      observer.observe(lines, { subtree: true, childList: true, characterData: true })
    }), marker)
    await owner.keyboard.type(marker.slice(0, -1))
    await owner.keyboard.press('x')
    const at = await seen
    latencies.push(at - await owner.evaluate(() => (window as unknown as { lastKeyAt: number }).lastKeyAt))
  }
  await owner.context().close()
  await other.context().close()
  const sorted = latencies.sort((a, b) => a - b)
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) }
}

/** A zip in the site-archive layout the studio exports (see lib/site/zip.ts): files, database, manifest. */
function siteZip(files: Record<string, Uint8Array>, collections: Record<string, object[]>): Uint8Array {
  const entries: Record<string, Uint8Array> = { ...files, '.peerserver/site.json': strToU8(JSON.stringify({ format: 'peerserver-site', version: 1 })) }
  for (const [name, docs] of Object.entries(collections)) entries[`.peerserver/db/${name}.json`] = strToU8(JSON.stringify(docs))
  return zipSync(entries)
}

/** A site of 200 files, 5 MiB of pictures and 5,000 documents, as an exported zip. */
function bigSite(): Uint8Array {
  const files: Record<string, Uint8Array> = {}
  for (let i = 0; i < 190; i++) files[`public/pages/page-${i}.html`] = strToU8(`<!doctype html><title>Page ${i}</title><h1>Page ${i}</h1>\n${'<p>Some text of the page.</p>\n'.repeat(20)}`)
  for (let i = 0; i < 10; i++) files[`public/img/photo-${i}.png`] = randomBytes(512 * 1024)
  return siteZip(files, { items: Array.from({ length: 5000 }, (_, i) => ({ _id: `item-${i}`, n: i, title: `Item ${i}`, done: i % 3 === 0 })) })
}

/** Time for an author who joins late (an invite opened in a fresh browser) to hold the whole site. */
async function lateJoin(browser: Browser, server: TestServer): Promise<{ ms: number, bytes: number, steps: Record<string, number> }> {
  const zip = bigSite()
  const { owner, link } = await ownerFromZip(browser, server, 'bench-big', zip)
  await owner.getByTestId('file-public/pages/page-189.html').waitFor({ timeout: 60_000 })
  const late = await author(browser)
  const started = Date.now()
  const steps: Record<string, number> = {}
  const step = (name: string) => {
    steps[name] = Date.now() - started
  }
  await late.goto(link)
  step('studio loaded')
  await late.getByTestId('invite-accept').click()
  step('invite accepted')
  await serving(late, 120_000)
  step('serving')
  await late.getByTestId('panel-database').click()
  await late.getByTestId('db-collection-items').filter({ hasText: '5000' }).waitFor({ timeout: 120_000 })
  step('5,000 documents listed')
  await late.getByTestId('file-public/img/photo-9.png').waitFor({ timeout: 120_000 })
  step('last picture in the tree')
  const ms = Date.now() - started
  await owner.context().close()
  await late.context().close()
  return { ms, bytes: zip.byteLength, steps }
}

/** What the late joiner's sync is, in size and in chunks (lib/peer/chunked-channel.ts's CHUNK_BYTES). */
const COLD_BYTES = 6_000_000
const COLD_CHUNK_BYTES = 60 * 1024
/** chunked-channel.ts's SEND_HIGH_WATER and SEND_LOW_WATER (plain Node, which runs the bench, cannot import lib/). */
const PACED = { high: 64 * 1024, low: 16 * 1024 }
const COLD_ROUNDS = 5

/**
 * ms from the first send to the last byte received of COLD_BYTES over a
 * fresh data channel between two pages: all at once (what chunked channels
 * did before) or paced as they are now. Median of COLD_ROUNDS fresh channels.
 */
async function coldTransfers(browser: Browser): Promise<{ atOnce: number, paced: number }> {
  const sender = await author(browser)
  const receiver = await author(browser)
  const times: { atOnce: number[], paced: number[] } = { atOnce: [], paced: [] }
  try {
    for (let round = 0; round < COLD_ROUNDS; round++) {
      for (const mode of ['atOnce', 'paced'] as const) {
        await openRawChannel(driven(sender), driven(receiver))
        const received = receiver.evaluate(async (total) => {
          const channel = await (window as unknown as { benchReceiver: Promise<RTCDataChannel> }).benchReceiver
          channel.binaryType = 'arraybuffer'
          return new Promise<number>((resolve) => {
            let got = 0
            channel.addEventListener('message', (e: MessageEvent) => {
              got += (e.data as ArrayBuffer).byteLength
              if (got >= total) resolve(performance.timeOrigin + performance.now())
            })
          })
        }, COLD_BYTES)
        const started = await sender.evaluate(async ({ total, size, pacing }) => {
          const channel = (window as unknown as { benchChannel: RTCDataChannel }).benchChannel
          if (pacing) channel.bufferedAmountLowThreshold = pacing.low
          const chunk = new Uint8Array(size)
          const started = performance.timeOrigin + performance.now()
          for (let sent = 0; sent < total; sent += size) {
            if (pacing && channel.bufferedAmount > pacing.high) await new Promise(resolve => channel.addEventListener('bufferedamountlow', resolve, { once: true }))
            channel.send(chunk)
          }
          return started
        }, { total: COLD_BYTES, size: COLD_CHUNK_BYTES, pacing: mode === 'paced' ? PACED : null })
        times[mode].push(await received - started)
        await sender.evaluate(() => (window as unknown as { benchPc: RTCPeerConnection }).benchPc.close())
      }
    }
  }
  finally {
    await sender.context().close()
    await receiver.context().close()
  }
  return { atOnce: median(times.atOnce), paced: median(times.paced) }
}

/** The co-editing benchmark: keystroke latency between two authors, and a late joiner's sync of a big site. */
export async function benchCoedit(browser: Browser, server: TestServer) {
  const keys = await keystrokeLatency(browser, server)
  const keysManyFiles = await keystrokeLatency(browser, server, MANY_FILES)
  const join = await lateJoin(browser, server)
  const cold = await coldTransfers(browser)
  return { keystrokeP50: keys.p50, keystrokeP95: keys.p95, manyFiles: MANY_FILES, manyFilesP50: keysManyFiles.p50, manyFilesP95: keysManyFiles.p95, lateJoinMs: join.ms, lateJoinZipBytes: join.bytes, lateJoinSteps: join.steps, coldAtOnceMs: cold.atOnce, coldPacedMs: cold.paced }
}

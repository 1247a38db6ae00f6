import { randomBytes } from 'node:crypto'
import type { Browser, Frame, Page } from 'playwright-core'
import type { TestServer } from '../helpers/server.ts'
import type { BenchFile } from './site-files.ts'
import { openBarePage, siteFrameShown, type Evaluator } from './bare-page.ts'

const RUNS = 30
const BULK_BYTES = 20 * 1024 * 1024
const BULK_ROUNDS = 7

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** Time `runs` loads of `path` in an iframe of `page` (ms, median), cache bypassed by a fresh query. */
export async function pageLoads(page: Page, path: string, runs: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    times.push(await page.evaluate(async ({ path, i }) => {
      const frame = document.createElement('iframe')
      frame.style.cssText = 'position:fixed;left:0;top:0;width:800px;height:600px;border:0;z-index:5'
      const started = performance.now()
      const loaded = new Promise(resolve => frame.addEventListener('load', resolve, { once: true }))
      frame.src = `${path}?run=${i}`
      document.body.append(frame)
      await loaded
      const ms = performance.now() - started
      frame.remove()
      return ms
    }, { path, i }))
  }
  return times
}

/** With camera and microphone granted, Chromium gathers plain loopback ICE candidates (no mDNS names). */
const LOOPBACK_ICE = ['camera', 'microphone']

/** Where the app is, as the bench's browsers reach it. */
type App = Pick<TestServer, 'url' | 'port'>

/** A host tab of `site` in a context of its own, serving `files` under public/. */
export async function host(browser: Browser, server: App, site: string, files: BenchFile[], permissions = LOOPBACK_ICE): Promise<Page> {
  const context = await browser.newContext({ permissions })
  const page = await context.newPage()
  await page.goto(`${server.url}/host/${site}`)
  await page.getByTestId('host-status').filter({ hasText: 'Serving' }).waitFor({ timeout: 20_000 })
  await page.getByTestId('upload').setInputFiles(files)
  await page.getByTestId(`file-public/${files.at(-1)?.name}`).waitFor()
  return page
}

/** A visitor of `site` in a context of its own, once the site's frame shows; the shell page and that frame. */
export async function visitor(browser: Browser, server: App, site: string, permissions = LOOPBACK_ICE): Promise<{ page: Page, frame: Frame }> {
  const context = await browser.newContext({ permissions })
  const page = await context.newPage()
  await page.goto(`http://${site}.localhost:${server.port}/`)
  await page.frameLocator('#ps-site').locator('body').waitFor({ timeout: 30_000 })
  const frame = page.frames().find(f => f !== page.mainFrame())
  if (!frame) throw new Error('the visitor shell shows no site frame')
  return { page, frame }
}

/** A Playwright page as an Evaluator (its argument types are Playwright's own). */
export const driven = (page: Page): Evaluator => ({ evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => never, arg) })

/** MB/s of fetching `path` to the end inside the site's frame of a visitor shell. */
export async function tunnelDownload(shell: Evaluator, path: string): Promise<number> {
  return shell.evaluate(async (path) => {
    const site = document.getElementById('ps-site') as HTMLIFrameElement | null
    const fetchInFrame = (site?.contentWindow as (Window & typeof globalThis) | null)?.fetch
    if (!fetchInFrame) throw new Error('the visitor shell shows no site frame')
    const started = performance.now()
    const response = await fetchInFrame(path)
    const reader = response.body!.getReader()
    let bytes = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      bytes += value.byteLength
    }
    return bytes / 1e6 / ((performance.now() - started) / 1000)
  }, path)
}

/** Open a raw data channel between the two pages (SDP passed by the benchmark itself, no signaling). */
export async function openRawChannel(sender: Evaluator, receiver: Evaluator): Promise<void> {
  const gathered = `new Promise(resolve => pc.iceGatheringState === 'complete' ? resolve() : pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()))`
  const offer = await sender.evaluate(async (gathered) => {
    const pc = new RTCPeerConnection({ iceServers: [] })
    const channel = pc.createDataChannel('bench-raw', { ordered: true })
    channel.binaryType = 'arraybuffer'
    Object.assign(window, { benchPc: pc, benchChannel: channel })
    await pc.setLocalDescription(await pc.createOffer())
    await new Function('pc', `return ${gathered}`)(pc)
    return pc.localDescription!.toJSON()
  }, gathered)
  const answer = await receiver.evaluate(async ({ offer, gathered }) => {
    const pc = new RTCPeerConnection({ iceServers: [] })
    const opened = new Promise<RTCDataChannel>(resolve => pc.addEventListener('datachannel', e => resolve(e.channel)))
    await pc.setRemoteDescription(offer)
    await pc.setLocalDescription(await pc.createAnswer())
    await new Function('pc', `return ${gathered}`)(pc)
    Object.assign(window, { benchReceiver: opened })
    return pc.localDescription!.toJSON()
  }, { offer, gathered })
  await sender.evaluate(async (answer) => {
    const w = window as unknown as { benchPc: RTCPeerConnection, benchChannel: RTCDataChannel }
    await w.benchPc.setRemoteDescription(answer)
    if (w.benchChannel.readyState !== 'open') await new Promise(resolve => w.benchChannel.addEventListener('open', resolve, { once: true }))
  }, answer)
}

/** MB/s of sending `bytes` over the raw channel in 64 KiB messages, with the tunnel's flow-control limits. */
async function rawDataChannel(sender: Evaluator, receiver: Evaluator, bytes: number): Promise<number> {
  const received = receiver.evaluate(async (total) => {
    const channel = await (window as unknown as { benchReceiver: Promise<RTCDataChannel> }).benchReceiver
    channel.binaryType = 'arraybuffer'
    return new Promise<number>((resolve) => {
      let got = 0
      let started = 0
      const onMessage = (e: MessageEvent) => {
        started ||= performance.now()
        got += (e.data as ArrayBuffer).byteLength
        if (got < total) return
        channel.removeEventListener('message', onMessage)
        resolve(got / 1e6 / ((performance.now() - started) / 1000))
      }
      channel.addEventListener('message', onMessage)
    })
  }, bytes)
  await receiver.evaluate(() => new Promise(resolve => setTimeout(resolve, 50)), null)
  await sender.evaluate(async (total) => {
    const channel = (window as unknown as { benchChannel: RTCDataChannel }).benchChannel
    channel.bufferedAmountLowThreshold = 1024 * 1024
    const chunk = new Uint8Array(64 * 1024)
    for (let sent = 0; sent < total; sent += chunk.byteLength) {
      if (channel.bufferedAmount > 4 * 1024 * 1024) await new Promise(resolve => channel.addEventListener('bufferedamountlow', resolve, { once: true }))
      channel.send(chunk)
    }
  }, bytes)
  return received
}

/** The tunnel benchmark: page load vs direct HTTP, bulk transfer vs a raw data channel. */
export async function benchTunnel(browser: Browser, server: TestServer, pageFiles: BenchFile[]) {
  const big: BenchFile = { name: 'big.bin', mimeType: 'application/octet-stream', buffer: randomBytes(BULK_BYTES) }
  const hostPage = await host(browser, server, 'bench-site', [...pageFiles, big])
  const { page: shell } = await visitor(browser, server, 'bench-site')
  const direct = await (await browser.newContext()).newPage()
  await direct.goto(`${server.url}/`)

  await pageLoads(shell, '/page.html', 3) // warm-up: worker, JIT, connections
  await pageLoads(direct, '/_ps/bench/page.html', 3)
  const tunnelMs: number[] = []
  const directMs: number[] = []
  for (let round = 0; round < 3; round++) {
    tunnelMs.push(...await pageLoads(shell, '/page.html', RUNS / 3))
    directMs.push(...await pageLoads(direct, '/_ps/bench/page.html', RUNS / 3))
  }

  // Bulk: tunnel and raw channel to one visitor page that Playwright does not instrument (see bare-page.ts).
  const bare = await openBarePage(browser, `http://bench-site.localhost:${server.port}/`)
  await siteFrameShown(bare)
  const hostEval = driven(hostPage)
  await openRawChannel(hostEval, bare)
  await rawDataChannel(hostEval, bare, BULK_BYTES) // warm-up of both paths
  await tunnelDownload(bare, '/big.bin')
  await tunnelDownload(driven(shell), '/big.bin')
  const tunnelMBps: number[] = []
  const rawMBps: number[] = []
  const trackedMBps: number[] = []
  for (let round = 0; round < BULK_ROUNDS; round++) {
    tunnelMBps.push(await tunnelDownload(bare, '/big.bin'))
    rawMBps.push(await rawDataChannel(hostEval, bare, BULK_BYTES))
    trackedMBps.push(await tunnelDownload(driven(shell), '/big.bin'))
  }
  await bare.close()
  // The next parts measure with pages of their own: these go, so an idle studio does not share the machine with them.
  await Promise.all([hostPage.context().close(), shell.context().close(), direct.context().close()])
  const pageTunnel = median(tunnelMs)
  const pageDirect = median(directMs)
  const bulkTunnel = median(tunnelMBps)
  const bulkRaw = median(rawMBps)
  return {
    pageLoadTunnelMs: pageTunnel,
    pageLoadDirectMs: pageDirect,
    pageLoadRatio: pageTunnel / pageDirect,
    bulkTunnelMBps: bulkTunnel,
    bulkRawMBps: bulkRaw,
    bulkRatio: bulkTunnel / bulkRaw,
    /** The same download in a visitor page Playwright drives (DevTools network tracking on), for reference. */
    bulkTunnelTrackedMBps: median(trackedMBps),
  }
}

import { randomBytes } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { buildNatLab, PUBLIC_ADDRESS, TURN_PORT, type NatLab } from '../helpers/nat-lab.ts'
import { openBarePage, siteFrameShown, type Evaluator } from './bare-page.ts'
import { twentyResourcePage, type BenchFile } from './site-files.ts'
import { host, median, pageLoads, tunnelDownload, visitor } from './tunnel.ts'

// Host and visitor behind their own NATs (tests/helpers/nat-lab.ts), the site
// reached three ways: direct (STUN from coturn, full-cone NATs routed to each
// other: the browsers connect to each other's mapped addresses), through TURN (coturn, no STUN: no direct pair exists), and
// through the WebSocket relay (UDP blocked at both NATs). Each figure is a
// ratio to direct, measured in the same run.

const PAGE_RUNS = 15
const BULK_BYTES = 20 * 1024 * 1024
const BULK_ROUNDS = 3
const SECRET = 'nat-bench-turn-secret'
const ROUTES = ['direct', 'turn', 'relay'] as const
type Route = typeof ROUTES[number]

export interface NatRouteFigures {
  /** What the visitor's badge said (it must be the route measured). */
  route: string
  pageLoadMs: number
  /** NaN when the download failed (`error` says why). */
  bulkMBps: number
  error?: string
}

/** Nitro's environment for each route. */
function serverEnv(route: Route): Record<string, string> {
  const turn = { NUXT_TURN_URLS: JSON.stringify([`turn:${PUBLIC_ADDRESS}:${TURN_PORT}?transport=udp`]), NUXT_TURN_SECRET: SECRET }
  if (route === 'direct') return { NUXT_PUBLIC_ICE_SERVERS: JSON.stringify([{ urls: `stun:${PUBLIC_ADDRESS}:${TURN_PORT}` }]) }
  if (route === 'turn') return turn
  // UDP is blocked: neither STUN nor TURN over UDP gets through, and the shell falls back to the relay.
  return { ...turn, NUXT_PUBLIC_RELAY_AFTER_MS: '2000' }
}

async function measureRoute(lab: NatLab, browsers: { host: Browser, visitor: Browser }, route: Route, files: BenchFile[]): Promise<NatRouteFigures> {
  lab.blockUdp(route === 'relay')
  lab.routeBetweenNats(route === 'direct')
  const server = await lab.startServer(serverEnv(route))
  const site = `nat-${route}`
  try {
    // No camera or microphone: mDNS host candidates, as real visitors have (see nat-lab.ts).
    const hostPage: Page = await host(browsers.host, server, site, files, [])
    const { page: shell } = await visitor(browsers.visitor, server, site, [])
    const said = await shell.locator('#ps-badge').getAttribute('data-route') ?? 'none'
    console.log(`  nat: ${route}: the visitor's page says ${said}`)
    await pageLoads(shell, '/page.html', 2) // warm-up
    const loads = await pageLoads(shell, '/page.html', PAGE_RUNS)
    const bare: Evaluator & { close(): Promise<void> } = await openBarePage(browsers.visitor, `http://${site}.localhost:${server.port}/`, false)
    await siteFrameShown(bare, 60_000)
    const bulk: number[] = []
    let error: string | undefined
    try {
      for (let round = 0; round < BULK_ROUNDS; round++) bulk.push(await tunnelDownload(bare, '/big.bin'))
    }
    catch (failure) {
      error = `the 20 MiB download failed: ${failure instanceof Error ? failure.message : String(failure)}`
    }
    await bare.close()
    await Promise.all([hostPage.context().close(), shell.context().close()])
    return { route: said, pageLoadMs: median(loads), bulkMBps: error ? Number.NaN : median(bulk), ...(error ? { error } : {}) }
  }
  finally {
    await server.stop()
    lab.blockUdp(false)
    lab.routeBetweenNats(false)
  }
}

/** Page load and bulk download behind two NATs, for each route (the lab needs root: see natLabUnavailable). */
export async function benchNat(): Promise<Partial<Record<Route, NatRouteFigures>>> {
  const lab = buildNatLab()
  try {
    await lab.startTurn(SECRET)
    const pageFiles = twentyResourcePage()
    const files = [...pageFiles, { name: 'big.bin', mimeType: 'application/octet-stream', buffer: randomBytes(BULK_BYTES) }]
    const browsers = { host: await lab.launchBrowser('host'), visitor: await lab.launchBrowser('visitor') }
    const figures: Partial<Record<Route, NatRouteFigures>> = {}
    // BENCH_NAT_ROUTES=direct,turn measures only those.
    const only = process.env.BENCH_NAT_ROUTES?.split(',') ?? ROUTES
    for (const route of ROUTES) {
      if (!only.includes(route)) continue
      const started = Date.now()
      figures[route] = await measureRoute(lab, browsers, route, files)
      console.log(`  nat: ${route} measured in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }
    return figures
  }
  finally {
    await lab.destroy()
  }
}

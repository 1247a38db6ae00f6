import type { Browser, Page } from '@playwright/test'
import { test, expect } from '@playwright/test'
import { buildNatLab, natLabUnavailable, type LabServer, type NatLab } from '../helpers/nat-lab'

// Host and visitor each in a private LAN behind its own NAT, with no route
// between them but through the public namespace where Nitro and coturn run
// (tests/helpers/nat-lab.ts). Direct WebRTC cannot connect: there is no STUN
// to learn the NATs' mappings, and no route between the LANs.

const SECRET = 'nat-lab-turn-secret'
const RELAY_AFTER_MS = 5_000
/** Loading the shell page and its service worker, and signaling, on top of the relay timeout. */
const RELAY_MARGIN_MS = 5_000

const unavailable = natLabUnavailable()
test.skip(unavailable !== null, unavailable ?? '')
test.describe.configure({ mode: 'serial' })

let lab: NatLab
let server: LabServer
let turnLog: () => string
let visitorBrowser: Browser
let host: Page

test.beforeAll(async () => {
  test.setTimeout(90_000)
  lab = buildNatLab()
  const turn = await lab.startTurn(SECRET)
  turnLog = turn.output
  server = await lab.startServer({
    NUXT_TURN_URLS: JSON.stringify(turn.urls),
    NUXT_TURN_SECRET: SECRET,
    NUXT_TURN_TTL_SECONDS: '600',
    NUXT_PUBLIC_RELAY_AFTER_MS: String(RELAY_AFTER_MS),
  })
  const hostBrowser = await lab.launchBrowser('host')
  host = await (await hostBrowser.newContext()).newPage()
  await host.goto(`${server.url}/host/nat-site`)
  await expect(host.getByTestId('host-status')).toContainText('Serving', { timeout: 30_000 })
  await host.getByTestId('panel-visitors').click()
  visitorBrowser = await lab.launchBrowser('visitor')
})

test.afterAll(async () => {
  await lab?.destroy()
})

/** A new visitor (its own browser context) opens the site from the visitor's LAN. */
async function visitSite(): Promise<Page> {
  const page = await (await visitorBrowser.newContext()).newPage()
  await page.goto(`http://nat-site.localhost:${server.port}/`)
  return page
}

test('behind two NATs, with TURN configured, the site loads over a relayed ICE candidate pair, and both ends say "via TURN"', async () => {
  const page = await visitSite()
  await expect(page.frameLocator('#ps-site').locator('h1')).toHaveText('Hello, world.', { timeout: 30_000 })
  // The badge names the type of the selected candidate pair's ends (lib/peer/ice-route.ts): a relay candidate.
  await expect(page.locator('#ps-badge')).toHaveAttribute('data-route', 'turn')
  await expect(page.locator('#ps-badge')).toHaveText('Via a TURN server')
  await expect(host.getByTestId('visitor-route')).toHaveText(['via TURN'])
  // coturn gave allocations to credentials Nitro minted from the shared secret (user "<expiry>:<id>").
  expect(turnLog()).toMatch(/ALLOCATE processed, success/)
  expect(turnLog()).toMatch(/user <\d+:[\w-]+>/)
  await page.context().close()
  await expect(host.getByTestId('visitor')).toHaveCount(0, { timeout: 15_000 })
})

test('with UDP blocked at both NATs, the WebSocket relay carries the site, and the visitor\'s page says so within the relay timeout', async () => {
  lab.blockUdp(true)
  try {
    const started = Date.now()
    const page = await visitSite()
    await expect(page.locator('#ps-badge')).toHaveAttribute('data-route', 'relay', { timeout: RELAY_AFTER_MS + RELAY_MARGIN_MS })
    const saidAfter = Date.now() - started
    expect(saidAfter).toBeGreaterThanOrEqual(RELAY_AFTER_MS)
    await expect(page.locator('#ps-badge')).toHaveText('Relayed through the server')
    await expect(page.frameLocator('#ps-site').locator('h1')).toHaveText('Hello, world.')
    await expect(host.getByTestId('visitor-route')).toHaveText(['relayed'])
    test.info().annotations.push({ type: 'relayed after', description: `${saidAfter} ms (relay timeout ${RELAY_AFTER_MS} ms)` })
  }
  finally {
    lab.blockUdp(false)
  }
})

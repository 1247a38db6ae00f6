import { createHash, randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { test, expect, openHost, visit, uploadFolder } from './fixtures'
import { FORCE_RELAY_KEY } from '../../shared/storage-keys'

const SITE_FOLDER = resolve('tests/fixtures/sites/basic')

test('a visitor browses a real site served by a host tab', async ({ server, newContext }) => {
  const host = await openHost(await newContext(), server, 'basic-site')
  await uploadFolder(host, SITE_FOLDER, 'public/img/cat.png')
  await expect(host.getByTestId('file-routes/api/echo.post.js')).toBeVisible()

  await host.getByTestId('panel-visitors').click()
  const { page, site } = await visit(await newContext(), server, 'basic-site')
  await expect(site.locator('h1')).toHaveText('Home')
  // Both ends say how the visitor is connected: here, peer-to-peer on loopback.
  await expect(page.locator('#ps-badge')).toHaveAttribute('data-route', 'direct')
  await expect(host.getByTestId('visitor-route')).toHaveText('direct')
  // The stylesheet (relative link) applied, the PNG (absolute src) decoded.
  await expect(site.locator('h1')).toHaveCSS('color', 'rgb(200, 30, 60)')
  await expect.poll(() => site.locator('#cat').evaluate(img => img instanceof HTMLImageElement ? img.naturalWidth : 0)).toBe(32)

  await site.locator('#to-about').click()
  await expect(site.locator('h1')).toHaveText('About')
  await expect(page).toHaveURL(/\/about\.html$/)
  await expect(page).toHaveTitle('Basic site — About')
  await site.locator('#to-docs').click()
  await expect(site.locator('h1')).toHaveText('Docs')
  await expect(site.locator('h1')).toHaveCSS('color', 'rgb(200, 30, 60)')

  // An urlencoded form POST, answered by a dynamic route on the host.
  await site.locator('input[name=name]').fill('Ada & Grace')
  await site.locator('textarea[name=message]').fill('Hello <b>tunnel</b> = ok?')
  await site.locator('button[type=submit]').click()
  await expect(site.locator('h1')).toHaveText('Thanks, Ada & Grace')
  await expect(site.locator('#message')).toHaveText('Hello <b>tunnel</b> = ok?')

  // A reload keeps the deep link: the shell follows the iframe.
  await page.goto(`http://basic-site.localhost:${server.port}/app.html`)
  await expect(site.locator('#get-result')).toHaveText('Hello from data.json (3 items)')
  await site.locator('#post').click()
  await expect(site.locator('#post-result')).toHaveText('200 POST héllo through the tunnel 42')

  await page.goto(`http://basic-site.localhost:${server.port}/`)
  await site.locator('#to-search').click()
  await expect(site.locator('h1')).toHaveText('Results for cats')
  await expect(site.locator('#page')).toHaveText('page 2')
  await expect(page).toHaveURL(/\/api\/search\?q=cats&page=2$/)

  await page.goBack()
  await expect(site.locator('h1')).toHaveText('Home')
  await site.locator('#to-missing').click()
  await expect(site.locator('body')).toContainText('not found', { ignoreCase: true })
  await page.reload()
  await expect(page).toHaveURL(/\/no\/such\/page\.html$/)
  await expect(site.locator('body')).toContainText('not found', { ignoreCase: true })

  // The host logged every request, statuses included (its Requests panel, back from Visitors, shows them).
  await host.getByTestId('panel-requests').click()
  await expect(host.getByTestId('request-log')).toContainText('/no/such/page.html')
  await expect(host.getByTestId('request-log')).toContainText('404')

  // Nitro served none of the site's paths: on the site's origin it only
  // answered top-level navigations with the shell, and its own /_ps/ files.
  const onSite = server.accessed().filter(entry => entry.host.startsWith('basic-site.'))
  expect(onSite.length).toBeGreaterThan(0)
  const fromNitro = onSite.filter(entry => !entry.shell && !entry.path.startsWith('/_ps/'))
  expect(fromNitro).toEqual([])
  for (const path of ['/css/site.css', '/img/cat.png', '/js/app.js', '/data.json', '/api/echo', '/api/contact']) {
    expect(onSite.some(entry => entry.path.startsWith(path))).toBe(false)
  }
})

test('a 10 MiB binary downloads intact through the tunnel', async ({ server, newContext }) => {
  const host = await openHost(await newContext(), server, 'big-file')
  const data = randomBytes(10 * 1024 * 1024)
  await host.getByTestId('upload').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: data })
  await expect(host.getByTestId('file-public/big.bin')).toBeVisible()
  const { page } = await visit(await newContext(), server, 'big-file')
  const frame = page.frame({ url: /big-file\.localhost/ })
  await expect(page.frameLocator('#ps-site').locator('h1')).toHaveText('Hello, world.')
  const inner = page.frames().find(f => f !== page.mainFrame()) ?? frame
  if (!inner) throw new Error('no site frame')
  const digest = await inner.evaluate(async () => {
    const response = await fetch('/big.bin')
    const bytes = await response.arrayBuffer()
    const hash = await crypto.subtle.digest('SHA-256', bytes)
    return { status: response.status, size: bytes.byteLength, type: response.headers.get('content-type'), hash: [...new Uint8Array(hash)].map(b => b.toString(16).padStart(2, '0')).join('') }
  })
  expect(digest).toEqual({ status: 200, size: data.length, type: 'application/octet-stream', hash: createHash('sha256').update(data).digest('hex') })
})

test('the visitor is told when the host goes offline; a taken name is refused', async ({ server, newContext }) => {
  const hostContext = await newContext()
  const host = await openHost(hostContext, server, 'short-lived')
  const { page, site } = await visit(await newContext(), server, 'short-lived')
  await expect(site.locator('h1')).toHaveText('Hello, world.')

  // Someone else (no owner token) tries to take the name while it is served.
  const intruder = await (await newContext()).newPage()
  await intruder.goto(`${server.url}/host/short-lived`)
  await expect(intruder.getByTestId('host-error')).toContainText('that name is taken')

  const closedAt = Date.now()
  await host.close()
  await expect(page.locator('#ps-status')).toBeVisible({ timeout: 5_000 })
  await expect(page.locator('#ps-status h1')).toHaveText('Host offline')
  expect(Date.now() - closedAt).toBeLessThan(5_000)

  // A visitor arriving while no host is online gets the same clear page, not a hang.
  const late = await visit(await newContext(), server, 'short-lived', '/about')
  await expect(late.page.locator('#ps-status h1')).toHaveText('Host offline')
  await expect(late.page.locator('#ps-status')).toContainText('No one is serving short-lived')

  // The owner comes back (same browser, same token) and both visitors get the site again.
  await openHost(hostContext, server, 'short-lived')
  await expect(site.locator('h1')).toHaveText('Hello, world.', { timeout: 15_000 })
  await expect(page.locator('#ps-status')).toBeHidden()
})

test('when no direct connection can be made, the site still loads, relayed through the server', async ({ server, newContext }) => {
  const host = await openHost(await newContext(), server, 'relayed-site')
  await uploadFolder(host, SITE_FOLDER, 'public/img/cat.png')
  await host.getByTestId('panel-visitors').click()
  const context = await newContext()
  // As if ICE had failed: the shell skips WebRTC and uses the signaling relay.
  await context.addInitScript(key => localStorage.setItem(key, '1'), FORCE_RELAY_KEY)
  const { page, site } = await visit(context, server, 'relayed-site', '/app.html')
  await expect(site.locator('#get-result')).toHaveText('Hello from data.json (3 items)')
  await expect(page.locator('#ps-badge')).toHaveText('Relayed through the server')
  await expect(page.locator('#ps-badge')).toHaveAttribute('data-route', 'relay')
  await expect(host.getByTestId('visitor-route')).toHaveText('relayed')
  await site.locator('#post').click()
  await expect(site.locator('#post-result')).toHaveText('200 POST héllo through the tunnel 42')
  const inner = page.frames().find(f => f !== page.mainFrame())
  const size = await inner?.evaluate(() => fetch('/img/cat.png').then(r => r.arrayBuffer()).then(b => b.byteLength))
  expect(size).toBeGreaterThan(50)
})

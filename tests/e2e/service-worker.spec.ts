import { resolve } from 'node:path'
import { test, expect, openHost, visit, uploadFolder } from './fixtures'

const SITE_FOLDER = resolve('tests/fixtures/sites/basic')
/** Longer than the shell's LINE_OFFER_MS (1 s): a request that came the old way would make it offer again. */
const SPACED_MS = 1_200

test('the service worker\'s requests go on the shell\'s line, and still do after the browser stops and restarts the worker (as Chromium does to an idle one)', async ({ server, newContext }) => {
  const host = await openHost(await newContext(), server, 'sw-line')
  await uploadFolder(host, SITE_FOLDER, 'routes/api/echo.post.js')
  const context = await newContext()
  const offers: string[] = []
  context.on('console', (message) => {
    if (message.text().includes('gave the service worker a line')) offers.push(message.text())
  })
  const { page, site } = await visit(context, server, 'sw-line')
  await expect(site.locator('h1')).toHaveText('Home')
  await expect.poll(() => offers.length).toBe(1)

  const frame = page.frames().find(f => f !== page.mainFrame())!
  const requests = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const answer = await frame.evaluate(async (i) => {
        const response = await fetch('/api/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) })
        return { status: response.status, body: await response.json() as { body: { i: number } } }
      }, i)
      expect(answer).toMatchObject({ status: 200, body: { body: { i } } })
      await page.waitForTimeout(SPACED_MS)
    }
  }
  // On the line: no request comes the old way, so the shell never offers again.
  await requests(3)
  expect(offers).toHaveLength(1)

  const cdp = await context.newCDPSession(page)
  await cdp.send('ServiceWorker.enable')
  await cdp.send('ServiceWorker.stopAllWorkers')
  // The restarted worker has no line: the first request comes the old way and is answered; the shell offers a new line, which the rest use.
  await requests(3)
  expect(offers).toHaveLength(2)
  await expect(site.locator('h1')).toHaveText('Home')
})

import { resolve } from 'node:path'
import { test, expect, openHost, visit, uploadFolder } from './fixtures'

// Issue 11, part 3: a route (which any co-author, zip or template can write) tries everything the
// studio's powers would give it. The browser's own boundaries must refuse each one.
const REACHES = [
  'IndexedDB', 'storage buckets', 'OPFS', 'Cache Storage', 'cookies',
  'the studio API', 'the studio API (relative)', 'the signaling server',
  'a studio-origin blob URL', 'a data URL', 'another site', 'the network',
]

test('site code reaches none of the studio\'s storage, API, signaling, blob URLs, other sites or the network', async ({ server, newContext }) => {
  const host = await openHost(await newContext(), server, 'reach-site')
  await uploadFolder(host, resolve('tests/fixtures/sites/reach'), 'routes/reach.get.js')
  const { page, site } = await visit(await newContext(), server, 'reach-site')
  await expect(site.locator('h1')).toHaveText('Reach')
  const frame = page.frames().find(f => f !== page.mainFrame())
  if (!frame) throw new Error('no site frame')

  const before = server.accessed().length
  const results = await frame.evaluate(async studio => (await fetch(`/reach?studio=${encodeURIComponent(studio)}`)).json(), server.url)
  test.info().annotations.push({ type: 'refusals', description: JSON.stringify(results, null, 1) })
  expect(Object.keys(results).sort()).toEqual([...REACHES].sort())
  const reached = Object.entries(results).filter(([, result]) => !String(result).startsWith('refused'))
  expect(reached, `reached: ${JSON.stringify(reached, null, 1)}`).toEqual([])

  // Refused before leaving the browser: the server saw the visitor's own requests only, none of the route's.
  const arrived = server.accessed().slice(before).filter(line => line.path.startsWith('/api/') || line.path.startsWith('/_ps/signal') || line.host.startsWith('other-site') || line.host.startsWith('127.0.0.1'))
  expect(arrived).toEqual([])

  // The authors may let routes reach an origin: then that one, and only that one, is reached (by a fresh worker).
  await host.getByTestId('panel-settings').click()
  await host.getByTestId('allowed-origins').fill(`http://127.0.0.1:${server.port}`)
  await host.getByTestId('allowed-origins').blur()
  await expect.poll(async () => {
    const again = await frame.evaluate(async studio => (await fetch(`/reach?studio=${encodeURIComponent(studio)}`)).json(), server.url)
    return Object.entries(again).filter(([, result]) => !String(result).startsWith('refused')).map(([name]) => name)
  }, { timeout: 10_000 }).toEqual(['the network'])
})

test('the studio is never framed; only the studio frames the handler sandbox', async ({ server }) => {
  for (const path of ['/', '/host/any-site', '/join']) {
    const response = await fetch(`${server.url}${path}`)
    expect(response.headers.get('content-security-policy'), path).toBe(`frame-ancestors 'none'`)
    expect(response.headers.get('x-frame-options'), path).toBe('DENY')
  }
  const sandbox = await fetch(`${server.url}/_ps/sandbox`)
  expect(sandbox.headers.get('content-security-policy')).toContain(`frame-ancestors 'self'`)
  expect(sandbox.headers.get('x-frame-options')).toBeNull()
})


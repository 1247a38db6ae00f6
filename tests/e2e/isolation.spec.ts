import { resolve } from 'node:path'
import { test, expect, openHost, visit, uploadFolder } from './fixtures'

test('an endless handler gets a 504 while the host page stays responsive; errors reach the author only', async ({ server, newContext }) => {
  const host = await openHost(await newContext(), server, 'spin-site')
  await uploadFolder(host, resolve('tests/fixtures/sites/spin'), 'routes/spin.get.js')
  const { page } = await visit(await newContext(), server, 'spin-site')
  await expect(page.frameLocator('#ps-site').locator('h1')).toHaveText('Spin')
  const frame = page.frames().find(f => f !== page.mainFrame())
  if (!frame) throw new Error('no site frame')

  const started = Date.now()
  let settled = false
  const spin = frame.evaluate(() => fetch('/spin').then(async r => ({ status: r.status, text: await r.text() }))).finally(() => {
    settled = true
  })
  // While the handler spins, the author keeps working in the host page.
  await new Promise(r => setTimeout(r, 500))
  await host.getByTestId('panel-settings').click()
  const limit = host.getByTestId('time-limit')
  await limit.fill('')
  await limit.pressSequentially('5')
  await expect(limit).toHaveValue('5')
  await host.getByTestId('panel-requests').click()
  expect(settled).toBe(false)

  const result = await spin
  const elapsed = Date.now() - started
  expect(result.status).toBe(504)
  expect(result.text).toContain('took longer than 5 s')
  expect(elapsed).toBeLessThan(8_000)
  expect(elapsed).toBeGreaterThan(4_000)

  // The next request is served normally, by a fresh worker.
  expect(await frame.evaluate(() => fetch('/ok').then(r => r.json()))).toMatchObject({ ok: true })

  // A thrown error: the visitor gets a plain 500, the author sees the message and the file in the request log.
  const boom = await frame.evaluate(() => fetch('/boom').then(async r => ({ status: r.status, text: await r.text() })))
  expect(boom.status).toBe(500)
  expect(boom.text).not.toContain('the database is on fire')
  await expect(host.getByTestId('request-log')).toContainText('the database is on fire')
  await expect(host.getByTestId('request-log')).toContainText('routes/boom.get.js')
  await expect(host.getByTestId('request-log')).toContainText('about to fail')

  // A syntax error was reported when the file arrived, with file and line; that route answers 500, the rest still works.
  await expect(host.getByTestId('request-log')).toContainText('routes/broken.get.js:2:')
  expect(await frame.evaluate(() => fetch('/broken').then(r => r.status))).toBe(500)
  expect(await frame.evaluate(() => fetch('/ok').then(r => r.status))).toBe(200)
})

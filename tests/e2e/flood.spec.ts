import { resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/chromium'
import { test, expect, openHost, visit, openInEditor, uploadFolder } from './fixtures'

// Issue 12: one visitor who opens the developer tools and floods the host tab must not take it
// down for the class: a second visitor still loads a page at once, and the author keeps typing.

test('a visitor flooding the host with requests and uploads: another visitor loads a page in under 2 s, and the studio\'s editor takes keystrokes', async ({ server, newContext }) => {
  const host = await openHost(await newContext(), server, 'flooded-site')
  await uploadFolder(host, resolve('tests/fixtures/sites/flood'), 'routes/upload.post.js')

  // A classmate is on the site already; the same click with no flood, for comparison.
  const classmate = await visit(await newContext(), server, 'flooded-site')
  await expect(classmate.site.locator('h1')).toHaveText('Flood', { timeout: 20_000 })
  const classmateFrame = classmate.page.frames().find(f => f !== classmate.page.mainFrame())
  if (!classmateFrame) throw new Error('no site frame')
  const openPage = async (path: string, heading: string) => {
    const started = Date.now()
    await classmateFrame.evaluate((path) => { location.href = path }, path)
    await expect(classmate.site.locator('h1')).toHaveText(heading, { timeout: 5_000 })
    return Date.now() - started
  }
  const calmMs = await openPage('/second.html', 'Second page')
  await openPage('/', 'Flood')

  // The attacker is on a machine of their own: a browser of its own (in one browser, its flood would
  // hold up the browser process that every tab here, the classmate's included, goes through).
  const attackerBrowser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  try {
    const attacker = await visit(await attackerBrowser.newContext({ permissions: ['camera', 'microphone'] }), server, 'flooded-site')
    await expect(attacker.site.locator('h1')).toHaveText('Flood', { timeout: 20_000 })
    const frame = attacker.page.frames().find(f => f !== attacker.page.mainFrame())
    if (!frame) throw new Error('no site frame')
    // 1,000 requests at once, and 12 uploads of 16 MiB (more than a connection may hold at once), all without waiting.
    const flood = frame.evaluate(async () => {
      const statuses: number[] = []
      const count = (response: Response) => statuses.push(response.status)
      const upload = new Uint8Array(16 * 1024 * 1024)
      await Promise.allSettled([
        ...Array.from({ length: 1000 }, () => fetch('/slow').then(count)),
        ...Array.from({ length: 12 }, () => fetch('/upload', { method: 'POST', body: upload }).then(count)),
      ])
      return statuses
    })
    await attacker.page.waitForTimeout(300)

    // Meanwhile, the classmate opens another page: it arrives in under 2 s.
    const loadMs = await openPage('/second.html', 'Second page')
    test.info().annotations.push({ type: 'classmate page load during the flood', description: `${loadMs} ms` })
    console.log(`classmate's page load during the flood: ${loadMs} ms (with no flood: ${calmMs} ms)`)
    expect(loadMs).toBeLessThan(2_000)

    // And the author's keystrokes land in the editor while the flood goes on.
    await openInEditor(host, 'public/index.html')
    await host.getByTestId('editor').locator('.view-lines').click()
    await host.keyboard.press('Control+End')
    await host.keyboard.type('still typing', { delay: 20 })
    await expect(host.getByTestId('editor').locator('.view-lines')).toContainText('still typing', { timeout: 2_000 })

    // The flood was answered, in part by refusals (429) rather than by falling over.
    const statuses = await flood
    const tally = JSON.stringify(Object.fromEntries([...new Set(statuses)].map(status => [status, statuses.filter(s => s === status).length])))
    test.info().annotations.push({ type: 'flood statuses', description: tally })
    console.log(`flood answered: ${tally}`)
    expect(statuses.length).toBe(1012)
    expect(statuses.filter(status => status === 429).length).toBeGreaterThan(0)
    expect(statuses.filter(status => status === 200).length).toBeGreaterThan(0)
  }
  finally {
    await attackerBrowser.close()
  }
})

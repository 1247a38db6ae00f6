import { resolve } from 'node:path'
import type { Frame, Page } from 'puppeteer-core'
import { test, expect, openHost, uploadFolder } from './fixtures'
import { launchFirefox } from '../helpers/firefox'

// Issue 15: students use Firefox too. The host stays Chromium (Playwright); the visitor is
// Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi.

/** The site's frame in the visitor's shell, once it shows the page. */
async function siteFrame(page: Page): Promise<Frame> {
  for (let tries = 0; tries < 100; tries++) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue
      const heading = await frame.evaluate(() => document.querySelector('h1')?.textContent ?? '').catch(() => '')
      if (heading === 'Cookies') return frame
    }
    await new Promise(done => setTimeout(done, 200))
  }
  throw new Error(`the site never showed in Firefox; the shell says: ${await page.evaluate(() => document.body.innerText)}`)
}

test('a visitor in Firefox loads the site from a Chromium host, and cookies work both ways', async ({ server, newContext }) => {
  const host = await openHost(await newContext(), server, 'fox-site')
  await uploadFolder(host, resolve('tests/fixtures/sites/cookies'), 'routes/me.get.js')

  const firefox = await launchFirefox()
  try {
    const page = await firefox.browser.newPage()
    await page.goto(`http://fox-site.localhost:${server.port}/`)
    const frame = await siteFrame(page)
    expect(await frame.evaluate(() => navigator.userAgent)).toContain('Firefox')

    // A handler's cookie in document.cookie, and the page's own cookie at the handlers.
    await frame.evaluate(async () => (await fetch('/flavour')).text())
    expect(await frame.evaluate(() => document.cookie)).toContain('flavour=oat')
    await frame.evaluate(() => { document.cookie = 'fromjs=1; path=/' })
    expect(await frame.evaluate(async () => (await fetch('/echo')).json())).toMatchObject({ flavour: 'oat', fromjs: '1' })
    // Every time: the page's write is in its very next request, though Firefox's service worker reads the
    // jar on another channel than the page writes it (visitor/cookies.ts requestCookies).
    const seen = await frame.evaluate(async () => {
      const values: string[] = []
      for (let round = 0; round < 20; round++) {
        document.cookie = `round=${round}; path=/`
        values.push(((await (await fetch('/echo')).json()) as Record<string, string>).round ?? 'none')
      }
      return values
    })
    expect(seen).toEqual(Array.from({ length: 20 }, (_, round) => String(round)))

    // The HttpOnly session works, and its value is not in the page's cookies.
    const { id } = await frame.evaluate(async () => (await fetch('/login')).json()) as { id: string }
    expect(await frame.evaluate(async () => (await fetch('/me')).json())).toEqual({ user: 'ada', id })
    expect(await frame.evaluate(() => document.cookie)).not.toContain(id)
  }
  finally {
    await firefox.close()
  }
})

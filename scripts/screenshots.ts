// `npm run screenshots`: the pictures in docs/ that the README shows — the
// landing page with the gallery, and the studio editing a blog with a visitor.
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from '../tests/helpers/chromium.ts'
import { startServer } from '../tests/helpers/server.ts'

const server = await startServer()
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['camera', 'microphone'] })
  const page = await context.newPage()
  await page.goto(server.url)
  await page.getByTestId('site-name').fill('class-blog')
  await page.getByTestId('template-blog').click()
  await page.getByTestId('site-name-free').waitFor()
  await page.screenshot({ path: 'docs/gallery.png' })

  await page.getByTestId('create-site').click()
  await page.getByTestId('host-status').filter({ hasText: 'Serving' }).waitFor({ timeout: 20_000 })
  await page.getByTestId('file-views/post.mustache').click()
  await page.getByTestId('editor').and(page.locator('[data-loaded=true]')).waitFor({ timeout: 30_000 })
  const visitor = await (await browser.newContext({ permissions: ['camera', 'microphone'] })).newPage()
  await visitor.goto(`http://class-blog.localhost:${server.port}/`)
  await visitor.frameLocator('#ps-site').locator('h1').first().waitFor({ timeout: 20_000 })
  await visitor.goto(`http://class-blog.localhost:${server.port}/login`)
  await page.getByTestId('log-row').nth(2).waitFor()
  await page.screenshot({ path: 'docs/studio.png' })

  await page.getByTestId('share').click()
  await page.getByTestId('share-qr').waitFor()
  await page.screenshot({ path: 'docs/share.png' })
  console.log('wrote docs/gallery.png, docs/studio.png and docs/share.png')
}
finally {
  await browser.close()
  await server.stop()
}

import type { Page } from '@playwright/test'
import { test, expect, visit, acceptInviteLink, mintInviteLink } from './fixtures'

/** The number of visitors an author's studio lists. */
async function visitorCount(page: Page): Promise<number> {
  return page.getByTestId('visitors').getByTestId('visitor').count()
}

test('two authors host a blog; when the one serving a logged-in visitor closes its tab, the other serves the next click, still logged in', async ({ server, newContext }) => {
  const owner = await (await newContext()).newPage()
  await owner.goto(`${server.url}/host/fail-over?template=blog`)
  await expect(owner.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  const link = await mintInviteLink(owner)
  const coAuthor = await (await newContext()).newPage()
  await acceptInviteLink(coAuthor, link)
  await expect(coAuthor.getByTestId('host-status')).toContainText('Serving', { timeout: 30_000 })
  await expect(coAuthor.getByTestId('file-routes/login.post.js')).toBeVisible({ timeout: 20_000 })
  for (const page of [owner, coAuthor]) await page.getByTestId('panel-visitors').click()

  const { page: visitorPage, site } = await visit(await newContext(), server, 'fail-over', '/register')
  await site.locator('input[name=name]').fill('ada')
  await site.locator('input[name=password]').fill('correct horse battery')
  await site.locator('#register').click()
  await expect(site.locator('#whoami')).toContainText('ada', { timeout: 20_000 })

  // Whichever author serves the visitor closes the tab.
  await expect.poll(async () => (await visitorCount(owner)) + (await visitorCount(coAuthor)), { timeout: 10_000 }).toBe(1)
  const [serving, other] = (await visitorCount(owner)) === 1 ? [owner, coAuthor] : [coAuthor, owner]
  await serving.close()

  await site.locator('a[href="/members"]').click()
  await expect(site.locator('h1')).toHaveText('Members only', { timeout: 20_000 })
  await expect(site.locator('#members-greeting')).toContainText('Welcome back, ada')
  await expect(other.getByTestId('visitor')).toHaveCount(1, { timeout: 10_000 })
  await expect(visitorPage.locator('#ps-status')).toBeHidden()
})

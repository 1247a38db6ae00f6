import type { Page } from '@playwright/test'
import { test, expect } from './fixtures'

/** Console errors and uncaught exceptions of a page, from now on. */
function watchErrors(page: Page, who: string): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${who}: ${message.text()}`)
  })
  page.on('pageerror', error => errors.push(`${who}: ${error.message}`))
  return errors
}

test('every gallery template, created from the landing page, serves its home page with no errors', async ({ server, newContext, request }) => {
  const list = await (await request.get(`${server.url}/api/templates`)).json() as Array<{ id: string, title: string }>
  expect(list.map(t => t.id)).toEqual(expect.arrayContaining(['empty', 'portfolio', 'blog', 'guestbook', 'quiz', 'chat']))

  for (const template of list) {
    const site = `tpl-${template.id}`
    const author = await (await newContext()).newPage()
    const errors = watchErrors(author, `${template.id} host`)
    await author.goto(server.url)
    await author.getByTestId('site-name').fill('Not a name!')
    await expect(author.getByTestId('site-name-problem')).toContainText('lowercase letters')
    await author.getByTestId('site-name').fill(site)
    await expect(author.getByTestId('site-name-problem')).toHaveCount(0)
    await author.getByTestId(`template-${template.id}`).click()
    await author.getByTestId('create-site').click()
    await expect(author.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })

    const visitor = await (await newContext()).newPage()
    errors.push(...watchErrors(visitor, `${template.id} visitor`))
    await visitor.goto(`http://${site}.localhost:${server.port}/`)
    const body = visitor.frameLocator('#ps-site').locator('body')
    await expect(body).not.toBeEmpty({ timeout: 20_000 })
    if (template.id === 'empty') await expect(body.locator('h1')).toHaveText('Hello, world.')
    await expect(author.getByTestId('log-row').filter({ hasText: /GET\/200/ }).first()).toBeVisible()
    // Polling templates (chat) keep requesting: give them a moment to fail, if they would.
    await visitor.waitForTimeout(2_500)
    expect(errors).toEqual([])
    await author.close()
    await visitor.close()
  }
})

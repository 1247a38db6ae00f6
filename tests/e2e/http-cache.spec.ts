import { test, expect, openHost, visit, openInEditor, replaceInEditor } from './fixtures'

// Issue 16: a visitor's browser caches what it was sent, as it would from any server: a page's
// stylesheets and pictures are revalidated (a 304 without a body) rather than sent again, and a
// save still reaches the visitor at once.

test('a second visit revalidates the stylesheet (304, no body over the tunnel); after a save the visitor gets the new one', async ({ server, newContext }) => {
  const host = await openHost(await newContext(), server, 'cached-site')
  await host.getByTestId('new-file').click()
  await host.getByTestId('new-path').fill('public/site.css')
  await host.getByTestId('new-path').press('Enter')
  await openInEditor(host, 'public/site.css')
  await host.getByTestId('editor').locator('.view-lines').click()
  await host.keyboard.insertText('h1 { color: rgb(1, 2, 3); }')
  await host.keyboard.press('Control+S')
  await expect(host.getByTestId('save-status')).toHaveText('Saved')
  await openInEditor(host, 'public/index.html')
  await replaceInEditor(host, '<title>', '<link rel="stylesheet" href="/site.css"><title>')
  await host.keyboard.press('Control+S')
  await expect(host.getByTestId('save-status')).toHaveText('Saved')

  const visitor = await visit(await newContext(), server, 'cached-site')
  const colour = () => visitor.site.locator('h1').evaluate(h1 => getComputedStyle(h1).color)
  await expect.poll(colour, { timeout: 20_000 }).toBe('rgb(1, 2, 3)')
  const log = host.getByTestId('log-row').filter({ hasText: '/site.css' })
  await expect(log).toHaveCount(1)
  await expect(log.first()).toContainText('200')

  // Back again: the stylesheet is revalidated, and the host answers 304.
  await visitor.page.reload()
  await expect.poll(colour, { timeout: 20_000 }).toBe('rgb(1, 2, 3)')
  await expect(log).toHaveCount(2, { timeout: 10_000 })
  await expect(log.first()).toContainText('304')

  // A save changes the validator: the next visit gets the new stylesheet.
  await openInEditor(host, 'public/site.css')
  await replaceInEditor(host, 'rgb(1, 2, 3)', 'rgb(4, 5, 6)')
  await host.keyboard.press('Control+S')
  await expect(host.getByTestId('save-status')).toHaveText('Saved')
  await visitor.page.reload()
  await expect.poll(colour, { timeout: 20_000 }).toBe('rgb(4, 5, 6)')
})

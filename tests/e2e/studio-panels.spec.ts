import { test, expect, visit, openInEditor } from './fixtures'

test('studio panels: helper completion in a route, image preview, a drop upload into a folder, visitors, database edits, copy link', async ({ server, newContext }) => {
  const context = await newContext()
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
  const author = await context.newPage()
  await author.goto(`${server.url}/host/panel-site?template=blog`)
  await expect(author.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })

  // Completion offers the handler helpers in a route file.
  await openInEditor(author, 'routes/index.get.js')
  await author.getByTestId('editor').locator('.view-lines').click()
  await author.keyboard.press('Control+End')
  await author.keyboard.press('Enter')
  await author.keyboard.type('getRouterPa')
  await author.keyboard.press('Control+Space')
  await expect(author.locator('.suggest-widget')).toContainText('getRouterParam', { timeout: 20_000 })
  await author.keyboard.press('Escape')

  // A picture opens as a picture.
  const picture = (await author.getByTestId('file-tree').locator('[data-testid^="file-public/"][data-testid$=".svg"]').first().getAttribute('data-testid')) ?? ''
  await author.getByTestId(picture).click()
  await expect(author.getByTestId('image-preview')).toBeVisible()
  // From a data: URL, not a studio-origin blob: URL (where an SVG opened in a tab would run its scripts).
  expect(await author.getByTestId('image-preview').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/)

  // Files dropped on a folder land in it, with progress shown while they are written.
  const drop = await author.evaluateHandle(() => {
    const data = new DataTransfer()
    data.items.add(new File(['body { color: teal }'], 'extra.css', { type: 'text/css' }))
    return data
  })
  await author.getByTestId('folder-public').dispatchEvent('drop', { dataTransfer: drop })
  await expect(author.getByTestId('file-public/extra.css')).toBeVisible()

  // A visitor appears in the visitors list with the page it asked for.
  await author.getByTestId('log-filter').fill('extra')
  const guest = await visit(await newContext(), server, 'panel-site', '/extra.css')
  await expect(guest.site.locator('body')).toContainText('color: teal', { timeout: 20_000 })
  await author.getByTestId('panel-visitors').click()
  await expect(author.getByTestId('visitor')).toHaveCount(1)
  await expect(author.getByTestId('visitor')).toContainText('/extra.css')
  // Hidden meanwhile, the request log kept its filter, and shows what came in while it was away.
  const inner = guest.page.frames().find(frame => frame !== guest.page.mainFrame())
  expect(await inner?.evaluate(() => fetch('/extra.css?again').then(response => response.status))).toBe(200)
  await author.getByTestId('panel-requests').click()
  await expect(author.getByTestId('log-filter')).toHaveValue('extra')
  await expect(author.getByTestId('log-row').filter({ hasText: '/extra.css?again' })).toHaveCount(1)
  await expect(author.getByTestId('log-row').filter({ hasNotText: 'extra' })).toHaveCount(0)

  // The database browser: a new document, an invalid edit refused with nothing saved, a valid edit.
  await author.getByTestId('panel-database').click()
  await author.getByTestId('db-new').click()
  await author.getByTestId('db-new-collection').fill('notes')
  await author.getByTestId('db-editor').fill('{ "_id": "n1", "title": "First" }')
  await author.getByTestId('db-save').click()
  await author.getByTestId('db-collection-notes').click()
  await author.getByTestId('db-doc-n1').click()
  await author.getByTestId('db-editor').fill('{ "title": ')
  await author.getByTestId('db-save').click()
  await expect(author.getByTestId('db-problem')).toBeVisible()
  await expect(author.getByTestId('db-doc-n1')).toContainText('First')
  await author.getByTestId('db-editor').fill('{ "_id": "n1", "title": "Second" }')
  await author.getByTestId('db-save').click()
  await expect(author.getByTestId('db-doc-n1')).toContainText('Second')

  // Copy link puts the site's address on the clipboard.
  await author.getByTestId('copy-link').click()
  await expect(author.getByTestId('copied')).toHaveText('Link copied')
  expect(await author.evaluate(() => navigator.clipboard.readText())).toBe(`http://panel-site.localhost:${server.port}/`)
})

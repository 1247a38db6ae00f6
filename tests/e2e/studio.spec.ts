import type { Page } from '@playwright/test'
import { test, expect, replaceInEditor, openInEditor } from './fixtures'

/** The text Monaco shows (its lines joined), for checking what the author sees. */
function editorText(page: Page) {
  return page.getByTestId('editor').locator('.view-lines')
}

test('Getting Started: name a site, edit Hello, world. in Monaco, save, open the browser; the edit survives a reload; the name is then taken', async ({ server, newContext }) => {
  const context = await newContext()
  const author = await context.newPage()
  await author.goto(server.url)
  await author.getByTestId('site-name').fill('getting-started')
  await expect(author.getByTestId('site-name-free')).toBeVisible()
  await author.getByTestId('template-empty').click()
  await author.getByTestId('create-site').click()
  await expect(author.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })

  await openInEditor(author, 'public/index.html')
  await expect(editorText(author)).toContainText('Hello, world.')
  await replaceInEditor(author, 'Hello, world.', 'Hello from my tab.')
  await expect(author.getByTestId('save-status')).toContainText('Unsaved')
  await expect(author.getByTestId('file-tree').getByTitle('Unsaved changes')).toBeVisible()
  await author.keyboard.press('Control+S')
  await expect(author.getByTestId('save-status')).toHaveText('Saved')

  const [visitor] = await Promise.all([context.waitForEvent('page'), author.getByTestId('open-browser').click()])
  await expect(visitor.frameLocator('#ps-site').locator('h1')).toHaveText('Hello from my tab.', { timeout: 20_000 })

  // Nothing lost: the studio comes back from IndexedDB with the edit.
  await author.reload()
  await expect(author.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await author.getByTestId('file-public/index.html').click()
  await expect(editorText(author)).toContainText('Hello from my tab.', { timeout: 30_000 })
  await visitor.reload()
  await expect(visitor.frameLocator('#ps-site').locator('h1')).toHaveText('Hello from my tab.', { timeout: 20_000 })

  // The landing page lists the site as this browser's own.
  await author.goto(server.url)
  await expect(author.getByTestId('recent-getting-started')).toBeVisible()

  // Someone else is told the name is taken, with a free one to use instead.
  const stranger = await (await newContext()).newPage()
  await stranger.goto(server.url)
  await stranger.getByTestId('site-name').fill('getting-started')
  await expect(stranger.getByTestId('site-name-problem')).toContainText('That name is taken')
  await expect(stranger.getByTestId('create-site')).toBeDisabled()
  await stranger.getByTestId('name-suggestion').click()
  await expect(stranger.getByTestId('site-name')).toHaveValue('getting-started-2')
  // Going to the studio address directly is refused by signaling, and creates nothing.
  await stranger.goto(`${server.url}/host/getting-started`)
  await expect(stranger.getByTestId('host-error')).toContainText('that name is taken', { timeout: 20_000 })
  await expect(stranger.getByTestId('file-public/index.html')).toHaveCount(0)
})

test('files: create, rename into a folder, delete; a route saved with a syntax error is reported with its line', async ({ server, newContext }) => {
  const author = await (await newContext()).newPage()
  await author.goto(`${server.url}/host/file-ops?template=empty`)
  await expect(author.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await expect(author.getByTestId('file-public/index.html')).toBeVisible()

  await author.getByTestId('new-file').click()
  await author.getByTestId('new-path').fill('routes/hello.get.js')
  await author.getByTestId('new-path').press('Enter')
  await expect(author.getByTestId('file-routes/hello.get.js')).toBeVisible()
  await expect(author.getByTestId('editor')).toHaveAttribute('data-loaded', 'true', { timeout: 30_000 })
  await author.getByTestId('editor').locator('.view-lines').click()
  await author.keyboard.insertText('export default defineHandler(() => ({ hello: "world" ))\n')
  await author.keyboard.press('Control+S')
  await expect(author.getByTestId('request-log')).toContainText('routes/hello.get.js:1:')

  await author.getByTestId('new-folder').click()
  await author.getByTestId('new-path').fill('public/pages')
  await author.getByTestId('new-path').press('Enter')
  await expect(author.getByTestId('folder-public/pages')).toBeVisible()
  await author.getByTestId('file-public/index.html').hover()
  await author.getByTestId('rename-public/index.html').click()
  await author.getByTestId('rename-path').fill('public/pages/home.html')
  await author.getByTestId('rename-path').press('Enter')
  await expect(author.getByTestId('file-public/pages/home.html')).toBeVisible()
  await expect(author.getByTestId('file-public/index.html')).toHaveCount(0)

  // Renaming onto an existing file is refused with a clear message, and nothing is lost.
  await author.getByTestId('file-routes/hello.get.js').hover()
  await author.getByTestId('rename-routes/hello.get.js').click()
  await author.getByTestId('rename-path').fill('public/pages/home.html')
  await author.getByTestId('rename-path').press('Enter')
  await expect(author.getByTestId('file-problem')).toContainText('already exists')
  await expect(author.getByTestId('file-routes/hello.get.js')).toBeVisible()

  author.once('dialog', dialog => void dialog.accept())
  await author.getByTestId('folder-public/pages').hover()
  await author.getByTestId('delete-public/pages').click()
  await expect(author.getByTestId('file-public/pages/home.html')).toHaveCount(0)
})

import { readFile } from 'node:fs/promises'
import { test, expect, visit } from './fixtures'

test('zip round trip: export a guestbook with a note, import it as a new site and into an existing one; visitors see the same pages and data', async ({ server, newContext }) => {
  const context = await newContext()
  const author = await context.newPage()
  await author.goto(`${server.url}/host/zip-original?template=guestbook`)
  await expect(author.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })

  const guest = await visit(await newContext(), server, 'zip-original')
  await guest.site.locator('input[name=name]').fill('Ada')
  await guest.site.locator('textarea[name=message]').fill('Packed in a zip')
  await guest.site.locator('#post-note').click()
  await expect(guest.site.locator('#notes')).toContainText('Packed in a zip', { timeout: 20_000 })

  const [download] = await Promise.all([author.waitForEvent('download'), author.getByTestId('export-zip').click()])
  expect(download.suggestedFilename()).toBe('zip-original.zip')
  const zip = { name: 'zip-original.zip', mimeType: 'application/zip', buffer: await readFile(await download.path()) }

  // A new site from the zip, on the landing page.
  await author.goto(server.url)
  await author.getByTestId('site-name').fill('zip-copy')
  await author.getByTestId('new-from-zip').setInputFiles(zip)
  await author.getByTestId('create-site').click()
  await expect(author.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await expect(author.getByTestId('file-routes/notes.post.js')).toBeVisible()
  const copy = await visit(await newContext(), server, 'zip-copy')
  await expect(copy.site.locator('h1')).toHaveText('Class wall', { timeout: 20_000 })
  await expect(copy.site.locator('#notes')).toContainText('Packed in a zip')

  // The database browser shows the imported note.
  await author.getByTestId('panel-database').click()
  await author.getByTestId('db-collection-notes').click()
  await expect(author.getByTestId('db-browser')).toContainText('Packed in a zip', { timeout: 10_000 })

  // Into an existing site: it is replaced, after the author confirms.
  const other = await (await newContext()).newPage()
  await other.goto(`${server.url}/host/zip-existing?template=portfolio`)
  await expect(other.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  other.once('dialog', dialog => void dialog.accept())
  await other.getByTestId('import-zip').setInputFiles(zip)
  await expect(other.getByTestId('file-routes/notes.post.js')).toBeVisible()
  const existing = await visit(await newContext(), server, 'zip-existing')
  await expect(existing.site.locator('#notes')).toContainText('Packed in a zip', { timeout: 20_000 })

  // A file that is not a zip is refused with a clear message, and the site is untouched.
  other.once('dialog', dialog => void dialog.accept())
  await other.getByTestId('import-zip').setInputFiles({ name: 'notes.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip at all') })
  await expect(other.getByTestId('file-problem')).toContainText('not a zip')
  await expect(other.getByTestId('file-routes/notes.post.js')).toBeVisible()
})

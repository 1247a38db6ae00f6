import type { BrowserContext, Page } from '@playwright/test'
import { test, expect, visit, openInEditor, acceptInviteLink, mintInviteLink } from './fixtures'

/** What the author sees in Monaco, as plain text. */
async function editorText(page: Page): Promise<string> {
  return (await page.getByTestId('editor').locator('.view-lines').innerText()).replace(/\u00A0/g, ' ')
}

async function openInvite(context: BrowserContext, link: string): Promise<Page> {
  const page = await context.newPage()
  await acceptInviteLink(page, link)
  await expect(page.getByTestId('host-status')).toContainText('Serving', { timeout: 30_000 })
  expect(page.url()).not.toContain('#invite')
  return page
}

test('three authors type into one file at once and end with the same text; new files and cursors show up live', async ({ server, newContext }) => {
  const owner = await (await newContext()).newPage()
  await owner.goto(`${server.url}/host/co-edit?template=empty`)
  await expect(owner.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  const link = await mintInviteLink(owner)
  expect(link).toMatch(/\/host\/co-edit#invite&key=/)
  await owner.getByTestId('invite').click()
  await owner.getByTestId('author-name').fill('Olive')
  await owner.getByTestId('invite').click()

  const second = await openInvite(await newContext(), link)
  const third = await openInvite(await newContext(), link)
  const authors = [owner, second, third]
  for (const page of authors) await expect(page.getByTestId('author')).toHaveCount(3, { timeout: 20_000 })

  for (const page of authors) {
    await openInEditor(page, 'public/index.html')
  }
  // Each author types on a line of their own, all at the same time, for a few seconds.
  await Promise.all(authors.map(async (page, i) => {
    await page.getByTestId('editor').locator('.view-line').nth(i + 1).click()
    await page.keyboard.press('End')
    for (let n = 0; n < 12; n++) await page.keyboard.type(` w${i}${n}`, { delay: 15 })
  }))
  await expect.poll(async () => new Set(await Promise.all(authors.map(editorText))).size, { timeout: 20_000 }).toBe(1)
  const final = await editorText(owner)
  for (let i = 0; i < 3; i++) for (let n = 0; n < 12; n++) expect(final).toContain(`w${i}${n}`)

  // Remote cursors: the others' carets are drawn, labelled with their names.
  await expect(second.locator('.yRemoteSelectionHead').first()).toBeAttached()
  await expect(second.getByTestId('presence').first()).toBeAttached()

  // Saved by one author, the visitor gets the text everyone typed.
  await third.keyboard.press('Control+S')
  await expect(third.getByTestId('save-status')).toHaveText('Saved')
  await expect(owner.getByTestId('save-status')).toHaveText('Saved')
  const guest = await visit(await newContext(), server, 'co-edit')
  await expect(guest.site.locator('body')).toContainText('w011', { timeout: 20_000 })
  await expect(guest.site.locator('body')).toContainText('w211')

  // A file one author creates appears in the others' trees.
  await second.getByTestId('new-file').click()
  await second.getByTestId('new-path').fill('public/about.html')
  await second.getByTestId('new-path').press('Enter')
  await expect(owner.getByTestId('file-public/about.html')).toBeVisible({ timeout: 10_000 })
  await expect(third.getByTestId('file-public/about.html')).toBeVisible({ timeout: 10_000 })
})

test('a reloaded author catches up with nothing lost while another keeps typing', async ({ server, newContext }) => {
  const owner = await (await newContext()).newPage()
  await owner.goto(`${server.url}/host/co-reload?template=empty`)
  await expect(owner.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  // A picture far past a data channel's message limit, so the joiner's first sync must arrive in pieces.
  const picture = Buffer.alloc(3 * 1024 * 1024, 7)
  await owner.getByTestId('upload').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: picture })
  await expect(owner.getByTestId('file-public/photo.png')).toBeVisible()
  const link = await mintInviteLink(owner)
  const otherContext = await newContext()
  const other = await openInvite(otherContext, link)
  await expect(other.getByTestId('file-public/photo.png')).toContainText('3.0 MB')
  for (const page of [owner, other]) {
    await openInEditor(page, 'public/index.html')
  }

  // The other author types (unsaved), then reloads while the owner keeps typing.
  await other.getByTestId('editor').locator('.view-line').nth(3).click()
  await other.keyboard.press('End')
  await other.keyboard.type(' typed-before-reload')
  await expect.poll(() => editorText(owner), { timeout: 10_000 }).toContain('typed-before-reload')
  const typing = (async () => {
    await owner.getByTestId('editor').locator('.view-line').nth(1).click()
    await owner.keyboard.press('End')
    for (let n = 0; n < 10; n++) await owner.keyboard.type(` live${n}`, { delay: 20 })
  })()
  await other.reload()
  await typing
  await other.getByTestId('file-public/index.html').click()
  await expect.poll(() => editorText(other), { timeout: 20_000 }).toContain('live9')
  expect(await editorText(other)).toContain('typed-before-reload')
  await expect(other.getByTestId('save-status')).toContainText('Unsaved')
})

test('edits two authors make while apart (each tab closed in turn) merge when they meet again', async ({ server, newContext }) => {
  const ownerContext = await newContext()
  let owner = await ownerContext.newPage()
  await owner.goto(`${server.url}/host/co-apart?template=empty`)
  await expect(owner.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  const link = await mintInviteLink(owner)
  const otherContext = await newContext()
  let other = await openInvite(otherContext, link)
  await expect(other.getByTestId('file-public/index.html')).toBeVisible()
  await other.close()

  // The owner edits while the other author is away, then leaves too.
  await openInEditor(owner, 'public/index.html')
  await owner.getByTestId('editor').locator('.view-line').nth(1).click()
  await owner.keyboard.press('End')
  await owner.keyboard.type(' made-by-owner-alone')
  await owner.keyboard.press('Control+S')
  await expect(owner.getByTestId('save-status')).toHaveText('Saved')
  await owner.close()

  // The other author comes back to an empty room and edits from its own copy.
  other = await otherContext.newPage()
  await other.goto(`${server.url}/host/co-apart`)
  await expect(other.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await openInEditor(other, 'public/index.html')
  expect(await editorText(other)).not.toContain('made-by-owner-alone')
  await other.getByTestId('editor').locator('.view-line').nth(3).click()
  await other.keyboard.press('End')
  await other.keyboard.type(' made-by-other-alone')

  // They meet again: both edits are in both tabs.
  owner = await ownerContext.newPage()
  await owner.goto(`${server.url}/host/co-apart`)
  await expect(owner.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await owner.getByTestId('file-public/index.html').click()
  for (const page of [owner, other]) {
    await expect.poll(() => editorText(page), { timeout: 20_000 }).toContain('made-by-owner-alone')
    await expect.poll(() => editorText(page), { timeout: 20_000 }).toContain('made-by-other-alone')
  }
})

test('two tabs of one browser edit the same site live, database included', async ({ server, newContext }) => {
  const context = await newContext()
  const first = await context.newPage()
  await first.goto(`${server.url}/host/co-tabs?template=guestbook`)
  await expect(first.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  const second = await context.newPage()
  await second.goto(`${server.url}/host/co-tabs`)
  await expect(second.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })

  await first.getByTestId('file-views/wall.mustache').click()
  await second.getByTestId('file-views/wall.mustache').click()
  for (const page of [first, second]) await expect(page.getByTestId('editor')).toHaveAttribute('data-loaded', 'true', { timeout: 30_000 })
  await first.getByTestId('editor').locator('.view-line').first().click()
  await first.keyboard.press('End')
  await first.keyboard.type(' from-the-first-tab')
  await expect.poll(() => editorText(second), { timeout: 10_000 }).toContain('from-the-first-tab')

  await second.getByTestId('panel-database').click()
  await first.getByTestId('panel-database').click()
  await first.getByTestId('db-new').click()
  await first.getByTestId('db-new-collection').fill('notes')
  await first.getByTestId('db-editor').fill('{ "_id": "live-1", "name": "Tab", "message": "seen in the other tab" }')
  await first.getByTestId('db-save').click()
  await second.getByTestId('db-collection-notes').click()
  await expect(second.getByTestId('db-doc-live-1')).toContainText('seen in the other tab', { timeout: 10_000 })
})

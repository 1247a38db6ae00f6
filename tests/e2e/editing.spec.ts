import type { BrowserContext, Page } from '@playwright/test'
import { zipSync, strToU8 } from 'fflate'
import { test, expect, visit, openInEditor, acceptInviteLink, mintInviteLink } from './fixtures'

// Issue 15: typing and undo behave as people expect with classmates in the same file, and no click is lost while the studio opens.

/**
 * The characters the author sees in Monaco, lines run together: innerText
 * would break a line wherever a co-author's caret is drawn (its label is a
 * positioned box), and carets sit in different places in each tab.
 */
async function editorText(page: Page): Promise<string> {
  return ((await page.getByTestId('editor').locator('.view-lines').textContent()) ?? '').replace(/\u00A0/g, ' ')
}

/** Most Ctrl-Z presses one author's run of 20 keystrokes may take (each a step of keystrokes UNDO_CAPTURE_MS apart). */
const MAX_UNDO_STEPS = 4

async function openInvite(context: BrowserContext, link: string): Promise<Page> {
  const page = await context.newPage()
  await acceptInviteLink(page, link)
  await expect(page.getByTestId('host-status')).toContainText('Serving', { timeout: 30_000 })
  return page
}

test('three authors typing at the end of one file at once end with three whole runs; one author\'s Ctrl-Z takes back only their run', async ({ server, newContext }) => {
  const owner = await (await newContext()).newPage()
  await owner.goto(`${server.url}/host/same-spot`)
  await expect(owner.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  const link = await mintInviteLink(owner)
  const authors = [owner, await openInvite(await newContext(), link), await openInvite(await newContext(), link)]
  for (const page of authors) await expect(page.getByTestId('author')).toHaveCount(3, { timeout: 20_000 })
  for (const page of authors) await openInEditor(page, 'public/index.html')
  for (const page of authors) {
    await page.getByTestId('editor').locator('.view-lines').click()
    await page.keyboard.press('Control+End')
  }
  const runs = ['7', '8', '9'].map(digit => digit.repeat(20))
  // All three at the very same spot, at the same time, one character at a time.
  await Promise.all(authors.map((page, i) => page.keyboard.type(runs[i]!, { delay: 40 })))
  await expect.poll(async () => new Set(await Promise.all(authors.map(editorText))).size, { timeout: 20_000 }).toBe(1)
  const typed = await editorText(owner)
  for (const run of runs) expect(typed).toContain(run)

  // The second author takes back their own typing: the others' runs stay, in every tab, at every step.
  // Keystrokes UNDO_CAPTURE_MS apart are one step; a tab that stalled that long between two of them
  // (three studios typing on two cores) made two steps of the run, so Ctrl-Z goes until it is gone.
  // The 8s the second author typed (the page's own `utf-8` is not theirs).
  const eights = (text: string) => text.replace('utf-8', '').split('8').length - 1
  let undos = 0
  while (eights(await editorText(authors[1]!)) > 0) {
    expect(undos, 'Ctrl-Z presses to take back one run of 20 keystrokes').toBeLessThan(MAX_UNDO_STEPS)
    const before = eights(await editorText(authors[1]!))
    await authors[1]!.keyboard.press('Control+Z')
    undos++
    await expect.poll(async () => eights(await editorText(authors[1]!)), { timeout: 10_000 }).toBeLessThan(before)
    const text = await editorText(authors[1]!)
    expect(text).toContain(runs[0])
    expect(text).toContain(runs[2])
  }
  for (const page of authors) {
    await expect.poll(async () => eights(await editorText(page)), { timeout: 10_000 }).toBe(0)
    const text = await editorText(page)
    expect(text).toContain(runs[0])
    expect(text).toContain(runs[2])
  }
  // And redoes it, step for step.
  for (let redo = 0; redo < undos; redo++) await authors[1]!.keyboard.press('Control+Shift+Z')
  for (const page of authors) await expect.poll(() => editorText(page), { timeout: 10_000 }).toContain(runs[1])
  // Undo with nothing of one's own to take back takes nothing of the others'.
  const fresh = await openInvite(await newContext(), link)
  await openInEditor(fresh, 'public/index.html')
  await fresh.getByTestId('editor').locator('.view-lines').click()
  await fresh.keyboard.press('Control+Z')
  await fresh.waitForTimeout(500)
  for (const run of runs) expect(await editorText(owner)).toContain(run)
})

test('a zip picked at the first possible moment after the studio opens is imported, not lost', async ({ server, newContext }) => {
  const page = await (await newContext()).newPage()
  const zip = zipSync({ 'public/index.html': strToU8('<h1>From the zip</h1>') })
  page.on('dialog', dialog => void dialog.accept())
  await page.goto(`${server.url}/host/quick-import`, { waitUntil: 'commit' })
  // The control is disabled (visibly) until the site is open; the first moment it can be used, it is.
  const input = page.getByTestId('import-zip')
  await expect(input).toBeAttached({ timeout: 20_000 })
  await expect(input).toBeEnabled({ timeout: 20_000 })
  await input.setInputFiles({ name: 'quick.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) })
  await expect(page.getByTestId('request-log')).toContainText('Imported quick.zip', { timeout: 10_000 })
  const { site } = await visit(await newContext(), server, 'quick-import')
  await expect(site.locator('h1')).toHaveText('From the zip', { timeout: 20_000 })
})

test('a file dropped or created while the site still opens waits for it, then lands', async ({ server, newContext }) => {
  const page = await (await newContext()).newPage()
  await page.goto(`${server.url}/host/quick-create`, { waitUntil: 'commit' })
  // The new-file control is there before the site is: what is typed is kept and made once the site opens.
  await page.getByTestId('new-file').click({ timeout: 20_000 })
  await page.getByTestId('new-path').fill('public/early.html')
  await page.getByTestId('new-path').press('Enter')
  await expect(page.getByTestId('file-public/early.html')).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('host-status')).toContainText('Serving')
})

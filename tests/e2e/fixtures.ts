import { test as base, expect, type BrowserContext, type FrameLocator, type Page } from '@playwright/test'
import { startServer, type TestServer } from '../helpers/server'

/** The visitor's view of a site: the shell page and the iframe that shows the site. */
export interface Visitor {
  page: Page
  site: FrameLocator
}

export const test = base.extend<{ newContext: () => Promise<BrowserContext> }, { server: TestServer }>({
  server: [async ({}, use) => { // eslint-disable-line no-empty-pattern
    const server = await startServer()
    await use(server)
    await server.stop()
  }, { scope: 'worker' }],
  // Separate browser contexts are separate people: their own storage, cookies and service workers.
  newContext: async ({ browser }, use) => {
    const contexts: BrowserContext[] = []
    await use(async () => {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
      contexts.push(context)
      return context
    })
    await Promise.all(contexts.map(context => context.close()))
  },
})

export { expect }

/** Open the host page of `site` and wait until it serves. */
export async function openHost(context: BrowserContext, server: TestServer, site: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${server.url}/host/${site}`)
  await expect(page.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  return page
}

/** Upload `folder` into the host's studio and wait until it is all in (`file` shown, the progress bar gone): a file landing after a visitor loads would reload the visitor's page. */
export async function uploadFolder(host: Page, folder: string, file: string): Promise<void> {
  await host.getByTestId('upload-folder').setInputFiles(folder)
  await expect(host.getByTestId(`file-${file}`)).toBeVisible()
  await expect(host.getByTestId('upload-progress')).toBeHidden()
}

/** Open `path` of `site` as a visitor. */
export async function visit(context: BrowserContext, server: TestServer, site: string, path = '/'): Promise<Visitor> {
  const page = await context.newPage()
  await page.goto(`http://${site}.localhost:${server.port}${path}`)
  return { page, site: page.frameLocator('#ps-site') }
}

/** The owner's invite link, as a person gets it: open "Invite co-authors", wait for the minted link, close the panel. */
export async function mintInviteLink(owner: Page): Promise<string> {
  await owner.getByTestId('invite').click()
  await expect(owner.getByTestId('invite-link')).toHaveValue(/#invite&key=[\w-]+&code=[\w-]{43}$/, { timeout: 10_000 })
  const link = await owner.getByTestId('invite-link').inputValue()
  await owner.getByTestId('invite').click()
  return link
}

/** Open an invite link as the person it was sent to: the studio asks, naming the site, and they accept. */
export async function acceptInviteLink(page: Page, link: string): Promise<void> {
  await page.goto(link)
  await page.getByTestId('invite-accept').click()
}

/** Open `path` from the studio's file tree and wait until Monaco shows it (it loads late, the first time). */
export async function openInEditor(page: Page, path: string): Promise<void> {
  await page.getByTestId(`file-${path}`).click()
  await expect(page.getByTestId('editor')).toHaveAttribute('data-loaded', 'true', { timeout: 30_000 })
}

/**
 * Select the first occurrence of `text` in the open file with Monaco's find
 * widget (Ctrl-F), as a person would, and type over it. The replacement is
 * inserted whole, so auto-closing brackets and tags do not add to it.
 */
export async function replaceInEditor(page: Page, text: string, replacement: string): Promise<void> {
  await page.getByTestId('editor').locator('.view-lines').click()
  await page.keyboard.press('Control+F')
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
  await page.keyboard.press('Escape')
  await page.keyboard.insertText(replacement)
}

import type { Page } from '@playwright/test'
import { test, expect } from './fixtures'

// Issue 14: a student who works with a keyboard only gets through Getting Started and into a lesson,
// seeing where the focus is at every step.

/** Press Tab until the focused element matches `selector` (at most `limit` times), and check its focus is visible. */
async function tabTo(page: Page, selector: string, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab')
    const found = await page.evaluate((selector) => {
      const active = document.activeElement
      return !!active && active.matches(selector)
    }, selector)
    if (!found) continue
    // A visible focus: the element's own outline, or (a hidden radio) its card's.
    const visible = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement
      const shown = (element: Element | null) => !!element && getComputedStyle(element).outlineStyle !== 'none' && parseFloat(getComputedStyle(element).outlineWidth) > 0
      return shown(active) || shown(active.closest('.card'))
    })
    expect(visible, `no visible focus on ${selector}`).toBe(true)
    return
  }
  throw new Error(`${limit} presses of Tab never reached ${selector}; the focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`)
}

/** Press `key` until the focused tree row is `path`. */
async function arrowTo(page: Page, path: string, key = 'ArrowDown', limit = 30): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if (await page.evaluate(() => document.activeElement?.getAttribute('data-path')) === path) return
    await page.keyboard.press(key)
  }
  throw new Error(`the tree never reached ${path}; the focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 160))}`)
}

test('Getting Started by keyboard only: name a site, pick a template, open public/index.html, edit, save, Open browser', async ({ server, newContext }) => {
  const context = await newContext()
  const page = await context.newPage()
  await page.goto(server.url)
  await expect(page.getByTestId('gallery')).toBeVisible({ timeout: 20_000 })
  await tabTo(page, '[data-testid="site-name"]')
  await page.keyboard.type('keyboard-site')
  await expect(page.getByTestId('site-name-free')).toBeVisible({ timeout: 10_000 })
  await tabTo(page, 'input[name="template"]')
  // Arrow keys move through the gallery's cards, choosing as they go, to the portfolio.
  const picked = () => page.evaluate(() => (document.activeElement as HTMLInputElement).value)
  for (let presses = 0; presses < 8 && await picked() !== 'portfolio'; presses++) await page.keyboard.press('ArrowRight')
  expect(await picked()).toBe('portfolio')
  await expect(page.getByTestId('template-portfolio')).toHaveClass(/chosen/)
  await tabTo(page, '[data-testid="create-site"]')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })

  // The file tree: one Tab stop, arrows inside it, Enter opens.
  await tabTo(page, '[role="treeitem"]')
  await page.keyboard.press('Home')
  await arrowTo(page, 'public')
  await page.keyboard.press('ArrowLeft')
  await expect(page.locator('[data-path="public"]')).toHaveAttribute('aria-expanded', 'false')
  await page.keyboard.press('ArrowRight')
  await expect(page.locator('[data-path="public"]')).toHaveAttribute('aria-expanded', 'true')
  await arrowTo(page, 'public/index.html')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('editor')).toHaveAttribute('data-loaded', 'true', { timeout: 30_000 })
  await tabTo(page, '.monaco .native-edit-context, .monaco textarea')
  await page.keyboard.press('Control+Home')
  await page.keyboard.type('<!-- typed by keyboard -->\n')
  await page.keyboard.press('Control+S')
  await expect(page.getByTestId('save-status')).toHaveText('Saved')

  // Out of the editor (Tab indents there: Ctrl-M makes Tab move the focus, as Monaco documents), then Open browser.
  await page.keyboard.press('Control+M')
  await tabTo(page, '[data-testid="open-browser"]')
  const [visitor] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')])
  await expect(visitor.frameLocator('#ps-site').locator('body')).toBeVisible({ timeout: 20_000 })
  const site = visitor.frames().find(frame => frame !== visitor.mainFrame())
  if (!site) throw new Error('no site frame')
  // The comment went before the doctype, where the DOM keeps it outside <html>: read the page as served.
  await expect.poll(() => site.evaluate(async () => (await fetch('/')).text()), { timeout: 20_000 }).toContain('<!-- typed by keyboard -->')
})

test('a student joins a lesson by code with the keyboard, and turns following off', async ({ server, newContext }) => {
  const teacher = await (await newContext()).newPage()
  await teacher.goto(`${server.url}/host/keyboard-lesson`)
  await expect(teacher.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await teacher.getByTestId('share').click()
  const code = (await teacher.getByTestId('share-code').innerText()).replace(/\W/g, '')
  expect(code).toMatch(/^[A-Z]{6}$/)

  const student = await (await newContext()).newPage()
  await student.goto(`${server.url}/join`)
  await expect(student.getByTestId('join-code')).toBeVisible({ timeout: 20_000 })
  await tabTo(student, '[data-testid="join-code"]')
  await student.keyboard.type(code.toLowerCase())
  await tabTo(student, '[data-testid="join-name"]')
  await student.keyboard.type('Ada')
  await student.keyboard.press('Enter')
  await expect(student.frameLocator('#ps-site').locator('h1')).toHaveText('Hello, world.', { timeout: 20_000 })
  const toggle = student.locator('#ps-follow input, #ps-follow button').first()
  await expect(toggle).toBeVisible({ timeout: 10_000 })
  await tabTo(student, '#ps-follow input, #ps-follow button')
  const before = await toggle.evaluate(element => (element instanceof HTMLInputElement ? element.checked : element.getAttribute('aria-pressed')))
  await student.keyboard.press('Space')
  await expect.poll(() => toggle.evaluate(element => (element instanceof HTMLInputElement ? element.checked : element.getAttribute('aria-pressed')))).not.toBe(before)
})

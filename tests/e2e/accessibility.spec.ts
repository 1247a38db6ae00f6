import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from '@playwright/test'
import { test, expect, openHost, visit } from './fixtures'

// Issue 14: the app's pages and panels meet WCAG 2.1 A/AA as axe-core checks them: no serious
// or critical violation anywhere a student goes.

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

interface Violation { id: string, impact: string | null, help: string, nodes: Array<{ target: string[] }> }

/** The serious and critical WCAG violations axe finds on the page as it is now (the source is evaluated, so no CSP stops it). */
async function audit(page: Page, what: string): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: Violation[] }> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({ target: n.target })) }))
  }, WCAG)
  return violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${what}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ''}`)
}

test('the landing page, gallery, studio with every panel open, the invite and share panels, the QR view and /join have no serious or critical WCAG violation', async ({ server, newContext }) => {
  const found: string[] = []
  const page = await (await newContext()).newPage()
  await page.goto(server.url)
  await expect(page.getByTestId('gallery')).toBeVisible({ timeout: 20_000 })
  found.push(...await audit(page, 'landing page with the gallery'))
  await page.getByTestId('site-name').fill('axe-site')
  found.push(...await audit(page, 'landing page, a name typed'))

  const studio = await openHost(page.context(), server, 'axe-site')
  await studio.getByTestId('file-public/index.html').click()
  await expect(studio.getByTestId('editor')).toHaveAttribute('data-loaded', 'true', { timeout: 30_000 })
  found.push(...await audit(studio, 'studio, requests panel, editor open'))
  for (const panel of ['database', 'visitors', 'settings']) {
    await studio.getByTestId(`panel-${panel}`).click()
    found.push(...await audit(studio, `studio, ${panel} panel`))
  }
  await studio.getByTestId('invite').click()
  await expect(studio.getByTestId('invite-link')).toHaveValue(/#invite/, { timeout: 10_000 })
  found.push(...await audit(studio, 'studio, invite panel'))
  await studio.getByTestId('invite').click()
  await studio.getByTestId('share').click()
  await expect(studio.getByTestId('share-panel')).toBeVisible()
  found.push(...await audit(studio, 'studio, share panel'))
  await studio.getByTestId('share-fullscreen').click()
  await expect(studio.getByTestId('share-fullscreen-view')).toBeVisible()
  found.push(...await audit(studio, 'studio, QR full-screen view'))
  await studio.getByTestId('share-fullscreen-close').click()

  const join = await (await newContext()).newPage()
  await join.goto(`${server.url}/join`)
  await expect(join.getByTestId('join-code')).toBeVisible({ timeout: 20_000 })
  found.push(...await audit(join, '/join'))
  await join.getByTestId('join-code').fill('NOPE')
  await join.getByTestId('join-submit').click()
  await expect(join.getByTestId('join-problem')).toBeVisible()
  found.push(...await audit(join, '/join with a problem shown'))

  // The visitor shell's own controls: the follow toggle of a lesson, and its status pages.
  const student = await visit(await newContext(), server, 'axe-site', '/?ps-join=1&ps-name=Ada')
  await expect(student.site.locator('h1')).toHaveText('Hello, world.', { timeout: 20_000 })
  await expect(student.page.locator('#ps-follow')).toBeVisible({ timeout: 10_000 })
  found.push(...await audit(student.page, 'visited site with the follow toggle'))
  const nobody = await (await newContext()).newPage()
  await nobody.goto(`http://nobody-home.localhost:${server.port}/`)
  await expect(nobody.locator('#ps-status')).toContainText(/offline|no host|not online/i, { timeout: 20_000 })
  found.push(...await audit(nobody, 'visitor shell, host offline'))

  expect(found, found.join('\n')).toEqual([])
})

test('in the dark scheme too: the landing page, the studio with its panels and editor, the share and invite panels and /join have no serious or critical WCAG violation', async ({ server, newContext }) => {
  const context = await newContext()
  const page = await context.newPage()
  await page.emulateMedia({ colorScheme: 'dark' })
  const found: string[] = []
  await page.goto(server.url)
  await expect(page.getByTestId('gallery')).toBeVisible({ timeout: 20_000 })
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 255, 255)')
  found.push(...await audit(page, 'dark: landing page'))
  const studio = await openHost(context, server, 'axe-dark')
  await studio.emulateMedia({ colorScheme: 'dark' })
  await studio.getByTestId('file-public/index.html').click()
  await expect(studio.getByTestId('editor')).toHaveAttribute('data-loaded', 'true', { timeout: 30_000 })
  await expect(studio.locator('.monaco-editor.vs-dark')).toBeVisible()
  found.push(...await audit(studio, 'dark: studio, requests panel, editor'))
  for (const panel of ['database', 'visitors', 'settings']) {
    await studio.getByTestId(`panel-${panel}`).click()
    found.push(...await audit(studio, `dark: studio, ${panel} panel`))
  }
  await studio.getByTestId('invite').click()
  await expect(studio.getByTestId('invite-link')).toHaveValue(/#invite/, { timeout: 10_000 })
  found.push(...await audit(studio, 'dark: studio, invite panel'))
  await studio.getByTestId('invite').click()
  await studio.getByTestId('share').click()
  found.push(...await audit(studio, 'dark: studio, share panel'))
  const join = await context.newPage()
  await join.emulateMedia({ colorScheme: 'dark' })
  await join.goto(`${server.url}/join`)
  await expect(join.getByTestId('join-code')).toBeVisible({ timeout: 20_000 })
  found.push(...await audit(join, 'dark: /join'))
  expect(found, found.join('\n')).toEqual([])
})

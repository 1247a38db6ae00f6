import type { Page } from '@playwright/test'
import { test, expect, acceptInviteLink, mintInviteLink, openInEditor } from './fixtures'
import { startServer, type TestServer } from '../helpers/server'
import { startFrontDoor, type FrontDoor } from '../helpers/front-door'
import { startTestRedis, type TestRedis } from '../helpers/redis-server'

// Two Nitro instances sharing one Redis, behind one address (a TCP front
// door that passes each connection to the preferred instance, or to the
// other when it is down). The teacher is on A; a co-author and a student
// are on B; B is killed mid-lesson.

/** How soon the student must be back after its instance dies (issue 13). */
const BACK_WITHIN_MS = 10_000

let redis: TestRedis
let a: TestServer
let b: TestServer
let front: FrontDoor

test.beforeAll(async () => {
  redis = await startTestRedis()
  const env = { NUXT_REDIS_URL: redis.url }
  ;[a, b] = await Promise.all([startServer(env), startServer(env)])
  front = await startFrontDoor([a.port, b.port])
})

test.afterAll(async () => {
  await front?.stop()
  await Promise.all([a?.stop(), b?.stop()])
  await redis?.stop()
})

/** Append a CSS rule to the quiz's stylesheet in `page`'s editor and save it. */
async function appendCss(page: Page, rule: string): Promise<void> {
  await openInEditor(page, 'public/css/quiz.css')
  await page.getByTestId('editor').locator('.view-lines').click()
  await page.keyboard.press('Control+End')
  await page.keyboard.insertText(`\n${rule}\n`)
  await page.keyboard.press('Control+S')
  await expect(page.getByTestId('save-status')).toHaveText('Saved')
}

/** Requests for `path` in a server's access log. */
const served = (server: TestServer, path: string) => server.accessed().filter(line => line.path.startsWith(path)).length

test('a lesson across two instances on Redis: teacher on A, co-author and student on B; B is killed and the student is back within 10 s', async ({ newContext }) => {
  test.setTimeout(150_000)
  // The teacher, on A.
  front.prefer(0)
  const teacher = await (await newContext()).newPage()
  await teacher.goto(`${front.url}/host/two-instances?template=quiz`)
  await expect(teacher.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  const link = await mintInviteLink(teacher)
  await teacher.getByTestId('share').click()
  const code = (await teacher.getByTestId('share-code').innerText()).replace(/\W/g, '')
  await teacher.getByTestId('share').click()
  await teacher.getByTestId('panel-visitors').click()

  // The co-author and the student, on B: the invite, the join code and the site's name all resolve there.
  front.prefer(1)
  const coAuthor = await (await newContext()).newPage()
  await acceptInviteLink(coAuthor, link)
  await expect(coAuthor.getByTestId('host-status')).toContainText('Serving', { timeout: 30_000 })
  await expect(coAuthor.getByTestId('file-public/css/quiz.css')).toBeVisible({ timeout: 20_000 })
  const student = await (await newContext()).newPage()
  await student.goto(`${front.url}/join`)
  await student.getByTestId('join-code').fill(code)
  await student.getByTestId('join-name').fill('Sam')
  await student.getByTestId('join-submit').click()
  const site = student.frameLocator('#ps-site')
  await expect(site.locator('h1')).toHaveText('Class quiz', { timeout: 20_000 })
  expect(served(a, '/host/two-instances')).toBeGreaterThan(0)
  expect(served(b, '/host/two-instances')).toBeGreaterThan(0)
  expect(served(b, '/join')).toBeGreaterThan(0)
  expect(served(a, '/join')).toBe(0)

  // Co-editing across the instances: each sees the other's save; the student's page follows.
  await appendCss(teacher, 'body { background: rgb(1, 2, 3); }')
  await expect(site.locator('body')).toHaveCSS('background-color', 'rgb(1, 2, 3)', { timeout: 15_000 })
  await appendCss(coAuthor, 'h1 { color: rgb(4, 5, 6); }')
  await expect(site.locator('h1')).toHaveCSS('color', 'rgb(4, 5, 6)', { timeout: 15_000 })
  await openInEditor(teacher, 'public/css/quiz.css')
  await expect(teacher.getByTestId('editor')).toContainText('rgb(4, 5, 6)', { timeout: 10_000 })

  // B dies without a word to anyone. The student's shell reconnects through the front door, now to A.
  await b.kill()
  const killed = Date.now()
  await appendCss(teacher, 'body { background: rgb(7, 8, 9); }')
  await expect(site.locator('body')).toHaveCSS('background-color', 'rgb(7, 8, 9)', { timeout: BACK_WITHIN_MS })
  const back = Date.now() - killed
  await expect(student.locator('#ps-status')).toBeHidden()
  test.info().annotations.push({ type: 'student back after', description: `${back} ms` })
  expect(back).toBeLessThan(BACK_WITHIN_MS)

  // The co-author re-registers on A and keeps editing with the teacher.
  await expect(coAuthor.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await appendCss(coAuthor, 'h1 { color: rgb(10, 11, 12); }')
  await expect(teacher.getByTestId('editor')).toContainText('rgb(10, 11, 12)', { timeout: 15_000 })
  await expect(site.locator('h1')).toHaveCSS('color', 'rgb(10, 11, 12)', { timeout: 15_000 })
})

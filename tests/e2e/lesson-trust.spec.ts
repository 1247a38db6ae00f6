import { test, expect } from './fixtures'
import type { TestServer } from '../helpers/server'
import type { BrowserContext, Page } from '@playwright/test'

/** A teacher serving the quiz, a student who joined by code and follows, and the teacher's leading preview. */
async function lesson(server: TestServer, newContext: () => Promise<BrowserContext>, site: string): Promise<{ teacher: Page, student: Page, preview: Page }> {
  const teacherContext = await newContext()
  const teacher = await teacherContext.newPage()
  await teacher.goto(`${server.url}/host/${site}?template=quiz`)
  await expect(teacher.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await teacher.getByTestId('share').click()
  const code = (await teacher.getByTestId('share-code').innerText()).replace(/\W/g, '')
  const student = await (await newContext()).newPage()
  await student.goto(`${server.url}/join?code=${code}`)
  await student.getByTestId('join-submit').click()
  await expect(student.frameLocator('#ps-site').locator('h1')).toHaveText('Class quiz', { timeout: 20_000 })
  const [preview] = await Promise.all([teacherContext.waitForEvent('page'), teacher.getByTestId('lead').click()])
  await expect(preview.locator('#ps-lead')).toBeVisible({ timeout: 20_000 })
  await expect(student.locator('#ps-follow')).toBeVisible({ timeout: 10_000 })
  return { teacher, student, preview }
}

test('a follower stays on the site when script in the leader\'s page goes to //evil.example/x', async ({ server, newContext }) => {
  const { student, preview } = await lesson(server, newContext, 'trust-quiz')
  const origin = `http://trust-quiz.localhost:${server.port}`
  const leaderFrame = preview.frames().find(frame => frame !== preview.mainFrame())
  if (!leaderFrame) throw new Error('no site frame in the preview')
  // A page at /.//evil.example/x is on the site, but its path reads as another host.
  await leaderFrame.evaluate(() => location.assign('/.//evil.example/x'))
  // Asked while the frame navigates, evaluate throws (its context is gone): that is "not there yet".
  await expect.poll(() => leaderFrame.evaluate(() => location.pathname).catch(() => null)).toBe('//evil.example/x')
  await student.waitForTimeout(2_000)
  const studentFrame = student.frames().find(frame => frame !== student.mainFrame())
  expect(studentFrame?.url().startsWith(`${origin}/`), `the student's page is at ${studentFrame?.url()}`).toBe(true)

  // The lesson goes on: a real page of the site still leads the student there.
  await preview.frameLocator('#ps-site').locator('body').waitFor()
  await leaderFrame.evaluate(() => location.assign('/results'))
  await expect(student.frameLocator('#ps-site').locator('h1')).toHaveText('Results', { timeout: 15_000 })
})

test('the lead key is in no URL query and no storage the site\'s scripts can read', async ({ server, newContext }) => {
  const { preview } = await lesson(server, newContext, 'key-quiz')
  const frame = preview.frames().find(candidate => candidate !== preview.mainFrame())
  if (!frame) throw new Error('no site frame in the preview')
  const seen = await frame.evaluate(() => ({
    top: parent.location.href,
    storage: JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }),
  }))
  expect(seen.top).toBe(`http://key-quiz.localhost:${server.port}/`)
  const leadKeys = server.accessed().filter(line => line.path.includes('ps-lead'))
  expect(leadKeys).toEqual([])
  expect(seen.storage).not.toMatch(/lead/i)
})

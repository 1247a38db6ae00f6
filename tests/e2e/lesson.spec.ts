import { test, expect, replaceInEditor, openInEditor } from './fixtures'

test('a live lesson: a student joins by code with a name, answers; the teacher sees it, restyles the page live and leads the way', async ({ server, newContext }) => {
  const teacherContext = await newContext()
  const teacher = await teacherContext.newPage()
  await teacher.goto(`${server.url}/host/lesson-quiz?template=quiz`)
  await expect(teacher.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await teacher.getByTestId('share').click()
  const code = (await teacher.getByTestId('share-code').innerText()).replace(/\W/g, '')
  expect(code).toMatch(/^[A-Z]{6}$/)
  await expect(teacher.getByTestId('share-qr')).toBeVisible()

  // The student joins with the code, and gives a name.
  const student = await (await newContext()).newPage()
  await student.goto(`${server.url}/join`)
  await student.getByTestId('join-code').fill(code.toLowerCase())
  await student.getByTestId('join-name').fill('Sam')
  await student.getByTestId('join-submit').click()
  const site = student.frameLocator('#ps-site')
  await expect(site.locator('h1')).toHaveText('Class quiz', { timeout: 20_000 })
  expect(student.url()).toBe(`http://lesson-quiz.localhost:${server.port}/`)
  await teacher.getByTestId('panel-visitors').click()
  await expect(teacher.getByTestId('visitor-name')).toHaveText('Sam', { timeout: 10_000 })

  // The teacher's own preview leads the lesson.
  const [preview] = await Promise.all([teacherContext.waitForEvent('page'), teacher.getByTestId('lead').click()])
  await expect(preview.locator('#ps-lead')).toBeVisible({ timeout: 20_000 })
  // The lead key came in the fragment, and is gone from the address; the preview has no handle on the studio.
  expect(preview.url()).toBe(`http://lesson-quiz.localhost:${server.port}/`)
  expect(await preview.evaluate(() => window.opener)).toBeNull()
  await expect(student.locator('#ps-follow')).toBeVisible({ timeout: 10_000 })

  // The student answers; the results show it.
  await site.locator('input[name=planet][value="1"]').check()
  await site.locator('#submit-answers').click()
  await expect(site.locator('h1')).toHaveText('Results', { timeout: 20_000 })
  await expect(site.locator('#results-planet .total')).toHaveText('Answers: 1')
  await site.getByRole('link', { name: 'Answer the quiz' }).click()
  await expect(site.locator('h1')).toHaveText('Class quiz')
  await expect(teacher.getByTestId('visitor-path').first()).toHaveText('/', { timeout: 10_000 })

  // The teacher restyles the page: the student's page changes without a reload.
  await student.frames()[1]!.evaluate(() => Object.assign(window, { stillHere: true }))
  await openInEditor(teacher, 'public/css/quiz.css')
  await teacher.getByTestId('editor').locator('.view-lines').click()
  await teacher.keyboard.press('Control+End')
  await teacher.keyboard.insertText('\nbody { background: rgb(1, 2, 3); }\n')
  await teacher.keyboard.press('Control+S')
  await expect(teacher.getByTestId('save-status')).toHaveText('Saved')
  expect(await student.frames()[1]!.evaluate(() => fetch('/css/quiz.css').then(r => r.text()))).toContain('rgb(1, 2, 3)')
  await expect(site.locator('body')).toHaveCSS('background-color', 'rgb(1, 2, 3)', { timeout: 10_000 })
  expect(await student.frames()[1]!.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true)

  // The teacher goes to the results in the leading preview: the student follows.
  await preview.frameLocator('#ps-site').getByRole('banner').getByRole('link', { name: 'Results' }).click()
  await expect(site.locator('h1')).toHaveText('Results', { timeout: 15_000 })
  await expect(preview.frameLocator('#ps-site').locator('#results-planet .total')).toHaveText('Answers: 1')

  // A student who turns following off stays where they are.
  await student.locator('#ps-follow input').uncheck()
  await preview.frameLocator('#ps-site').getByRole('link', { name: 'Answer the quiz' }).click()
  await expect(preview.frameLocator('#ps-site').locator('h1')).toHaveText('Class quiz')
  await student.waitForTimeout(1_000)
  await expect(site.locator('h1')).toHaveText('Results')

  // A saved view reloads the student's page (it is not a stylesheet), keeping them where they are.
  await teacher.getByTestId('file-views/results.mustache').click()
  await replaceInEditor(teacher, 'Results</h1>', 'Results so far</h1>')
  await teacher.keyboard.press('Control+S')
  await expect(site.locator('h1')).toHaveText('Results so far', { timeout: 10_000 })

  // With live reload turned off, a save is served but the student's page is left alone.
  await teacher.getByTestId('panel-settings').click()
  await teacher.getByTestId('live-reload').uncheck()
  await replaceInEditor(teacher, 'so far</h1>', 'at last</h1>')
  await teacher.keyboard.press('Control+S')
  await expect(teacher.getByTestId('save-status')).toHaveText('Saved')
  expect(await student.frames()[1]!.evaluate(() => fetch('/results').then(r => r.text()))).toContain('Results at last')
  await student.waitForTimeout(1_500)
  await expect(site.locator('h1')).toHaveText('Results so far')

  // The teacher removes the student, who is told so.
  await teacher.getByTestId('panel-visitors').click()
  teacher.once('dialog', dialog => void dialog.accept())
  await teacher.getByTestId('remove-visitor').first().click()
  await expect(student.locator('#ps-status')).toContainText('Removed from the lesson', { timeout: 10_000 })
})

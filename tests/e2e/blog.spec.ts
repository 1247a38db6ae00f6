import { resolve } from 'node:path'
import type { FrameLocator } from '@playwright/test'
import { test, expect, visit } from './fixtures'

async function submitCredentials(site: FrameLocator, name: string, password: string, button: '#register' | '#login') {
  await site.locator('input[name=name]').fill(name)
  await site.locator('input[name=password]').fill(password)
  await site.locator(button).click()
}

const PICTURE = resolve('tests/fixtures/sites/basic/public/img/cat.png')

test('visitors register, log in, post with a picture and log out on the gallery\'s blog', async ({ server, newContext }) => {
  // The author starts from the gallery's Blog template, as anyone would: the site is what users get.
  const host = await (await newContext()).newPage()
  await host.goto(server.url)
  await host.getByTestId('site-name').fill('class-blog')
  await host.getByTestId('template-blog').click()
  await host.getByTestId('create-site').click()
  await expect(host.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await expect(host.getByTestId('file-routes/posts/index.post.js')).toBeVisible()
  await expect(host.getByTestId('file-public/favicon.svg')).toBeVisible()
  // The gallery's own files (template.json and its preview picture) stay out of the site.
  await expect(host.getByTestId('file-template.json')).toHaveCount(0)
  await expect(host.getByTestId('file-preview.svg')).toHaveCount(0)
  const origin = `http://class-blog.localhost:${server.port}`

  const ada = await visit(await newContext(), server, 'class-blog')
  await expect(ada.site.locator('#posts')).toContainText('No posts yet.')
  await ada.site.locator('#to-register').click()
  await submitCredentials(ada.site, 'ada', 'too', '#register')
  await expect(ada.site.locator('#form-error')).toHaveText('Choose a password of at least 6 characters.')
  await submitCredentials(ada.site, 'ada', 'analytical-engine', '#register')
  await expect(ada.site.locator('#whoami')).toHaveText('Signed in as ada')
  await expect(ada.page).toHaveURL(`${origin}/`)

  // A post with a picture, through a multipart form.
  await ada.site.getByRole('link', { name: 'New post' }).click()
  await ada.site.locator('input[name=title]').fill('Notes on the engine')
  await ada.site.locator('textarea[name=body]').fill('It weaves <algebraic> patterns.')
  await ada.site.locator('input[name=image]').setInputFiles(PICTURE)
  await ada.site.locator('#publish').click()
  await expect(ada.site.locator('#post-title')).toHaveText('Notes on the engine')
  await expect(ada.site.locator('#post-body')).toHaveText('It weaves <algebraic> patterns.')
  await expect(ada.site.locator('#post-author')).toHaveText('ada')
  await expect(ada.page).toHaveURL(/\/posts\/[\w-]+$/)
  await expect.poll(() => ada.site.locator('#post-image').evaluate(img => img instanceof HTMLImageElement ? img.naturalWidth : 0)).toBe(32)
  const postUrl = ada.page.url()

  // An "image" that is really HTML (stored script on the site's origin) is refused, and nothing is published.
  await ada.page.goto(`${origin}/posts/new`)
  await ada.site.locator('input[name=title]').fill('Not a picture')
  await ada.site.locator('input[name=image]').setInputFiles({ name: 'cat.png', mimeType: 'image/png', buffer: Buffer.from('<script>parent.document.title = "owned"</script>') })
  await ada.site.locator('#publish').click()
  await expect(ada.site.locator('body')).toContainText('The picture must be a PNG, JPEG, GIF or WebP image.')
  await ada.page.goto(postUrl)

  await ada.site.getByRole('link', { name: 'Class blog' }).click()
  await expect(ada.site.locator('#posts a')).toHaveText(['Notes on the engine'])
  await ada.site.getByRole('link', { name: 'Members' }).click()
  await expect(ada.site.locator('#members-greeting')).toHaveText('Welcome back, ada. There are 1 members.')

  // Another person has a session of their own: not signed in, kept out of members-only pages.
  const grace = await visit(await newContext(), server, 'class-blog', '/members')
  await expect(grace.site.locator('h1')).toHaveText('Log in')
  await expect(grace.page).toHaveURL(`${origin}/login?next=%2Fmembers`)
  await grace.page.goto(postUrl)
  await expect(grace.site.locator('#post-title')).toHaveText('Notes on the engine')
  await expect(grace.site.locator('#whoami')).toHaveCount(0)

  // Ada logs out; the members page now sends her to the login form, and a wrong password is refused.
  await ada.site.locator('#logout').click()
  await expect(ada.site.locator('#to-login')).toBeVisible()
  await ada.page.goto(`${origin}/members`)
  await expect(ada.site.locator('h1')).toHaveText('Log in')
  await submitCredentials(ada.site, 'ada', 'wrong password', '#login')
  await expect(ada.site.locator('#form-error')).toHaveText('Wrong name or password.')
  await submitCredentials(ada.site, 'ada', 'analytical-engine', '#login')
  await expect(ada.site.locator('#members-greeting')).toHaveText('Welcome back, ada. There are 1 members.')
  await expect(grace.site.locator('#whoami')).toHaveCount(0)
})

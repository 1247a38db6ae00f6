import { test, expect, openHost, visit } from './fixtures'

// Issue 11, part 1: an invite link is something anyone can craft and any page can send the owner to.
const CRAFTED = `#invite&key=${'attacker-room-key-'.padEnd(43, 'k')}&code=${'forged-invite-'.padEnd(43, 'c')}`

test('a crafted invite opened by the owner changes nothing: same role and room key, the site still served', async ({ server, newContext }) => {
  const context = await newContext()
  const owner = await openHost(context, server, 'owned-site')
  const credentials = () => owner.evaluate(() => ({
    role: localStorage.getItem('peerserver:author-role:owned-site'),
    key: localStorage.getItem('peerserver:room-key:owned-site'),
  }))
  await expect.poll(credentials).toMatchObject({ role: 'owner', key: expect.stringMatching(/^[\w-]{43}$/) })
  const before = await credentials()
  await owner.close()

  const opened = await context.newPage()
  await opened.goto(`${server.url}/host/owned-site${CRAFTED}`)
  await expect(opened.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await expect(opened.getByTestId('studio-notice')).toContainText('An invitation to owned-site was ignored')
  await expect(opened.getByTestId('invite-dialog')).toHaveCount(0)
  expect(opened.url()).toBe(`${server.url}/host/owned-site`)
  expect(await opened.evaluate(() => ({
    role: localStorage.getItem('peerserver:author-role:owned-site'),
    key: localStorage.getItem('peerserver:room-key:owned-site'),
  }))).toEqual(before)

  // Still the owner: serving, and visitors load the site.
  const { site } = await visit(await newContext(), server, 'owned-site')
  await expect(site.locator('h1')).toHaveText('Hello, world.', { timeout: 20_000 })
})

test('an invite a person declines keeps nothing, joins no room and serves nothing', async ({ server, newContext }) => {
  const page = await (await newContext()).newPage()
  await page.goto(`${server.url}/host/someone-else${CRAFTED}`)
  await expect(page.getByTestId('invite-dialog')).toContainText('Co-author someone-else?')
  expect(page.url()).toBe(`${server.url}/host/someone-else`)
  await page.getByTestId('invite-decline').click()
  await expect(page.getByTestId('studio-error')).toHaveText('You declined the invitation to co-author someone-else: nothing was kept.')
  expect(await page.evaluate(() => Object.keys(localStorage).filter(key => key.includes('someone-else')))).toEqual([])
  expect(await page.evaluate(async () => (await indexedDB.databases()).map(db => db.name))).not.toContain('peerserver-site:someone-else')
  await expect(page.getByTestId('host-status')).toHaveText('Not serving this site.')
})

test('a forged invite accepted in a fresh browser is refused by the server: nothing kept, no room joined, no author added', async ({ server, newContext }) => {
  const owner = await openHost(await newContext(), server, 'guarded-site')
  await expect(owner.getByTestId('author')).toHaveCount(1, { timeout: 10_000 })
  const page = await (await newContext()).newPage()
  await page.goto(`${server.url}/host/guarded-site${CRAFTED}`)
  await page.getByTestId('invite-accept').click()
  await expect(page.getByTestId('studio-error')).toContainText('This invitation to guarded-site is not valid', { timeout: 10_000 })
  expect(await page.evaluate(() => Object.keys(localStorage).filter(key => key.includes('guarded-site')))).toEqual([])
  expect(await page.evaluate(async () => (await indexedDB.databases()).map(db => db.name))).not.toContain('peerserver-site:guarded-site')
  await expect(page.getByTestId('host-status')).toHaveText('Not serving this site.')
  await page.waitForTimeout(1_000)
  await expect(owner.getByTestId('author')).toHaveCount(1)
})


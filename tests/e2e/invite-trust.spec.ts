import { test, expect, openHost, visit } from './fixtures'

// Issue 11, part 1: an invite link is something anyone can craft and any page can send the owner to.
const CRAFTED = `#invite&key=${'attacker-room-key-'.padEnd(43, 'k')}&token=${'attacker-token-'.padEnd(43, 't')}`

test('a crafted invite opened by the owner changes nothing: same token and room key, the site still served', async ({ server, newContext }) => {
  const context = await newContext()
  const owner = await openHost(context, server, 'owned-site')
  const credentials = () => owner.evaluate(() => ({
    token: localStorage.getItem('peerserver:owner-token:owned-site'),
    key: localStorage.getItem('peerserver:room-key:owned-site'),
  }))
  const before = await credentials()
  expect(before.token).toBeTruthy()
  await owner.close()

  const opened = await context.newPage()
  await opened.goto(`${server.url}/host/owned-site${CRAFTED}`)
  await expect(opened.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  await expect(opened.getByTestId('studio-notice')).toContainText('An invitation to owned-site was ignored')
  await expect(opened.getByTestId('invite-dialog')).toHaveCount(0)
  expect(opened.url()).toBe(`${server.url}/host/owned-site`)
  expect(await opened.evaluate(() => ({
    token: localStorage.getItem('peerserver:owner-token:owned-site'),
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

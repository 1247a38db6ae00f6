import type { BrowserContext, Page } from '@playwright/test'
import { test, expect, visit, acceptInviteLink, mintInviteLink } from './fixtures'

// Issue 11, part 2: the owner removes a co-author, who can then neither host nor sync, while the others keep editing and visitors keep loading.

/** A co-author named `name`: the name set before the invite is opened, so the first registration carries it. */
async function coAuthor(context: BrowserContext, serverUrl: string, link: string, name: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(serverUrl)
  await page.evaluate(value => localStorage.setItem('peerserver:author-name', value), name)
  await acceptInviteLink(page, link)
  await expect(page.getByTestId('host-status')).toContainText('Serving', { timeout: 30_000 })
  return page
}

async function newFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('new-file').click()
  await page.getByTestId('new-path').fill(path)
  await page.getByTestId('new-path').press('Enter')
  await expect(page.getByTestId(`file-${path}`)).toBeVisible()
}

test('an author removed by the owner can no longer host or sync; the others keep editing and visitors keep loading', async ({ server, newContext }) => {
  const owner = await (await newContext()).newPage()
  await owner.goto(`${server.url}/host/team-site`)
  await expect(owner.getByTestId('host-status')).toContainText('Serving', { timeout: 20_000 })
  const link = await mintInviteLink(owner)
  const bobContext = await newContext()
  const bob = await coAuthor(bobContext, server.url, link, 'Bob')
  const cy = await coAuthor(await newContext(), server.url, link, 'Cy')
  for (const page of [owner, bob, cy]) await expect(page.getByTestId('author')).toHaveCount(3, { timeout: 20_000 })
  await newFile(bob, 'public/before.html')
  for (const page of [owner, cy]) await expect(page.getByTestId('file-public/before.html')).toBeVisible({ timeout: 10_000 })

  // The owner sees every author the server keeps, and removes Bob.
  await owner.getByTestId('invite').click()
  const entries = owner.getByTestId('author-entry')
  await expect(entries).toHaveCount(3, { timeout: 10_000 })
  await expect(entries.filter({ hasText: '(you)' })).toContainText('owner · online')
  await expect(entries.filter({ hasText: 'Cy' })).toContainText('author · online')
  await expect(entries.filter({ hasText: 'Cy' }).getByTestId('author-remove')).toBeVisible()
  await expect(entries.filter({ hasText: '(you)' }).getByTestId('author-remove')).toHaveCount(0)
  owner.once('dialog', dialog => void dialog.accept())
  await entries.filter({ hasText: 'Bob' }).getByTestId('author-remove').click()
  await expect(owner.getByTestId('author-removed')).toContainText('Bob was removed')
  await expect(entries).toHaveCount(2)
  await expect(entries.filter({ hasText: 'Bob' })).toHaveCount(0)

  // Bob's tab is told, stops serving, and forgets the credentials that no longer open anything.
  await expect(bob.getByTestId('host-error')).toContainText('The owner removed you from the authors of team-site', { timeout: 10_000 })
  expect(await bob.evaluate(() => Object.keys(localStorage).filter(key => key.includes('team-site') && !key.includes('recent')))).toEqual([])

  // The others keep editing together, in the new room; nothing reaches Bob, and nothing of Bob's reaches them.
  for (const page of [owner, cy]) await expect(page.getByTestId('author')).toHaveCount(2, { timeout: 20_000 })
  await newFile(cy, 'public/after.html')
  await expect(owner.getByTestId('file-public/after.html')).toBeVisible({ timeout: 15_000 })
  await newFile(bob, 'public/bob-after.html')
  await bob.waitForTimeout(3_000)
  await expect(bob.getByTestId('file-public/after.html')).toHaveCount(0)
  for (const page of [owner, cy]) await expect(page.getByTestId('file-public/bob-after.html')).toHaveCount(0)

  // Visitors keep loading the site from the remaining authors' tabs, every time.
  for (let i = 0; i < 3; i++) {
    const { site, page } = await visit(await newContext(), server, 'team-site')
    await expect(site.locator('h1')).toHaveText('Hello, world.', { timeout: 20_000 })
    await page.close()
  }

  // Bob opening the studio again is refused: the name is not his to host.
  const again = await bobContext.newPage()
  await again.goto(`${server.url}/host/team-site`)
  await expect(again.getByTestId('host-error')).toContainText('Cannot serve team-site', { timeout: 20_000 })

  // The room signaling refuses tickets Bob's own key signs, for the old epoch and the new one; Cy's is let in.
  const ticketOutcome = (page: Page, epoch: number) => page.evaluate(async (epoch) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('peerserver-author-key')
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    const pair = await new Promise<CryptoKeyPair>((resolve) => {
      const read = db.transaction('keys').objectStore('keys').get('author')
      read.onsuccess = () => resolve(read.result as CryptoKeyPair)
    })
    const b64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const key = b64(await crypto.subtle.exportKey('spki', pair.publicKey))
    const sig = b64(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(`peerserver room team-site ${epoch}`)))
    const query = new URLSearchParams({ site: 'team-site', epoch: String(epoch), key, sig })
    return new Promise<string>((resolve) => {
      const socket = new WebSocket(`${location.origin.replace('http', 'ws')}/_ps/yjs?${query}`)
      socket.onopen = () => {
        socket.close()
        resolve('opened')
      }
      socket.onerror = () => resolve('refused')
    })
  }, epoch)
  expect([await ticketOutcome(again, 0), await ticketOutcome(again, 1)]).toEqual(['refused', 'refused'])
  expect([await ticketOutcome(cy, 0), await ticketOutcome(cy, 1)]).toEqual(['refused', 'opened'])
})

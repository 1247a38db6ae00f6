import { resolve } from 'node:path'
import type { Frame, Page } from '@playwright/test'
import { test, expect, openHost, visit, uploadFolder } from './fixtures'

// Issue 15, part 1: cookies as a browser keeps them. Plain cookies live in the browser's own jar, both
// ways; HttpOnly ones stay with the host, bound to a key the visitor's browser cannot hand over.

/** Everything the site's script can read of its origin's storage, as JSON (a CryptoKey, which cannot leave the browser, reads as {}). */
async function readAllStorage(frame: Frame) {
  return frame.evaluate(async () => {
    const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v)) ?? 'null')
    const local = Object.fromEntries(Object.entries(localStorage))
    const session = Object.fromEntries(Object.entries(sessionStorage))
    const databases = []
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue
      const db = await new Promise<IDBDatabase>((done, fail) => {
        const request = indexedDB.open(name)
        request.onsuccess = () => done(request.result)
        request.onerror = () => fail(request.error)
      })
      const stores = []
      for (const storeName of Array.from(db.objectStoreNames)) {
        const store = db.transaction(storeName).objectStore(storeName)
        const read = <T>(request: IDBRequest<T>) => new Promise<T>(done => (request.onsuccess = () => done(request.result)))
        const [keys, values] = await Promise.all([read(store.getAllKeys()), read(store.getAll())])
        stores.push({ name: storeName, keyPath: store.keyPath, autoIncrement: store.autoIncrement, keys: plain(keys), values: plain(values) })
      }
      db.close()
      databases.push({ name, stores })
    }
    const caches = []
    for (const name of await globalThis.caches.keys()) {
      const cache = await globalThis.caches.open(name)
      for (const request of await cache.keys()) caches.push({ name, url: request.url, body: await (await cache.match(request))?.text() })
    }
    return { cookie: document.cookie, local, session, databases, caches }
  })
}

type Storage = Awaited<ReturnType<typeof readAllStorage>>

/** Put a copy of another browser's storage into this one, as an attacker who read it all would. */
async function replayStorage(frame: Frame, copy: Storage): Promise<void> {
  await frame.evaluate(async (copy) => {
    for (const [key, value] of Object.entries(copy.local)) localStorage.setItem(key, value)
    for (const [key, value] of Object.entries(copy.session)) sessionStorage.setItem(key, value)
    for (const pair of copy.cookie.split('; ').filter(Boolean)) document.cookie = `${pair}; path=/`
    for (const { name, stores } of copy.databases) {
      await new Promise(done => (indexedDB.deleteDatabase(name).onsuccess = done))
      const db = await new Promise<IDBDatabase>((done) => {
        const request = indexedDB.open(name, 1)
        request.onupgradeneeded = () => stores.forEach(store => request.result.createObjectStore(store.name, { keyPath: store.keyPath as string | null, autoIncrement: store.autoIncrement }))
        request.onsuccess = () => done(request.result)
      })
      for (const store of stores) {
        const tx = db.transaction(store.name, 'readwrite')
        const values = store.values as unknown[]
        ;(store.keys as IDBValidKey[]).forEach((key, i) => (store.keyPath === null ? tx.objectStore(store.name).put(values[i], key) : tx.objectStore(store.name).put(values[i])))
        await new Promise(done => (tx.oncomplete = done))
      }
      db.close()
    }
  }, copy)
}

async function siteFrame(page: Page): Promise<Frame> {
  await expect(page.frameLocator('#ps-site').locator('h1')).toHaveText('Cookies', { timeout: 20_000 })
  const frame = page.frames().find(f => f !== page.mainFrame())
  if (!frame) throw new Error('no site frame')
  return frame
}

const getJson = (frame: Frame, url: string) => frame.evaluate(async url => (await fetch(url)).json() as Promise<Record<string, unknown>>, url)

test('cookies as a browser keeps them: document.cookie both ways; the HttpOnly session nowhere the site\'s script can read; a copy of all its storage is not logged in', async ({ server, newContext }) => {
  const host = await openHost(await newContext(), server, 'cookie-site')
  await uploadFolder(host, resolve('tests/fixtures/sites/cookies'), 'routes/me.get.js')

  const visitor = await visit(await newContext(), server, 'cookie-site')
  const frame = await siteFrame(visitor.page)
  // A handler's cookie is in the page's document.cookie...
  await frame.evaluate(async () => (await fetch('/flavour')).text())
  expect(await frame.evaluate(() => document.cookie)).toContain('flavour=oat')
  // ...and the page's own cookies reach the handlers, with the handler's.
  await frame.evaluate(() => { document.cookie = 'fromjs=1; path=/' })
  expect(await getJson(frame, '/echo')).toMatchObject({ flavour: 'oat', fromjs: '1' })

  // Logged in behind an HttpOnly cookie: the handlers see it, the page's script finds it nowhere.
  const { id } = await getJson(frame, '/login')
  expect(id).toMatch(/\w{8,}/)
  expect(await getJson(frame, '/me')).toEqual({ user: 'ada', id })
  const copy = await readAllStorage(frame)
  expect(copy.databases.map(db => db.name)).toContain('peerserver-visitor-key')
  expect(JSON.stringify(copy)).not.toContain(String(id))
  expect(Object.keys(await getJson(frame, '/echo'))).toEqual(expect.arrayContaining(['flavour', 'fromjs']))

  // Every bit of that storage, replayed in a fresh browser: not logged in.
  const thief = await visit(await newContext(), server, 'cookie-site')
  await replayStorage(await siteFrame(thief.page), copy)
  await thief.page.reload()
  const thiefFrame = await siteFrame(thief.page)
  expect(await thiefFrame.evaluate(() => document.cookie)).toContain('flavour=oat')
  expect(await getJson(thiefFrame, '/me')).toMatchObject({ user: null })
  expect((await getJson(thiefFrame, '/me')).id).not.toBe(id)

  // The visitor itself stays logged in across a reload: nothing lost.
  await visitor.page.reload()
  expect(await getJson(await siteFrame(visitor.page), '/me')).toEqual({ user: 'ada', id })
})

import { VISITOR_DATABASE } from '../shared/storage-keys'
import { CookieJar, type StoredCookie } from './cookie-jar'

const STORE = 'kv'
const KEY = 'cookies'

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(VISITOR_DATABASE, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('cannot open IndexedDB'))
  })
}

function isStoredCookie(value: unknown): value is StoredCookie {
  if (typeof value !== 'object' || value === null) return false
  const c: Record<string, unknown> = { ...value }
  return typeof c.name === 'string' && typeof c.value === 'string' && typeof c.path === 'string'
    && (c.expires === null || typeof c.expires === 'number') && typeof c.httpOnly === 'boolean'
}

/** Load the site's cookie jar from IndexedDB (an empty jar when there is none or it is unreadable). */
export async function loadJar(): Promise<CookieJar> {
  try {
    const db = await openDb()
    const stored = await new Promise<unknown>((resolve, reject) => {
      const request = db.transaction(STORE).objectStore(STORE).get(KEY)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error ?? new Error('cannot read cookies'))
    })
    db.close()
    return new CookieJar(Array.isArray(stored) ? stored.filter(isStoredCookie) : [])
  }
  catch (error) {
    console.warn('[sw] starting with no cookies:', error)
    return new CookieJar()
  }
}

/** Persist the jar, so a visitor stays logged in across reloads and worker restarts. */
export async function saveJar(jar: CookieJar): Promise<void> {
  const db = await openDb()
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite')
    tx.objectStore(STORE).put(jar.toJSON(), KEY)
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error ?? new Error('cannot save cookies'))
  })
  db.close()
}

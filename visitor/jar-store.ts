import { VISITOR_DATABASE } from '../shared/storage-keys'

/**
 * Drop the cookie jar a service worker of an older PeerServer kept in this
 * origin's IndexedDB: it held the site's HttpOnly cookies where the site's own
 * script could read them. Those now stay with the host
 * (lib/host/visitor-cookies.ts), the others in the browser's own jar.
 */
export async function forgetOldJar(): Promise<void> {
  const names = (await indexedDB.databases?.())?.map(db => db.name) ?? [VISITOR_DATABASE]
  if (!names.includes(VISITOR_DATABASE)) return
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(VISITOR_DATABASE)
    request.onsuccess = () => resolve()
    request.onerror = () => resolve()
    request.onblocked = () => resolve()
  })
}

import { VISITOR_KEY_DATABASE } from '../shared/storage-keys'
import { VISITOR_HELLO_PATH, visitorProof } from '../shared/protocol/visitor'
import { indexedDbKeyStore, loadAuthorKey, memoryKeyStore, type AuthorKey } from '../lib/studio/author-key'
import type { TunnelClient } from '../lib/tunnel/client'

/** How long a hello may take before the shell serves the visitor without one (its HttpOnly cookies then last for this connection). */
export const HELLO_TIMEOUT_MS = 5_000

let key: Promise<AuthorKey> | undefined

/**
 * This visitor's key: one ECDSA P-256 pair per browser and site origin, made
 * once, the private half non-extractable (the same kind as an author's). The
 * site's script can use it where it is, never take it away: a copy of the
 * origin's storage elsewhere is a different visitor. Without IndexedDB (a
 * private window), a key for this page's life.
 */
export function visitorKey(): Promise<AuthorKey> {
  key ??= loadAuthorKey(indexedDbKeyStore(VISITOR_KEY_DATABASE)).catch((error: unknown) => {
    console.warn('[shell] no lasting visitor key, cookies last for this page:', error)
    return loadAuthorKey(memoryKeyStore())
  })
  return key
}

/** Say hello on a new tunnel: prove this visitor's key for `session`, so the host brings back its cookies. False when the host did not take it. */
export async function sayHello(client: TunnelClient, site: string, session: string): Promise<boolean> {
  const visitor = await visitorKey()
  const body = new TextEncoder().encode(JSON.stringify({ key: visitor.publicKey, signature: await visitor.sign(visitorProof(site, session)) }))
  const response = await client.request({ method: 'POST', url: VISITOR_HELLO_PATH, headers: [['content-type', 'application/json']] }, body)
  await response.body.cancel()
  return response.head.status === 204
}

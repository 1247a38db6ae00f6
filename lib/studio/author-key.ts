import { AUTHOR_KEY_DATABASE } from '../../shared/storage-keys'
import { base64UrlEncode } from '../vserver/crypto'

/** This browser's author key: the public half to show the server, and signing with the private half, which never leaves. */
export interface AuthorKey {
  /** The SPKI of the public key, base64url (`AuthorKeySchema`). */
  publicKey: string
  /** An ECDSA P-256 / SHA-256 signature of `text` (IEEE P1363), base64url. */
  sign(text: string): Promise<string>
}

/** Where the key pair is kept (IndexedDB in the browser; a variable in tests). */
export interface KeyPairStore {
  /** The pair kept, or else keep `fresh` and return it: one atomic step, so two tabs never end with two keys. */
  keepFirst(fresh: CryptoKeyPair): Promise<CryptoKeyPair>
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const

/**
 * This browser's author key: made once (the private key non-extractable:
 * the site's code, an extension's page script or a copy of the storage can
 * use it only where it is, never take it away) and kept in `store`.
 */
export async function loadAuthorKey(store: KeyPairStore, subtle: SubtleCrypto = crypto.subtle): Promise<AuthorKey> {
  const fresh = await subtle.generateKey(ALGORITHM, false, ['sign', 'verify'])
  const pair = await store.keepFirst(fresh)
  const publicKey = base64UrlEncode(new Uint8Array(await subtle.exportKey('spki', pair.publicKey)))
  return {
    publicKey,
    sign: async text => base64UrlEncode(new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(text)))),
  }
}

/** A key pair store in memory (tests, or a browser without IndexedDB: the key lasts as long as the page). */
export function memoryKeyStore(): KeyPairStore {
  let kept: CryptoKeyPair | null = null
  return { keepFirst: async fresh => (kept ??= fresh) }
}

/** The key pair store in this origin's IndexedDB (CryptoKeys are stored as they are, still non-extractable). */
export function indexedDbKeyStore(name = AUTHOR_KEY_DATABASE): KeyPairStore {
  const open = () => new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1)
    request.onupgradeneeded = () => request.result.createObjectStore('keys')
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error(`IndexedDB ${name} did not open`))
  })
  return {
    async keepFirst(fresh) {
      const db = await open()
      try {
        return await new Promise<CryptoKeyPair>((resolve, reject) => {
          // One readwrite transaction: tabs that race each make a pair, the first one written wins for all.
          const tx = db.transaction('keys', 'readwrite')
          const keys = tx.objectStore('keys')
          let result: CryptoKeyPair = fresh
          const read = keys.get('author')
          read.onsuccess = () => {
            const stored: unknown = read.result
            if (isKeyPair(stored)) result = stored
            else keys.put(fresh, 'author')
          }
          tx.oncomplete = () => resolve(result)
          tx.onerror = () => reject(tx.error ?? new Error('the author key could not be kept'))
        })
      }
      finally {
        db.close()
      }
    },
  }
}

function isKeyPair(value: unknown): value is CryptoKeyPair {
  return typeof value === 'object' && value !== null && Reflect.get(value, 'privateKey') instanceof CryptoKey && Reflect.get(value, 'publicKey') instanceof CryptoKey
}

let browserKey: Promise<AuthorKey> | undefined

/** This browser's author key, loaded once per page. */
export function browserAuthorKey(): Promise<AuthorKey> {
  browserKey ??= loadAuthorKey(indexedDbKeyStore()).catch((error: unknown) => {
    browserKey = undefined
    throw error
  })
  return browserKey
}

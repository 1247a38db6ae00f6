import type { TemplateFile } from '../../../shared/protocol/api'

/** The part of unstorage's `Storage` the loader reads (Nitro's `useStorage('assets:templates')` fits). */
export interface TemplateStore {
  getKeys(base?: string): Promise<string[]>
  getItemRaw(key: string): Promise<unknown>
}

/** A file of a template folder, path relative to `templates/<id>/`. */
export interface RawTemplateFile {
  path: string
  bytes: Uint8Array
}

// Never shown as text, even when the bytes happen to be valid UTF-8.
const BINARY_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'ico', 'bmp', 'woff', 'woff2', 'ttf', 'otf', 'pdf', 'zip', 'mp3', 'mp4', 'ogg', 'wav', 'webm'])
const utf8 = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

/**
 * Split a storage key (`blog:routes:posts:[id].get.js`: unstorage turns `/`
 * into `:`) into the template id and the path inside its folder. Keys with a
 * hidden segment (`.DS_Store`, `.git`) are not part of a template: null.
 */
export function splitTemplateKey(key: string): { id: string, path: string } | null {
  const [id = '', ...rest] = key.split(':')
  if (!id || !rest.length || [id, ...rest].some(segment => segment.startsWith('.'))) return null
  return { id, path: rest.join('/') }
}

/**
 * The bytes of a stored file. Drivers differ: the fs driver gives a Buffer,
 * Nitro's bundled assets a string for text types and a Uint8Array otherwise.
 */
export async function readTemplateBytes(store: TemplateStore, key: string): Promise<Uint8Array> {
  const raw = await store.getItemRaw(key)
  if (typeof raw === 'string') return encoder.encode(raw)
  if (raw instanceof Uint8Array) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw)
  throw new Error(`cannot read ${key}: the store gave ${raw === null ? 'nothing' : typeof raw}`)
}

/** Text as UTF-8, anything else (images, fonts, invalid UTF-8) as base64. */
export function toTemplateFile(path: string, bytes: Uint8Array): TemplateFile {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase()
  if (!BINARY_EXTENSIONS.has(extension) && !bytes.includes(0)) {
    const text = decodeUtf8(bytes)
    if (text !== null) return { path, encoding: 'utf8', content: text }
  }
  return { path, encoding: 'base64', content: Buffer.from(bytes).toString('base64') }
}

/** The text of valid UTF-8 (without a BOM), or null when the bytes are not. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes)
  }
  catch (error) {
    if (error instanceof TypeError) return null
    throw error
  }
}

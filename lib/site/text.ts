import type * as Y from 'yjs'

/** Extensions whose files are kept as collaborative text (Y.Text) when their bytes are valid UTF-8. */
export const TEXT_EXTENSIONS: ReadonlySet<string> = new Set([
  'html', 'htm', 'css', 'js', 'mjs', 'cjs', 'ts', 'json', 'mustache', 'md', 'txt', 'svg', 'xml',
  'csv', 'map', 'vue', 'yml', 'yaml', 'webmanifest',
])

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * Whether a path names a text type: one of `TEXT_EXTENSIONS`, or no extension
 * at all (`README`, `.gitignore`: a leading dot starts a name, not an extension).
 */
export function isTextPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  if (dot <= 0) return true
  return TEXT_EXTENSIONS.has(name.slice(dot + 1).toLowerCase())
}

/** The bytes as a string when the path is a text type and the bytes are valid UTF-8; null otherwise. */
export function decodeText(path: string, bytes: Uint8Array): string | null {
  if (!isTextPath(path)) return null
  try {
    return strictDecoder.decode(bytes)
  }
  catch (error) {
    // Invalid UTF-8 (a Latin-1 page, a binary named .txt): kept byte for byte instead.
    if (error instanceof TypeError) return null
    throw error
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xD800 && code <= 0xDBFF
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xDC00 && code <= 0xDFFF
}

/** The one replaced span between two strings: common prefix and suffix kept, never splitting a surrogate pair. */
export function diffSpan(before: string, after: string): { start: number, deleteCount: number, insert: string } {
  const limit = Math.min(before.length, after.length)
  let prefix = 0
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--
  let suffix = 0
  while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--
  return { start: prefix, deleteCount: before.length - prefix - suffix, insert: after.slice(prefix, after.length - suffix) }
}

/**
 * Make `text` read `next` with one delete and one insert around the changed
 * span, so remote cursors and concurrent edits elsewhere survive a save.
 * Returns false (and touches nothing) when the text already reads `next`.
 */
export function applyMinimalEdit(text: Y.Text, next: string): boolean {
  const current = text.toString()
  if (current === next) return false
  const { start, deleteCount, insert } = diffSpan(current, next)
  const apply = () => {
    if (deleteCount > 0) text.delete(start, deleteCount)
    if (insert) text.insert(start, insert)
  }
  if (text.doc) text.doc.transact(apply)
  else apply()
  return true
}

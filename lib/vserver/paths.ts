import { VServerError } from './types'

/**
 * A site-relative file path, normalised: no leading slash, no empty, `.`
 * or `..` segments, no backslash or NUL. Anything else is refused (400).
 */
export function normalizeSitePath(path: string): string {
  const trimmed = path.replace(/^\/+/, '')
  if (!trimmed) throw new VServerError(400, 'a file path is empty')
  if (/[\\\0]/.test(trimmed)) throw new VServerError(400, `a file path may not contain a backslash or NUL: ${JSON.stringify(path)}`)
  const segments = trimmed.split('/')
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') throw new VServerError(400, `a file path may not contain empty, "." or ".." segments: ${JSON.stringify(path)}`)
  }
  return segments.join('/')
}

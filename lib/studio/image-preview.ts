import { contentType } from '../vserver/mime'
import { bytesToBase64 } from '../vserver/crypto'

/**
 * The address the studio previews an author's picture from: a data: URL,
 * never a blob: URL of the studio's origin. An SVG (or HTML named .png)
 * opened from a studio blob URL in a tab of its own would run its scripts on
 * the studio's origin; a data: URL shows inert in an <img>, and browsers
 * refuse to open one as a page.
 */
export function imagePreviewUrl(path: string, bytes: Uint8Array): string {
  const type = contentType(path).split(';')[0] ?? 'application/octet-stream'
  return `data:${type.startsWith('image/') ? type : 'application/octet-stream'};base64,${bytesToBase64(bytes)}`
}

import { describe, expect, it } from 'vitest'
import { imagePreviewUrl } from '../../../../lib/studio/image-preview'

describe('image previews', () => {
  it.each([
    ['public/cat.png', 'data:image/png;base64,'],
    ['public/logo.svg', 'data:image/svg+xml;base64,'],
    ['public/page.html.png', 'data:image/png;base64,'],
    ['public/notes.bin', 'data:application/octet-stream;base64,'],
  ])('%s is previewed from a data: URL (%s…), never a studio blob: URL', (path, prefix) => {
    const url = imagePreviewUrl(path, new TextEncoder().encode('<svg onload="alert(1)"/>'))
    expect(url.startsWith(prefix)).toBe(true)
    expect(atob(url.slice(prefix.length))).toBe('<svg onload="alert(1)"/>')
  })
})

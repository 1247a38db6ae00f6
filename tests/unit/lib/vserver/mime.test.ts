import { describe, expect, it } from 'vitest'
import { contentType, isTextType } from '../../../../lib/vserver/mime'

describe('contentType', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'], ['old.htm', 'text/html; charset=utf-8'],
    ['a/site.CSS', 'text/css; charset=utf-8'], ['app.js', 'text/javascript; charset=utf-8'],
    ['app.mjs', 'text/javascript; charset=utf-8'], ['data.json', 'application/json; charset=utf-8'],
    ['app.js.map', 'application/json; charset=utf-8'], ['notes.txt', 'text/plain; charset=utf-8'],
    ['README.md', 'text/markdown; charset=utf-8'], ['table.csv', 'text/csv; charset=utf-8'],
    ['feed.xml', 'application/xml; charset=utf-8'], ['logo.svg', 'image/svg+xml; charset=utf-8'],
    ['site.webmanifest', 'application/manifest+json; charset=utf-8'], ['views/post.mustache', 'text/plain; charset=utf-8'],
    ['cat.png', 'image/png'], ['photo.jpg', 'image/jpeg'], ['photo.JPEG', 'image/jpeg'], ['anim.gif', 'image/gif'],
    ['pic.webp', 'image/webp'], ['pic.avif', 'image/avif'], ['favicon.ico', 'image/x-icon'],
    ['font.woff', 'font/woff'], ['font.woff2', 'font/woff2'], ['font.ttf', 'font/ttf'],
    ['song.mp3', 'audio/mpeg'], ['clip.mp4', 'video/mp4'], ['clip.webm', 'video/webm'], ['sound.ogg', 'audio/ogg'],
    ['sound.wav', 'audio/wav'], ['paper.pdf', 'application/pdf'], ['mod.wasm', 'application/wasm'], ['site.zip', 'application/zip'],
  ])('%s is %s', (path, type) => expect(contentType(path)).toBe(type))

  it.each(['noext', '.hidden', 'public/.env', 'dir.d/file', 'file.', 'blob.bin', 'x.constructor', 'x.__proto__', 'x.toString'])(
    '%s is application/octet-stream',
    path => expect(contentType(path)).toBe('application/octet-stream'),
  )
})

describe('isTextType', () => {
  it.each([
    ['text/html', true], ['application/json', true], ['application/ld+json', true], ['image/svg+xml', true],
    ['Text/Plain; charset=latin1', true], ['application/jsonx', false], ['image/png', false], ['application/octet-stream', false],
  ])('%s → %s', (type, text) => expect(isTextType(type)).toBe(text))
})

import { describe, expect, it } from 'vitest'
import { isImagePath, isServerModule, languageFor } from '../../../../lib/studio/languages'

describe('languageFor', () => {
  it.each([
    ['public/index.html', 'html'],
    ['public/css/site.css', 'css'],
    ['routes/posts/[id].get.js', 'javascript'],
    ['lib/db.mjs', 'javascript'],
    ['views/post.mustache', 'handlebars'],
    ['public/data.JSON', 'json'],
    ['public/logo.svg', 'xml'],
    ['README.md', 'markdown'],
    ['public/.htaccess', 'plaintext'],
    ['Makefile', 'plaintext'],
    ['public/archive.tar.gz', 'plaintext'],
  ])('%s → %s', (path, language) => {
    expect(languageFor(path)).toBe(language)
  })
})

describe('file kinds', () => {
  it('knows pictures by extension', () => {
    expect(['a.png', 'b/c.JPG', 'd.svg', 'e.webp'].map(isImagePath)).toEqual([true, true, true, true])
    expect(['a.pngx', 'png', 'a.html'].map(isImagePath)).toEqual([false, false, false])
  })

  it('gives helper types to route and lib modules only', () => {
    expect(['routes/index.js', 'routes/api/login.post.js', 'lib/util.mjs'].map(isServerModule)).toEqual([true, true, true])
    expect(['public/app.js', 'views/x.mustache', 'routes/readme.md'].map(isServerModule)).toEqual([false, false, false])
  })
})

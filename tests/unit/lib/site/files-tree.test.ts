import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { YjsFileStore } from '../../../../lib/site'

async function siteWith(paths: string[]) {
  const files = new YjsFileStore(new Y.Doc(), { now: () => 5 })
  for (const path of paths) await files.write(path, `content of ${path}`)
  return files
}

describe('YjsFileStore folders', () => {
  it('lists explicit empty folders and every parent of a file, sorted', async () => {
    const files = await siteWith(['public/css/a.css', 'routes/api/x.js'])
    files.addFolder('public/img/icons')
    expect(files.folders()).toEqual(['public', 'public/css', 'public/img', 'public/img/icons', 'routes', 'routes/api'])
  })

  it('adds a folder once, and refuses one where a file is (409)', async () => {
    const files = await siteWith(['public/a.txt'])
    files.addFolder('public')
    expect(files.doc.getMap('folders').size).toBe(0)
    expect(() => files.addFolder('public/a.txt')).toThrow(expect.objectContaining({ status: 409 }))
    expect(() => files.addFolder('public/a.txt/b')).toThrow(expect.objectContaining({ status: 409 }))
    expect(() => files.addFolder('../up')).toThrow(expect.objectContaining({ status: 400 }))
  })
})

describe('YjsFileStore.rename', () => {
  it('moves a file with its content, kind and mtime', async () => {
    const files = await siteWith(['public/a.html'])
    await files.write('public/logo.png', new Uint8Array([1, 2]))
    files.rename('public/a.html', 'public/pages/b.html')
    files.rename('public/logo.png', 'public/img/logo.png')
    expect(await files.stat('public/a.html')).toBeNull()
    expect(files.readText('public/pages/b.html')).toBe('content of public/a.html')
    expect(await files.read('public/img/logo.png')).toEqual(new Uint8Array([1, 2]))
    expect((await files.stat('public/pages/b.html'))?.mtime).toBe(5)
  })

  it('moves a folder: every file under it and its empty folders, in one transaction', async () => {
    const files = await siteWith(['public/blog/a.md', 'public/blog/2024/b.md', 'public/blogger.txt'])
    files.addFolder('public/blog/drafts')
    let transactions = 0
    files.doc.on('afterTransaction', () => transactions++)
    files.rename('public/blog', 'public/news')
    expect(transactions).toBe(1)
    expect((await files.list()).map(e => e.path)).toEqual(['public/blogger.txt', 'public/news/2024/b.md', 'public/news/a.md'])
    expect(files.folders()).toEqual(['public', 'public/news', 'public/news/2024', 'public/news/drafts'])
    expect(files.readText('public/news/a.md')).toBe('content of public/blog/a.md')
  })

  it('moves an empty folder', async () => {
    const files = await siteWith([])
    files.addFolder('public/empty')
    files.rename('public/empty', 'public/full')
    expect(files.folders()).toEqual(['public', 'public/full'])
  })

  it.each([
    ['public/a.txt', 'public/b.txt', 409, 'public/b.txt already exists'],
    ['public/a.txt', 'public/dir', 409, 'public/dir already exists'],
    ['public/dir', 'public/a.txt', 409, 'public/a.txt already exists'],
    ['public/missing.txt', 'public/c.txt', 404, 'public/missing.txt does not exist'],
    ['public/dir', 'public/dir/inner', 400, 'public/dir cannot move into itself (public/dir/inner)'],
    ['public/a.txt', 'public/b.txt/c.txt', 409, 'public/b.txt is a file, so it cannot hold public/b.txt/c.txt'],
    ['public/a.txt', '../x', 400, expect.stringMatching(/file path/)],
  ])('refuses %s → %s with %i', async (from, to, status, message) => {
    const files = await siteWith(['public/a.txt', 'public/b.txt', 'public/dir/x.txt'])
    const before = Y.encodeStateAsUpdate(files.doc)
    expect(() => files.rename(from, to)).toThrow(expect.objectContaining({ status, message }))
    expect(Y.encodeStateAsUpdate(files.doc)).toEqual(before)
  })
})

describe('YjsFileStore.remove', () => {
  it('removes a file, or a folder with its files and empty folders, and says how many files went', async () => {
    const files = await siteWith(['public/a.txt', 'public/dir/b.txt', 'public/dir/sub/c.txt', 'public/dirt.txt'])
    files.addFolder('public/dir/empty')
    expect(files.remove('public/a.txt')).toBe(1)
    expect(files.remove('public/dir')).toBe(2)
    expect(files.remove('public/nothing')).toBe(0)
    expect((await files.list()).map(e => e.path)).toEqual(['public/dirt.txt'])
    expect(files.folders()).toEqual(['public'])
  })

  it('removes an empty folder (0 files)', async () => {
    const files = await siteWith([])
    files.addFolder('lib/util')
    expect(files.remove('lib')).toBe(0)
    expect(files.folders()).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { contentEtag } from '../../../../lib/vserver/memory-files'
import { VServerError } from '../../../../lib/vserver/types'
import { MAX_FILE_BYTES, YjsFileStore } from '../../../../lib/site'
import { utf8 } from './helpers'

function store(now: () => number = () => 1_700_000_000_000) {
  const doc = new Y.Doc()
  return { doc, files: new YjsFileStore(doc, { now }) }
}

describe('YjsFileStore as a FileStore', () => {
  it('writes, stats, reads, lists and deletes', async () => {
    const { files } = store()
    const entry = await files.write('public/a.txt', 'foobar')
    expect(entry).toEqual({ path: 'public/a.txt', size: 6, etag: '"6-85944171f73967e8"', mtime: 1_700_000_000_000 })
    expect(await files.stat('public/a.txt')).toEqual(entry)
    expect(await files.read('public/a.txt')).toEqual(utf8('foobar'))
    await files.write('routes/x.js', 'export default 1')
    await files.write('public/0.png', new Uint8Array([0x89, 0x50]))
    expect((await files.list()).map(e => e.path)).toEqual(['public/0.png', 'public/a.txt', 'routes/x.js'])
    expect((await files.list('public/')).map(e => e.path)).toEqual(['public/0.png', 'public/a.txt'])
    expect(await files.delete('public/a.txt')).toBe(true)
    expect(await files.delete('public/a.txt')).toBe(false)
    expect(await files.stat('public/a.txt')).toBeNull()
    expect(await files.read('public/a.txt')).toBeNull()
  })

  it('views a file without a copy; a later write leaves an earlier view as it was', async () => {
    const { files } = store()
    await files.write('public/a.bin', new Uint8Array([1, 2, 3]))
    const first = await files.view('public/a.bin')
    expect(first).toEqual(new Uint8Array([1, 2, 3]))
    expect(await files.view('public/a.bin')).toBe(first)
    expect(await files.read('public/a.bin')).not.toBe(first)
    await files.write('public/a.bin', new Uint8Array([4, 5]))
    expect(await files.view('public/a.bin')).toEqual(new Uint8Array([4, 5]))
    expect(first).toEqual(new Uint8Array([1, 2, 3]))
    expect(await files.view('public/none.bin')).toBeNull()
  })

  it.each(['../x', 'a/../b', 'a//b', 'a/', 'a\\b', '', './a', 'nul\0', '/abs'])('refuses the path %j with a 400', async (path) => {
    const { files } = store()
    for (const attempt of [files.write(path, 'x'), files.stat(path), files.read(path), files.delete(path)]) {
      await expect(attempt).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/file path/) })
    }
  })

  it('keeps the etag while the content stays, and changes it with the content', async () => {
    const { files } = store()
    const first = await files.write('public/a.css', 'a{}')
    expect(first.etag).toBe(contentEtag(utf8('a{}')))
    expect((await files.stat('public/a.css'))?.etag).toBe(first.etag)
    const changed = await files.write('public/a.css', 'b{}')
    expect(changed.etag).not.toBe(first.etag)
    expect((await files.stat('public/a.css'))?.etag).toBe(contentEtag(utf8('b{}')))
  })

  it('serves the saved version while the draft (an editor binding) changes, and the draft once saved', async () => {
    let clock = 1_000
    const { files } = store(() => clock)
    const before = await files.write('public/index.html', '<p>hi</p>')
    expect(files.isDirty('public/index.html')).toBe(false)
    clock = 3_000
    files.text('public/index.html')?.insert(3, 'oh ')
    expect(files.readText('public/index.html')).toBe('<p>oh hi</p>')
    expect(await files.read('public/index.html')).toEqual(utf8('<p>hi</p>'))
    expect(await files.stat('public/index.html')).toEqual(before)
    expect(files.isDirty('public/index.html')).toBe(true)
    expect(files.dirtyPaths()).toEqual(['public/index.html'])

    clock = 4_000
    expect(files.save('public/index.html')).toBe(true)
    const after = await files.stat('public/index.html')
    expect(after?.etag).toBe(contentEtag(utf8('<p>oh hi</p>')))
    expect(after?.mtime).toBe(4_000)
    expect(files.isDirty('public/index.html')).toBe(false)
    expect(files.save('public/index.html')).toBe(false)
  })

  it('refuses to save what is not a text file', async () => {
    const { files } = store()
    await files.write('public/logo.png', new Uint8Array([137, 80]))
    expect(() => files.save('public/logo.png')).toThrow(/no text file public\/logo.png/)
    expect(() => files.save('public/missing.html')).toThrow(/no text file/)
  })

  it('write sets draft and saved alike, and a rename keeps an unsaved draft unsaved', async () => {
    const { files } = store()
    await files.write('public/a.html', 'one')
    files.text('public/a.html')?.insert(3, ' two')
    await files.write('public/b.html', 'x')
    files.rename('public/a.html', 'public/c.html')
    expect(files.readText('public/c.html')).toBe('one two')
    expect(await files.read('public/c.html')).toEqual(utf8('one'))
    expect(files.isDirty('public/c.html')).toBe(true)
    await files.write('public/c.html', 'three')
    expect(files.isDirty('public/c.html')).toBe(false)
    expect(await files.read('public/c.html')).toEqual(utf8('three'))
  })

  it.each([
    ['public/index.html', '<h1>x</h1>', true],
    ['public/app.MJS', 'export {}', true],
    ['.gitignore', 'node_modules', true],
    ['README', '# hi', true],
    ['views/page.mustache', '{{x}}', true],
    ['public/site.webmanifest', '{}', true],
    ['public/logo.png', 'not really', false],
    ['public/font.woff2', 'abc', false],
  ])('stores %s as text: %s', async (path, content, text) => {
    const { files } = store()
    await files.write(path, content)
    expect(files.isText(path)).toBe(text)
    expect(files.readText(path)).toBe(text ? content : null)
    expect(await files.read(path)).toEqual(utf8(content))
  })

  it('keeps a .html file with invalid UTF-8 as exact bytes, not text', async () => {
    const { files } = store()
    const latin1 = new Uint8Array([0x3C, 0x70, 0x3E, 0xE9, 0x3C, 0x2F, 0x70, 0x3E])
    await files.write('public/old.html', latin1)
    expect(files.isText('public/old.html')).toBe(false)
    expect(files.text('public/old.html')).toBeNull()
    expect(await files.read('public/old.html')).toEqual(latin1)
  })

  it('keeps a byte-order mark and switches kind when the content does', async () => {
    const { files } = store()
    const withBom = new Uint8Array([0xEF, 0xBB, 0xBF, 0x61])
    await files.write('a.txt', withBom)
    expect(await files.read('a.txt')).toEqual(withBom)
    await files.write('a.txt', new Uint8Array([0xFF]))
    expect(files.isText('a.txt')).toBe(false)
    await files.write('a.txt', 'back')
    expect(files.readText('a.txt')).toBe('back')
  })

  it('makes a same-content write a no-op: no update, same mtime', async () => {
    let clock = 1_000
    const { doc, files } = store(() => clock)
    await files.write('public/a.js', 'let a = 1')
    await files.write('public/b.bin', new Uint8Array([1, 2, 3]))
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    clock = 2_000
    expect((await files.write('public/a.js', 'let a = 1')).mtime).toBe(1_000)
    expect((await files.write('public/b.bin', new Uint8Array([1, 2, 3]))).mtime).toBe(1_000)
    expect(updates).toEqual([])
    expect((await files.write('public/a.js', 'let a = 2')).mtime).toBe(2_000)
    expect(updates).toHaveLength(1)
  })

  it('does not let the caller change stored bytes through its buffers', async () => {
    const { files } = store()
    const input = new Uint8Array([1, 2, 3])
    await files.write('x.bin', input)
    input[0] = 9
    const read = await files.read('x.bin')
    read?.fill(0)
    expect(await files.read('x.bin')).toEqual(new Uint8Array([1, 2, 3]))
  })

  it('refuses a file over the size limit with a 413 that names it', async () => {
    const { files } = store()
    const error: unknown = await files.write('public/big.bin', new Uint8Array(MAX_FILE_BYTES + 1)).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(VServerError)
    expect(error).toMatchObject({ status: 413, message: expect.stringMatching(/public\/big\.bin is 50\.1 MiB; a file may be at most 50 MiB/) })
    expect(await files.stat('public/big.bin')).toBeNull()
  })

  it('refuses a file where a folder is, and a file inside a file (409)', async () => {
    const { files } = store()
    await files.write('public/a/b.txt', 'x')
    await expect(files.write('public/a', 'x')).rejects.toMatchObject({ status: 409, message: 'public/a is a folder' })
    await expect(files.write('public/a/b.txt/c', 'x')).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/public\/a\/b\.txt is a file/) })
  })

  it('reads an entry a broken peer wrote as no file, and lets a write replace it', async () => {
    const { doc, files } = store()
    doc.getMap('files').set('public/odd.txt', 'not an entry map')
    expect(await files.stat('public/odd.txt')).toBeNull()
    expect(await files.list()).toEqual([])
    await files.write('public/odd.txt', 'fixed')
    expect(files.readText('public/odd.txt')).toBe('fixed')
  })
})

describe('a text entry from before drafts (no saved version)', () => {
  it('serves its text as it is edited', async () => {
    const { files } = store()
    await files.write('public/old.html', 'old')
    const entry = files.doc.getMap<Y.Map<unknown>>('files').get('public/old.html')
    entry?.delete('saved')
    expect(await files.read('public/old.html')).toEqual(utf8('old'))
    files.text('public/old.html')?.insert(3, ' and new')
    expect(await files.read('public/old.html')).toEqual(utf8('old and new'))
    expect((await files.stat('public/old.html'))?.etag).toBe(contentEtag(utf8('old and new')))
  })
})

import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { exportSiteZip, importSiteZip, openSiteDoc, type SiteDoc } from '../../../../lib/site'
import { createDatabase } from '../../../../lib/vserver/db'
import { snapshot, utf8 } from './helpers'
import { makeZip, MANIFEST } from './zip-helpers'

const PNG = new Uint8Array([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0xFE, 0x80])

async function sampleSite(): Promise<SiteDoc> {
  const site = openSiteDoc(undefined, { now: () => 1_700_000_000_000 })
  await site.files.write('public/index.html', '<h1>Héllo</h1>')
  await site.files.write('public/img/logo.png', PNG)
  await site.files.write('routes/api/posts.js', 'export default () => 1')
  site.files.addFolder('public/empty')
  const db = createDatabase(site.documents)
  await db.collection('posts').insert([{ _id: 'b', title: 'B', tags: ['x'] }, { _id: 'a', title: 'A', n: { deep: 1 } }])
  await db.collection('users').insert({ _id: 'u1', name: 'Ada' })
  site.settings.setTimeLimitSeconds(17)
  site.settings.setLiveReload(false)
  await site.sessions.set('secret-session', { user: 'u1' })
  return site
}

describe('exportSiteZip', () => {
  it('writes files, empty folders, the database, settings and the manifest, but no sessions', async () => {
    const entries = unzipSync(exportSiteZip(await sampleSite()))
    expect(Object.keys(entries).sort()).toEqual([
      '.peerserver/db/posts.json', '.peerserver/db/users.json', '.peerserver/settings.json', '.peerserver/site.json',
      'public/empty/', 'public/img/logo.png', 'public/index.html', 'routes/api/posts.js',
    ])
    expect(entries['public/img/logo.png']).toEqual(PNG)
    expect(strFromU8(entries['public/index.html'] ?? new Uint8Array())).toBe('<h1>Héllo</h1>')
    expect(JSON.parse(strFromU8(entries['.peerserver/site.json'] ?? new Uint8Array()))).toEqual({ format: 'peerserver-site', version: 1 })
    const posts = strFromU8(entries['.peerserver/db/posts.json'] ?? new Uint8Array())
    expect(posts).toContain('\n  {\n    "_id": "b"')
    expect(JSON.parse(posts)).toEqual([{ _id: 'b', title: 'B', tags: ['x'] }, { _id: 'a', title: 'A', n: { deep: 1 } }])
    expect(JSON.parse(strFromU8(entries['.peerserver/settings.json'] ?? new Uint8Array()))).toEqual({ timeLimitSeconds: 17, liveReload: false, allowedOrigins: [] })
    expect(JSON.stringify(Object.keys(entries))).not.toContain('session')
  })
})

describe('importSiteZip', () => {
  it('round-trips a site into a fresh doc', async () => {
    const original = await sampleSite()
    const copy = openSiteDoc()
    expect(importSiteZip(copy, exportSiteZip(original), { mode: 'replace' })).toEqual({ files: 3, collections: 2, documents: 3 })
    expect(await snapshot(copy)).toEqual(await snapshot(original))
    expect(copy.files.isText('public/index.html')).toBe(true)
    expect(copy.files.isText('public/img/logo.png')).toBe(false)
    expect(await copy.sessions.get('secret-session')).toBeUndefined()
  })

  it('replace: the site becomes the archive (files, folders and database)', async () => {
    const site = await sampleSite()
    const zip = makeZip({ ...MANIFEST, 'public/new.txt': 'new', 'public/index.html': '<h1>replaced</h1>', '.peerserver/db/users.json': '[{"_id":"u2"}]' })
    const text = site.files.text('public/index.html')
    importSiteZip(site, zip, { mode: 'replace' })
    expect((await site.files.list()).map(e => e.path)).toEqual(['public/index.html', 'public/new.txt'])
    expect(site.files.folders()).toEqual(['public'])
    expect(site.documents.collections()).toEqual(['users'])
    expect([...site.documents.list('users')]).toEqual([{ _id: 'u2' }])
    // A file the archive also has is edited in place: an editor bound to its Y.Text stays bound.
    expect(site.files.text('public/index.html')).toBe(text)
    expect(text?.toString()).toBe('<h1>replaced</h1>')
    expect(site.settings.timeLimitSeconds).toBe(17)
  })

  it('merge: same paths and ids are overwritten, the rest is kept', async () => {
    const site = await sampleSite()
    const zip = makeZip({ ...MANIFEST, 'public/index.html': 'v2', 'public/more.css': 'a{}', '.peerserver/db/posts.json': '[{"_id":"a","title":"A2"},{"_id":"c"}]', '.peerserver/settings.json': '{"timeLimitSeconds":60}' })
    expect(importSiteZip(site, zip, { mode: 'merge' })).toEqual({ files: 2, collections: 1, documents: 2 })
    expect((await site.files.list()).map(e => e.path)).toEqual(['public/img/logo.png', 'public/index.html', 'public/more.css', 'routes/api/posts.js'])
    expect(site.files.readText('public/index.html')).toBe('v2')
    expect(site.files.folders()).toContain('public/empty')
    expect([...site.documents.list('posts')]).toEqual([{ _id: 'b', title: 'B', tags: ['x'] }, { _id: 'a', title: 'A2' }, { _id: 'c' }])
    expect(site.documents.collections()).toEqual(['posts', 'users'])
    expect(site.settings.values()).toEqual({ timeLimitSeconds: 60, liveReload: false, allowedOrigins: [] })
  })

  it('writes everything in one transaction', async () => {
    const site = openSiteDoc()
    let transactions = 0
    site.doc.on('afterTransaction', () => transactions++)
    importSiteZip(site, exportSiteZip(await sampleSite()), { mode: 'replace' })
    expect(transactions).toBe(1)
  })
})

describe('importSiteZip of a plain folder (no manifest)', () => {
  it.each([
    ['a zipped folder of static files', { 'mysite/': null, 'mysite/index.html': 'i', 'mysite/css/a.css': 'c' }, ['public/css/a.css', 'public/index.html']],
    ['loose static files', { 'index.html': 'i', 'css/a.css': 'c' }, ['public/css/a.css', 'public/index.html']],
    ['a zipped folder laid out as a site', { 'mysite/public/index.html': 'i', 'mysite/routes/api.js': 'r' }, ['public/index.html', 'routes/api.js']],
    ['a site laid out at the top', { 'public/index.html': 'i', 'views/page.mustache': 'v', 'README.md': 'r' }, ['README.md', 'public/index.html', 'views/page.mustache']],
    ['only a routes/ folder (kept, not stripped)', { 'routes/api.js': 'r' }, ['routes/api.js']],
    ['macOS junk', { 'site/index.html': 'i', '__MACOSX/site/._index.html': 'x', 'site/.DS_Store': 'x' }, ['public/index.html']],
  ])('%s', async (_, entries, paths) => {
    const site = openSiteDoc()
    importSiteZip(site, makeZip(entries), { mode: 'replace' })
    expect((await site.files.list()).map(e => e.path)).toEqual(paths)
    expect(site.documents.collections()).toEqual([])
  })

  it('keeps empty directories as folders', () => {
    const site = openSiteDoc()
    importSiteZip(site, makeZip({ 'mysite/': null, 'mysite/img/': null, 'mysite/index.html': 'i' }), { mode: 'replace' })
    expect(site.files.folders()).toEqual(['public', 'public/img'])
  })

  it('reads an exported site that was unzipped and zipped again inside a folder', async () => {
    const site = openSiteDoc()
    const zip = makeZip({ 'backup/.peerserver/site.json': MANIFEST['.peerserver/site.json'], 'backup/.peerserver/db/t.json': '[{"_id":"1"}]', 'backup/routes/x.js': 'x' })
    expect(importSiteZip(site, zip, { mode: 'replace' })).toEqual({ files: 1, collections: 1, documents: 1 })
    expect((await site.files.list()).map(e => e.path)).toEqual(['routes/x.js'])
    expect(site.documents.get('t', '1')).toEqual({ _id: '1' })
  })

  it('keeps bytes of a text-named file that is not UTF-8', async () => {
    const site = openSiteDoc()
    importSiteZip(site, makeZip({ 'a.html': new Uint8Array([0xE9]) }), { mode: 'replace' })
    expect(await site.files.read('public/a.html')).toEqual(new Uint8Array([0xE9]))
    expect(site.files.isText('public/a.html')).toBe(false)
    expect(await site.files.read('public/a.html')).not.toEqual(utf8('é'))
  })
})

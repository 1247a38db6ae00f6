import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { exportSiteZip, importSiteZip, openSiteDoc, SiteImportError, type SiteDoc } from '../../../../lib/site'
import { snapshot } from './helpers'
import { claimSize, damage, makeZip, MANIFEST } from './zip-helpers'

const MiB = 1024 * 1024

async function siteWithContent(): Promise<SiteDoc> {
  const site = openSiteDoc(undefined, { now: () => 42 })
  await site.files.write('public/index.html', '<h1>keep me</h1>')
  await site.files.write('public/x.txt', 'x')
  site.files.addFolder('public/empty')
  site.documents.set('posts', { _id: '1', title: 'keep' })
  site.settings.setTimeLimitSeconds(9)
  return site
}

const db = (json: string) => makeZip({ ...MANIFEST, 'public/ok.txt': 'ok', '.peerserver/db/posts.json': json })

const REFUSED: Array<[string, () => Uint8Array, RegExp]> = [
  ['a text file', () => new TextEncoder().encode('hello, not a zip'), /^this file is not a zip archive/],
  ['no bytes at all', () => new Uint8Array(0), /^this file is not a zip archive/],
  ['a damaged zip', () => damage(makeZip({ 'index.html': 'x'.repeat(1000) })), /not a zip archive, or it is damaged/],
  ['an empty zip', () => makeZip({}), /^the zip archive is empty$/],
  ['an entry with ..', () => makeZip({ 'ok.txt': 'x', '../evil.txt': 'x' }), /^the zip entry "\.\.\/evil\.txt" has an invalid path/],
  ['an entry nested with ..', () => makeZip({ 'site/../../evil.txt': 'x' }), /zip entry "site\/\.\.\/\.\.\/evil\.txt" has an invalid path/],
  ['an absolute entry', () => makeZip({ '/etc/passwd': 'x' }), /zip entry "\/etc\/passwd" has an invalid path/],
  ['a drive-letter entry', () => makeZip({ 'C:/x.txt': 'x' }), /zip entry "C:\/x\.txt" has an invalid path/],
  ['a backslash entry', () => makeZip({ 'a\\..\\b.txt': 'x' }), /zip entry "a\\\\\.\.\\\\b\.txt" has an invalid path/],
  ['db that is not JSON', () => db('nope'), /^\.peerserver\/db\/posts\.json is not valid JSON/],
  ['db that is not an array', () => db('{"_id":"1"}'), /posts\.json must hold a JSON array of documents/],
  ['db item that is not an object', () => db('[1]'), /posts\.json: item 0 is not a document/],
  ['db item without _id', () => db('[{"_id":"1"},{"title":"x"}]'), /posts\.json: item 1 is not a document \(an object with a string _id\)/],
  ['db item with a numeric _id', () => db('[{"_id":5}]'), /posts\.json: item 0 is not a document/],
  ['db with a duplicate _id', () => db('[{"_id":"1"},{"_id":"1"}]'), /posts\.json: _id "1" appears twice/],
  ['db item with an operator field', () => db('[{"_id":"1","$set":1}]'), /posts\.json: item 0: field name "\$set" starts with "\$"/],
  ['db file with a bad collection name', () => makeZip({ ...MANIFEST, '.peerserver/db/bad name.json': '[]' }), /bad name\.json: a database file must be named <collection>\.json/],
  ['a manifest of another format', () => makeZip({ '.peerserver/site.json': '{"format":"other","version":1}' }), /site\.json is not a PeerServer site manifest/],
  ['a manifest of a newer version', () => makeZip({ '.peerserver/site.json': '{"format":"peerserver-site","version":2}' }), /format version 2; this PeerServer reads version 1/],
  ['invalid settings', () => makeZip({ ...MANIFEST, '.peerserver/settings.json': '{"timeLimitSeconds":500}' }), /settings\.json holds invalid settings \(timeLimitSeconds:/],
  ['an unknown .peerserver entry', () => makeZip({ ...MANIFEST, '.peerserver/plugins.json': '{}' }), /\.peerserver\/plugins\.json is not something a PeerServer site archive holds/],
  ['more than 200 MiB uncompressed', () => claimSize(makeZip({ 'big.bin': 'x' }), 201 * MiB), /more than 200 MiB uncompressed/],
  ['a file over 50 MiB', () => makeZip({ 'big.bin': new Uint8Array(50 * MiB + 1) }), /public\/big\.bin is 50\.1 MiB; a file may be at most 50 MiB/],
  ['a file where a folder must be', () => makeZip({ 'public/a': 'x', 'public/a/b.txt': 'y' }), /does not fit the site: public\/a is a file, so it cannot hold public\/a\/b\.txt/],
]

describe('importSiteZip refuses, and changes nothing', () => {
  it.each(REFUSED)('%s', async (_, build, message) => {
    const site = await siteWithContent()
    const before = await snapshot(site)
    const state = Y.encodeStateAsUpdate(site.doc)
    for (const mode of ['replace', 'merge'] as const) {
      let error: unknown
      try {
        importSiteZip(site, build(), { mode })
      }
      catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(SiteImportError)
      expect(error).toMatchObject({ name: 'SiteImportError', message: expect.stringMatching(message) })
    }
    expect(await snapshot(site)).toEqual(before)
    expect(Y.encodeStateAsUpdate(site.doc)).toEqual(state)
  })

  it('refuses, in merge mode only, an archive that clashes with the files already there', async () => {
    const site = await siteWithContent()
    const zip = makeZip({ 'public/x.txt/inner.txt': 'y' })
    const state = Y.encodeStateAsUpdate(site.doc)
    expect(() => importSiteZip(site, zip, { mode: 'merge' })).toThrow(/public\/x\.txt is a file, so it cannot hold public\/x\.txt\/inner\.txt/)
    expect(Y.encodeStateAsUpdate(site.doc)).toEqual(state)
    importSiteZip(site, zip, { mode: 'replace' })
    expect(site.files.readText('public/x.txt/inner.txt')).toBe('y')
  })

  it('still accepts its own export after a refusal', async () => {
    const site = await siteWithContent()
    expect(() => importSiteZip(site, db('[1]'), { mode: 'replace' })).toThrow(SiteImportError)
    const copy = openSiteDoc()
    importSiteZip(copy, exportSiteZip(site), { mode: 'replace' })
    expect(await snapshot(copy)).toEqual(await snapshot(site))
  })
})

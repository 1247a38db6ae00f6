import { zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { importSiteZip, MAX_IMPORT_BYTES, MAX_SITE_BYTES, openSiteDoc, readSiteZip, SiteImportError } from '../../../../lib/site'
import { checkSiteBytes, siteBytesAfterImport } from '../../../../lib/site/site-bytes'
import { snapshot } from './helpers'
import { makeZip, MANIFEST } from './zip-helpers'

const MiB = 1024 * 1024

describe('the most a site may hold', () => {
  it('is 256 MiB, room for any archive of binaries that may be imported', () => {
    expect(MAX_SITE_BYTES).toBe(256 * MiB)
    expect(MAX_SITE_BYTES).toBeGreaterThan(MAX_IMPORT_BYTES)
  })

  it('is allowed exactly, and refused one byte past', () => {
    expect(() => checkSiteBytes(MAX_SITE_BYTES)).not.toThrow()
    expect(() => checkSiteBytes(MAX_SITE_BYTES + 1)).toThrow(SiteImportError)
    expect(() => checkSiteBytes(MAX_SITE_BYTES + 1)).toThrow('the site would hold 256.1 MiB after this import (text files count twice: draft and saved version); a site may hold at most 256 MiB')
  })

  it('counts paths, a text twice, bytes once and documents as JSON; in merge mode what the site keeps too', async () => {
    const site = openSiteDoc()
    await site.files.write('public/kept.txt', 'abc')
    await site.files.write('public/a.txt', 'replaced, not counted')
    site.documents.set('notes', { _id: 'n' })
    const archive = readSiteZip(makeZip({ ...MANIFEST, 'public/a.txt': 'hé', 'public/p.png': new Uint8Array(10), '.peerserver/db/posts.json': '[{"_id":"1"}]' }))
    const fromArchive = 'public/a.txt'.length + 2 * 3 + 'public/p.png'.length + 10 + '{"_id":"1"}'.length
    expect(siteBytesAfterImport(site, archive, 'replace')).toBe(fromArchive)
    expect(siteBytesAfterImport(site, archive, 'merge')).toBe(fromArchive + 'public/kept.txt'.length + 2 * 3 + '{"_id":"n"}'.length)
  })

  it('refuses an import of text that, doubled, is past the limit, and changes nothing', async () => {
    const site = openSiteDoc()
    await site.files.write('public/index.html', 'keep')
    const before = await snapshot(site)
    const state = Y.encodeStateAsUpdate(site.doc)
    const text = new Uint8Array(43 * MiB).fill(0x78)
    // Stored, not deflated: the test is about the site, not the inflater.
    const zip = zipSync({ 'a.txt': [text, { level: 0 }], 'b.txt': [text, { level: 0 }], 'c.txt': [text, { level: 0 }] })
    expect(() => importSiteZip(site, zip, { mode: 'replace' })).toThrow(/^the site would hold 258\.1 MiB after this import .* at most 256 MiB$/)
    expect(await snapshot(site)).toEqual(before)
    expect(Y.encodeStateAsUpdate(site.doc)).toEqual(state)
  })
})

import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { importSiteZip, MAX_ZIP_ENTRIES, openSiteDoc, readSiteZip, SiteImportError } from '../../../../lib/site'
import { snapshot } from './helpers'
import { emptyEntriesZip } from './zip-helpers'

const names = (count: number, name: (i: number) => string) => Array.from({ length: count }, (_, i) => name(i))
// Half files spread over 100 folders (even i), half empty folders: both kinds of entry the layout checks.
const mixed = (count: number) => names(count, i => i % 2 === 0 ? `public/d${i % 200}/f${i}.txt` : `public/empty${i}/`)
const TOO_MANY = /^the archive holds more than 20,000 entries; a site may have at most 20,000 files and folders$/

describe('how many entries an archive may hold', () => {
  it('is 20,000', () => {
    expect(MAX_ZIP_ENTRIES).toBe(20_000)
  })

  it('imports an archive of exactly MAX_ZIP_ENTRIES entries, macOS junk not counted', () => {
    const site = openSiteDoc()
    const zip = emptyEntriesZip([...mixed(MAX_ZIP_ENTRIES), '__MACOSX/', '__MACOSX/._f0.txt', 'public/.DS_Store'])
    expect(importSiteZip(site, zip, { mode: 'replace' }).files).toBe(MAX_ZIP_ENTRIES / 2)
    expect(site.files.readText('public/d198/f19998.txt')).toBe('')
    expect(site.files.folders()).toContain('public/empty19999')
    expect(site.files.folders()).toHaveLength(1 + 100 + MAX_ZIP_ENTRIES / 2)
  })

  it.each(['replace', 'merge'] as const)('refuses one entry more and changes nothing (%s)', async (mode) => {
    const site = openSiteDoc(undefined, { now: () => 42 })
    await site.files.write('public/index.html', '<h1>keep me</h1>')
    site.files.addFolder('public/keep')
    const before = await snapshot(site)
    const state = Y.encodeStateAsUpdate(site.doc)
    const zip = emptyEntriesZip(mixed(MAX_ZIP_ENTRIES + 1))
    expect(() => importSiteZip(site, zip, { mode })).toThrow(SiteImportError)
    expect(() => importSiteZip(site, zip, { mode })).toThrow(TOO_MANY)
    expect(await snapshot(site)).toEqual(before)
    expect(Y.encodeStateAsUpdate(site.doc)).toEqual(state)
  })

  it('refuses 100,000 empty entries', () => {
    expect(() => readSiteZip(emptyEntriesZip(names(100_000, i => `e${i}/`)))).toThrow(TOO_MANY)
  })

  it('refuses them as it counts, before a single path is checked or laid out', () => {
    // Had any path been checked, the error would name the entry "../x0".
    expect(() => readSiteZip(emptyEntriesZip(names(100_000, i => `../x${i}`)))).toThrow(TOO_MANY)
  })
})

// Sizes where the former layout (every folder against every path, and a scan of the whole site for each file added) ran past Vitest's 5 s timeout.
describe('laying out a large archive takes time linear in its entries', () => {
  it('finds the empty folders among MAX_ZIP_ENTRIES directory entries', () => {
    const archive = readSiteZip(emptyEntriesZip(names(MAX_ZIP_ENTRIES, i => i < 1000 ? `public/d${i}/` : `public/d${i % 1000}/e${i}/`)))
    expect(archive.folders).toHaveLength(MAX_ZIP_ENTRIES - 1000)
    expect(archive.folders).not.toContain('public/d7')
    expect(archive.folders).toContain('public/d7/e1007')
  })

  it('imports MAX_ZIP_ENTRIES files, over a site of as many, in merge mode', () => {
    const site = openSiteDoc()
    importSiteZip(site, emptyEntriesZip(names(MAX_ZIP_ENTRIES, i => `public/a${i % 100}/f${i}.txt`)), { mode: 'replace' })
    importSiteZip(site, emptyEntriesZip(names(MAX_ZIP_ENTRIES, i => `public/b${i % 100}/f${i}.txt`)), { mode: 'merge' })
    expect(site.files.listSync()).toHaveLength(2 * MAX_ZIP_ENTRIES)
    expect(site.files.folders()).toHaveLength(201)
  })
})

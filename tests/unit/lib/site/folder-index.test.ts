import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { openSiteDoc, YjsFileStore } from '../../../../lib/site'
import { ancestors } from '../../../../lib/site/records'
import { VServerError } from '../../../../lib/vserver/types'
import { seededRandom } from '../../../helpers/tunnel-pair'
import { sitePair } from './helpers'

/** The folders as the former code found them: a scan of every key of both maps. */
function scannedFolders(doc: Y.Doc): string[] {
  const found = new Set<string>()
  for (const path of doc.getMap('files').keys()) for (const folder of ancestors(path)) found.add(folder)
  for (const path of doc.getMap('folders').keys()) for (const folder of [...ancestors(path), path]) found.add(folder)
  return [...found].sort()
}

const status = (run: () => unknown) => {
  try {
    run()
    return 'ok'
  }
  catch (error) {
    if (error instanceof VServerError) return error.status
    throw error
  }
}

describe('the folder index', () => {
  it('is exact inside a transaction, for the store\'s own changes', () => {
    const site = openSiteDoc()
    site.doc.transact(() => {
      site.files.writeSync('public/a/b.txt', 'x')
      expect(status(() => site.files.writeSync('public/a', 'file where a folder is'))).toBe(409)
      site.files.remove('public/a')
      expect(site.files.writeSync('public/a', 'now a file').path).toBe('public/a')
      site.files.rename('public/a', 'public/c')
      site.files.addFolder('public/a/empty')
      expect(site.files.folders()).toEqual(['public', 'public/a', 'public/a/empty'])
    })
  })

  it('follows a co-author\'s changes', () => {
    const { a, b } = sitePair()
    b.files.writeSync('public/x/y.txt', 'y')
    expect(status(() => a.files.writeSync('public/x', 'x'))).toBe(409)
    b.files.remove('public/x/y.txt')
    expect(a.files.folders()).toEqual([])
    expect(status(() => a.files.writeSync('public/x', 'x'))).toBe('ok')
  })

  it('starts from what the doc already holds', () => {
    const site = openSiteDoc()
    site.files.writeSync('public/deep/er/file.txt', 'x')
    site.files.addFolder('views/empty')
    const reopened = new YjsFileStore(site.doc)
    expect(reopened.folders()).toEqual(['public', 'public/deep', 'public/deep/er', 'views', 'views/empty'])
    expect(status(() => reopened.writeSync('public/deep', 'x'))).toBe(409)
  })

  it('agrees with a scan of the maps after 2,000 seeded random edits by two co-authors', () => {
    const random = seededRandom(12)
    const { a, b } = sitePair()
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!
    const path = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(['p', 'q', 'r'])).join('/')
    for (let step = 0; step < 2_000; step++) {
      const { files } = pick([a, b])
      const operation = pick(['write', 'write', 'folder', 'remove', 'rename'])
      // Refusals (409, 404, 400) are part of the walk: what matters is that both views agree after each step.
      status(() => {
        if (operation === 'write') files.writeSync(path(), 'x')
        else if (operation === 'folder') files.addFolder(path())
        else if (operation === 'remove') files.remove(path())
        else files.rename(path(), path())
      })
      expect(a.files.folders()).toEqual(scannedFolders(a.doc))
      expect(b.files.folders()).toEqual(a.files.folders())
    }
  })
})

// At this size the former store (a scan of every key for each file added) ran past Vitest's 5 s timeout.
describe('a site of 20,000 files', () => {
  const COUNT = 20_000
  const site = openSiteDoc()

  it('adds them one by one', () => {
    for (let i = 0; i < COUNT; i++) site.files.writeSync(`public/d${i % 100}/f${i}.txt`, '')
    expect(site.files.listSync()).toHaveLength(COUNT)
  })

  it('adds folders beside them', () => {
    for (let i = 0; i < COUNT; i++) site.files.addFolder(`public/d${i % 100}/empty${i}`)
    expect(site.files.folders()).toHaveLength(1 + 100 + COUNT)
  })

  // Each rename is one pass over the site's keys; moving a file costs Yjs a fresh entry and the old one's deletion, so ten folders (4,000 entries) will do.
  it('renames folders among them', () => {
    for (let i = 0; i < 10; i++) site.files.rename(`public/d${i}`, `public/moved${i}`)
    expect(site.files.readText('public/moved7/f19907.txt')).toBe('')
    expect(site.files.folders()).toContain('public/moved7/empty19907')
  })
})

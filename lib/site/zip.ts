import { strToU8, zipSync, type Zippable } from 'fflate'
import { ancestors } from './records'
import { checkSiteBytes, siteBytesAfterImport } from './site-bytes'
import type { SiteDoc } from './site-doc'
import { treeConflict } from './tree'
import { MANIFEST_PATH, META_FOLDER } from './zip-layout'
import { SITE_FORMAT, SiteImportError } from './zip-meta'
import { readSiteZip, type SiteArchive } from './zip-read'

/** What an import wrote. */
export interface ImportSummary {
  files: number
  collections: number
  documents: number
}

/** How an import treats what the site already has. */
export interface ImportOptions {
  /** `replace`: the site becomes the archive (files, folders, database); `merge`: same paths and ids are overwritten, the rest kept. */
  mode: 'replace' | 'merge'
}

function json(value: unknown): Uint8Array {
  return strToU8(`${JSON.stringify(value, null, 2)}\n`)
}

/**
 * The whole site as a zip: every file at its path, empty folders as
 * directory entries, and in `.peerserver/` the manifest (`site.json`),
 * `settings.json` and one `db/<collection>.json` array per collection.
 * Sessions stay out. Text is deflated; binaries (mostly compressed already) are stored.
 */
export function exportSiteZip(site: SiteDoc): Uint8Array {
  const tree: Zippable = {}
  for (const entry of site.files.listSync()) {
    const bytes = site.files.readSync(entry.path)
    if (bytes) tree[entry.path] = [bytes, { level: site.files.isText(entry.path) ? 6 : 0 }]
  }
  const parents = new Set(Object.keys(tree).flatMap(ancestors))
  for (const folder of site.files.folders()) {
    if (!parents.has(folder)) tree[folder] = {}
  }
  tree[MANIFEST_PATH] = json(SITE_FORMAT)
  tree[`${META_FOLDER}/settings.json`] = json(site.settings.values())
  for (const collection of site.documents.collections()) {
    tree[`${META_FOLDER}/db/${collection}.json`] = json([...site.documents.list(collection)])
  }
  return zipSync(tree)
}

function checkTree(site: SiteDoc, archive: SiteArchive, mode: ImportOptions['mode']): void {
  const files = new Set(archive.files.keys())
  const folders = [...archive.folders]
  if (mode === 'merge') {
    for (const entry of site.files.listSync()) files.add(entry.path)
    folders.push(...site.files.folders())
  }
  const conflict = treeConflict(files, folders)
  if (conflict) throw new SiteImportError(`the archive does not fit the site: ${conflict}`)
}

function clearSite(site: SiteDoc, archive: SiteArchive): void {
  // Files the archive has too are rewritten in place below, so an open editor keeps its text.
  site.files.retain(new Set(archive.files.keys()), new Set(archive.folders))
  for (const collection of site.documents.collections()) site.documents.drop(collection)
}

/**
 * Import a site archive (an exported site, or a zipped plain folder: see
 * `layOut`). Everything is checked first and written in one transaction, so
 * a refused archive (`SiteImportError`) changes nothing.
 */
export function importSiteZip(site: SiteDoc, bytes: Uint8Array, options: ImportOptions): ImportSummary {
  const archive = readSiteZip(bytes)
  checkTree(site, archive, options.mode)
  checkSiteBytes(siteBytesAfterImport(site, archive, options.mode))
  let documents = 0
  site.doc.transact(() => {
    if (options.mode === 'replace') clearSite(site, archive)
    for (const [path, data] of archive.files) site.files.writeSync(path, data)
    for (const folder of archive.folders) site.files.addFolder(folder)
    site.documents.transact(() => {
      for (const [collection, docs] of archive.collections) {
        for (const doc of docs) site.documents.set(collection, doc)
        documents += docs.length
      }
    })
    if (archive.settings) site.settings.apply(archive.settings)
  })
  return { files: archive.files.size, collections: archive.collections.size, documents }
}

import { unzipSync } from 'fflate'
import type { DbDocument } from '../vserver/db/types'
import { VServerError } from '../vserver/types'
import { ancestors, checkFileSize, storePath } from './records'
import type { SiteSettingsValues } from './settings'
import { isJunk, layOut, MANIFEST_PATH, META_FOLDER, type ArchiveEntry } from './zip-layout'
import { checkManifest, parseCollection, parseSettings, SiteImportError } from './zip-meta'
import { errorMessage } from '../../shared/error-message'

/** The most an archive may hold, uncompressed. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024
/** The most entries (files and folders, not counting macOS junk) an archive may hold. */
export const MAX_ZIP_ENTRIES = 20_000

/** An archive read and checked: what an import writes. */
export interface SiteArchive {
  files: Map<string, Uint8Array>
  /** Folders with nothing in them. */
  folders: string[]
  collections: Map<string, DbDocument[]>
  settings: Partial<SiteSettingsValues> | null
}

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  let total = 0
  let count = 0
  try {
    return unzipSync(bytes, {
      filter: (file) => {
        if (isJunk(file.name)) return false
        // Counted as the central directory is read, so a zip of 100,000 empty entries stops here, before any path is checked or laid out.
        if (++count > MAX_ZIP_ENTRIES) throw new SiteImportError(`the archive holds more than ${MAX_ZIP_ENTRIES.toLocaleString('en-US')} entries; a site may have at most ${MAX_ZIP_ENTRIES.toLocaleString('en-US')} files and folders`)
        // A deflated entry inflates into a buffer of its declared size, so this bounds memory before anything is inflated.
        total += Math.max(file.size, file.originalSize)
        if (total > MAX_IMPORT_BYTES) throw new SiteImportError(`the archive holds more than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB uncompressed; that is too much for one site`)
        return true
      },
    })
  }
  catch (error) {
    if (error instanceof SiteImportError) throw error
    const reason = errorMessage(error)
    throw new SiteImportError(`this file is not a zip archive, or it is damaged (${reason})`)
  }
}

function entryPath(name: string): string {
  const path = name.endsWith('/') ? name.slice(0, -1) : name
  try {
    if (/^[a-z]:/i.test(path)) throw new VServerError(400, 'a drive letter makes it absolute')
    return storePath(path)
  }
  catch (error) {
    if (error instanceof VServerError) throw new SiteImportError(`the zip entry ${JSON.stringify(name)} has an invalid path: ${error.message}`)
    throw error
  }
}

function toEntries(files: Record<string, Uint8Array>): ArchiveEntry[] {
  const entries = Object.entries(files).map(([name, bytes]) => ({ path: entryPath(name), dir: name.endsWith('/'), bytes }))
  if (entries.length === 0) throw new SiteImportError('the zip archive is empty')
  return entries
}

function readMeta(entry: ArchiveEntry, archive: SiteArchive): void {
  const name = entry.path
  const dbFile = name.startsWith(`${META_FOLDER}/db/`) ? name.slice(`${META_FOLDER}/db/`.length) : null
  if (entry.dir || name === MANIFEST_PATH) return
  if (name === `${META_FOLDER}/settings.json`) archive.settings = parseSettings(name, entry.bytes)
  else if (dbFile !== null) {
    const { collection, docs } = parseCollection(name, dbFile, entry.bytes)
    archive.collections.set(collection, docs)
  }
  else throw new SiteImportError(`${name} is not something a PeerServer site archive holds`)
}

function addFile(entry: ArchiveEntry, archive: SiteArchive): void {
  try {
    checkFileSize(entry.path, entry.bytes.byteLength)
  }
  catch (error) {
    if (error instanceof VServerError) throw new SiteImportError(error.message)
    throw error
  }
  archive.files.set(entry.path, entry.bytes)
}

/**
 * Read and check a whole archive without touching any site: a zip, paths
 * safe, sizes within limits, and for an exported site its manifest,
 * settings and database files. Throws `SiteImportError` with what is wrong.
 */
export function readSiteZip(bytes: Uint8Array): SiteArchive {
  const { entries, exported } = layOut(toEntries(unzip(bytes)))
  const archive: SiteArchive = { files: new Map(), folders: [], collections: new Map(), settings: null }
  const manifest = exported ? entries.find(entry => entry.path === MANIFEST_PATH) : undefined
  if (manifest) checkManifest(manifest.path, manifest.bytes)
  const dirs: string[] = []
  for (const entry of entries) {
    if (exported && (entry.path === META_FOLDER || entry.path.startsWith(`${META_FOLDER}/`))) readMeta(entry, archive)
    else if (entry.dir) dirs.push(entry.path)
    else addFile(entry, archive)
  }
  archive.folders = emptyFolders(dirs, archive.files.keys())
  return archive
}

/** The directories with no file or directory below them: one pass over every path's parents, not a scan per directory. */
function emptyFolders(dirs: string[], files: Iterable<string>): string[] {
  const parents = new Set<string>()
  for (const path of [...files, ...dirs]) for (const folder of ancestors(path)) parents.add(folder)
  return dirs.filter(dir => !parents.has(dir))
}

import type * as Y from 'yjs'
import { VServerError } from '../vserver/types'
import type { FolderIndex } from './folder-index'
import { ancestors, copyEntry, readRecord, storePath } from './records'

/** The two maps of a site's file tree, `files` (path → entry) and `folders` (path → true, empty folders), and the index of their folders. */
export interface TreeMaps {
  files: Y.Map<unknown>
  folders: Y.Map<unknown>
  index: FolderIndex
}

/** Set an entry of `files` or `folders`, keeping the folder index exact within the transaction. */
export function setEntry(maps: TreeMaps, kind: 'files' | 'folders', path: string, value: unknown): void {
  maps[kind].set(path, value)
  maps.index.sync(kind, path)
}

/** Delete an entry of `files` or `folders`, keeping the folder index exact within the transaction. */
export function deleteEntry(maps: TreeMaps, kind: 'files' | 'folders', path: string): void {
  maps[kind].delete(path)
  maps.index.sync(kind, path)
}

// One pass over the keys: linear in the site, once per rename or removal of a folder.
function keysUnder(map: Y.Map<unknown>, folder: string): string[] {
  const prefix = `${folder}/`
  return [...map.keys()].filter(key => key.startsWith(prefix))
}

/** Whether `path` is a folder: an explicit (empty) one, or one that holds files or folders. */
export function isFolder(maps: TreeMaps, path: string): boolean {
  return maps.folders.has(path) || maps.index.holdsAnything(path)
}

/**
 * Refuse to put a file or folder at `path` when something is in the way
 * (409): a folder where a file goes, a file where a folder goes, or a file
 * where one of its parent folders goes. (A file may replace a file.)
 */
export function checkPlace(maps: TreeMaps, path: string, what: 'file' | 'folder'): void {
  if (what === 'folder' && maps.files.has(path)) throw new VServerError(409, `${path} already exists`)
  if (what === 'file' && isFolder(maps, path)) throw new VServerError(409, `${path} is a folder`)
  for (const folder of ancestors(path)) {
    if (maps.files.has(folder)) throw new VServerError(409, `${folder} is a file, so it cannot hold ${path}`)
  }
}

/** Every folder, sorted: the explicit empty ones and every parent of a file or folder. */
export function listFolders(maps: TreeMaps): string[] {
  return [...new Set([...maps.index.parents(), ...maps.folders.keys()])].sort()
}

function moveFile(maps: TreeMaps, from: string, to: string): void {
  const record = readRecord(maps.files.get(from))
  if (record) setEntry(maps, 'files', to, copyEntry(record))
  deleteEntry(maps, 'files', from)
}

/**
 * Move a file, or a folder with everything in it, in one transaction.
 * Refuses a missing source (404), a target that exists (409) and a folder
 * moved into itself (400).
 */
export function renamePath(doc: Y.Doc, maps: TreeMaps, from: string, to: string): void {
  const source = storePath(from)
  const target = storePath(to)
  const file = maps.files.has(source)
  if (!file && !isFolder(maps, source)) throw new VServerError(404, `${source} does not exist`)
  if (maps.files.has(target) || isFolder(maps, target)) throw new VServerError(409, `${target} already exists`)
  if (!file && target.startsWith(`${source}/`)) throw new VServerError(400, `${source} cannot move into itself (${target})`)
  checkPlace(maps, target, 'folder')
  doc.transact(() => {
    if (file) return moveFile(maps, source, target)
    for (const path of keysUnder(maps.files, source)) moveFile(maps, path, target + path.slice(source.length))
    for (const path of [...keysUnder(maps.folders, source), ...(maps.folders.has(source) ? [source] : [])]) {
      deleteEntry(maps, 'folders', path)
      setEntry(maps, 'folders', target + path.slice(source.length), true)
    }
  })
}

/** Delete a file, or a folder with its files and empty folders; returns how many files went (0 for nothing there). */
export function removePath(doc: Y.Doc, maps: TreeMaps, path: string): number {
  const target = storePath(path)
  if (maps.files.has(target)) {
    deleteEntry(maps, 'files', target)
    return 1
  }
  const files = keysUnder(maps.files, target)
  const folders = keysUnder(maps.folders, target)
  if (maps.folders.has(target)) folders.push(target)
  if (files.length + folders.length === 0) return 0
  doc.transact(() => {
    for (const key of files) deleteEntry(maps, 'files', key)
    for (const key of folders) deleteEntry(maps, 'folders', key)
  })
  return files.length
}

/**
 * The first clash in a planned tree, or null: a file where a folder must be
 * (a parent of another file or folder), or a folder at a file's path.
 */
export function treeConflict(files: ReadonlySet<string>, folders: Iterable<string>): string | null {
  for (const folder of folders) {
    if (files.has(folder)) return `${folder} is both a file and a folder`
    for (const parent of ancestors(folder)) if (files.has(parent)) return `${parent} is a file, so it cannot hold ${folder}`
  }
  for (const path of files) {
    for (const parent of ancestors(path)) if (files.has(parent)) return `${parent} is a file, so it cannot hold ${path}`
  }
  return null
}

/** Delete every file and empty-folder marker that is not kept, in one transaction. */
export function pruneTree(doc: Y.Doc, maps: TreeMaps, keepFiles: ReadonlySet<string>, keepFolders: ReadonlySet<string>): void {
  doc.transact(() => {
    for (const path of [...maps.files.keys()]) if (!keepFiles.has(path)) deleteEntry(maps, 'files', path)
    for (const path of [...maps.folders.keys()]) if (!keepFolders.has(path)) deleteEntry(maps, 'folders', path)
  })
}

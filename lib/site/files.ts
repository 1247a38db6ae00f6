import type * as Y from 'yjs'
import type { FileEntry, FileStore } from '../vserver/files'
import { contentEtag } from '../vserver/memory-files'
import { VServerError } from '../vserver/types'
import { FileChanges } from './file-changes'
import { checkFileSize, equalBytes, newEntry, readRecord, servedText, storePath, type FileRecord } from './records'
import { applyMinimalEdit, decodeText } from './text'
import { FolderIndex } from './folder-index'
import { checkPlace, deleteEntry, isFolder, listFolders, pruneTree, removePath, renamePath, setEntry, type TreeMaps } from './tree'

const encoder = new TextEncoder()

/** Options of `YjsFileStore`. */
export interface YjsFileStoreOptions {
  /** The clock that stamps `mtime` (default `Date.now`). */
  now?: () => number
}

/** Hears the paths (files and empty-folder markers) that one transaction changed, local or remote. */
export type FileChangeListener = (paths: string[]) => void

/**
 * The site's files in its Y.Doc (`files` and `folders` maps, see site-doc.ts).
 * Text types with valid UTF-8 are Y.Text, edited in place by `write`, so
 * co-authors' concurrent edits survive a save; everything else is bytes.
 * A text file has a shared draft (the Y.Text editors bind to, live between
 * co-authors) and a saved version, which is what the FileStore methods read
 * and visitors get: `save(path)` publishes the draft, like Ctrl-S in a
 * editor whose buffer is shared. `write` sets both.
 * The extra methods (tree, text) are synchronous, like the Y.Doc.
 */
export class YjsFileStore implements FileStore {
  private readonly maps: TreeMaps
  private readonly now: () => number
  private readonly cache = new Map<string, { bytes: Uint8Array, etag: string }>()
  private readonly changes: FileChanges

  constructor(readonly doc: Y.Doc, options: YjsFileStoreOptions = {}) {
    const files = doc.getMap<unknown>('files')
    const folders = doc.getMap<unknown>('folders')
    this.maps = { files, folders, index: new FolderIndex({ files, folders }) }
    this.now = options.now ?? Date.now
    this.changes = new FileChanges(doc, this.maps, path => this.cache.delete(path))
  }

  async stat(path: string): Promise<FileEntry | null> {
    return this.statSync(path)
  }

  async read(path: string): Promise<Uint8Array | null> {
    return this.readSync(path)
  }

  async list(prefix = ''): Promise<FileEntry[]> {
    return this.listSync(prefix)
  }

  async write(path: string, data: Uint8Array | string): Promise<FileEntry> {
    return this.writeSync(path, data)
  }

  async delete(path: string): Promise<boolean> {
    const target = storePath(path)
    if (!this.maps.files.has(target)) return false
    deleteEntry(this.maps, 'files', target)
    return true
  }

  /** The stored content (no copy: read it, never change or transfer it), or null. */
  async view(path: string): Promise<Uint8Array | null> {
    return this.viewSync(path)
  }

  /** Content of a file (a copy), or null. */
  readSync(path: string): Uint8Array | null {
    return this.viewSync(path)?.slice() ?? null
  }

  private viewSync(path: string): Uint8Array | null {
    const target = storePath(path)
    const record = readRecord(this.maps.files.get(target))
    return record ? this.content(target, record).bytes : null
  }

  /** Every file whose path starts with `prefix`, sorted by path. */
  listSync(prefix = ''): FileEntry[] {
    const entries: FileEntry[] = []
    for (const path of [...this.maps.files.keys()].sort()) {
      const record = path.startsWith(prefix) ? readRecord(this.maps.files.get(path)) : null
      if (record) entries.push(this.entry(path, record))
    }
    return entries
  }

  /** Metadata of a file, or null. */
  statSync(path: string): FileEntry | null {
    const target = storePath(path)
    const record = readRecord(this.maps.files.get(target))
    return record ? this.entry(target, record) : null
  }

  /**
   * Create or replace a file. A text file that exists gets one minimal edit;
   * a write of the same content changes nothing (no update, same mtime).
   */
  writeSync(path: string, data: Uint8Array | string): FileEntry {
    const target = storePath(path)
    const bytes = typeof data === 'string' ? encoder.encode(data) : data.slice()
    checkFileSize(target, bytes.byteLength)
    const record = readRecord(this.maps.files.get(target))
    if (!record) checkPlace(this.maps, target, 'file')
    const text = decodeText(target, bytes)
    this.doc.transact(() => this.put(target, record, text, bytes))
    const entry = this.statSync(target)
    if (!entry) throw new VServerError(500, `${target} vanished while it was written`)
    return entry
  }

  /** Publish the draft of a text file: visitors get it from now on. False when it was saved already; 404 for no text file. */
  save(path: string): boolean {
    const target = storePath(path)
    const record = readRecord(this.maps.files.get(target))
    if (record?.kind !== 'text') throw new VServerError(404, `there is no text file ${target} to save`)
    const draft = record.text.toString()
    if (record.saved === draft) return false
    this.doc.transact(() => {
      record.map.set('saved', draft)
      record.map.set('mtime', this.now())
    })
    return true
  }

  /** Whether the draft of a text file differs from its saved version. */
  isDirty(path: string): boolean {
    const record = readRecord(this.maps.files.get(storePath(path)))
    return record?.kind === 'text' && record.saved !== null && record.saved !== record.text.toString()
  }

  /** Every text file with unsaved changes, sorted. */
  dirtyPaths(): string[] {
    return [...this.maps.files.keys()].filter(path => this.isDirty(path)).sort()
  }

  /** The shared draft (Y.Text) of a text file (for an editor binding), or null for a binary or missing file. */
  text(path: string): Y.Text | null {
    const record = readRecord(this.maps.files.get(storePath(path)))
    return record?.kind === 'text' ? record.text : null
  }

  /** The draft of a text file as a string, or null for a binary or missing file. */
  readText(path: string): string | null {
    return this.text(path)?.toString() ?? null
  }

  /** Whether the file at `path` is stored as text. */
  isText(path: string): boolean {
    return this.text(path) !== null
  }

  /** Move a file or a folder (with everything in it); 404 without a source, 409 when the target exists. */
  rename(from: string, to: string): void {
    renamePath(this.doc, this.maps, from, to)
  }

  /** Delete a file or a whole folder; returns how many files were removed. */
  remove(path: string): number {
    return removePath(this.doc, this.maps, path)
  }

  /** Delete every file and empty-folder marker not in these sets, in one transaction. */
  retain(files: ReadonlySet<string>, folders: ReadonlySet<string>): void {
    pruneTree(this.doc, this.maps, files, folders)
  }

  /** Create an empty folder (nothing happens when it exists); 409 when a file is in the way. */
  addFolder(path: string): void {
    const target = storePath(path)
    if (isFolder(this.maps, target)) return
    checkPlace(this.maps, target, 'folder')
    setEntry(this.maps, 'folders', target, true)
  }

  /** Every folder (explicit empty ones and the parents of files), sorted. */
  folders(): string[] {
    return listFolders(this.maps)
  }

  /** Hear the changed paths once per transaction, local or remote; returns the unsubscribe function. */
  onChange(listener: FileChangeListener): () => void {
    return this.changes.onChange(listener)
  }

  /** Stop observing the Y.Doc. */
  destroy(): void {
    this.changes.destroy()
    this.maps.index.destroy()
  }

  private put(path: string, record: FileRecord | null, text: string | null, bytes: Uint8Array): void {
    if (record?.kind === 'text' && text !== null) {
      const edited = applyMinimalEdit(record.text, text)
      if (record.saved !== text) record.map.set('saved', text)
      if (edited || record.saved !== text) record.map.set('mtime', this.now())
    }
    else if (record?.kind === 'binary' && text === null) {
      if (equalBytes(record.data, bytes)) return
      record.map.set('data', bytes)
      record.map.set('mtime', this.now())
    }
    else {
      setEntry(this.maps, 'files', path, newEntry(text ?? bytes, this.now()))
    }
    this.cache.delete(path)
  }

  private entry(path: string, record: FileRecord): FileEntry {
    const { bytes, etag } = this.content(path, record)
    return { path, size: bytes.byteLength, etag, mtime: record.mtime }
  }

  private content(path: string, record: FileRecord): { bytes: Uint8Array, etag: string } {
    let cached = this.cache.get(path)
    if (!cached) {
      const bytes = record.kind === 'text' ? encoder.encode(servedText(record)) : record.data
      cached = { bytes, etag: contentEtag(bytes) }
      this.cache.set(path, cached)
    }
    return cached
  }
}

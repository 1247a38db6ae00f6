import type { DbDocument } from '../vserver/db/types'
import { readRecord, type FileRecord } from './records'
import type { SiteDoc } from './site-doc'
import { isTextPath } from './text'
import type { SiteArchive } from './zip-read'
import { SiteImportError } from './zip-meta'

const MiB = 1024 * 1024
const encoder = new TextEncoder()

/**
 * The most content a site may hold after an import: its files (a text file
 * counts twice, as the doc keeps its draft and its saved version) and its
 * database as JSON. A co-author who joins gets the whole doc in one message
 * (y-protocols' sync step 2), so this is what bounds that message
 * (`MAX_JOINED_BYTES`, lib/peer/chunked-channel.ts, adds room for Yjs's
 * own structure). It is above `MAX_IMPORT_BYTES` (200 MiB), so any archive of
 * pictures and other binaries that may be imported fits; mostly text past
 * 128 MiB does not, once doubled.
 */
export const MAX_SITE_BYTES = 256 * MiB

const utf8Bytes = (text: string) => encoder.encode(text).byteLength

function recordBytes(path: string, record: FileRecord): number {
  const content = record.kind === 'binary' ? record.data.byteLength : utf8Bytes(record.text.toString()) + utf8Bytes(record.saved ?? '')
  return utf8Bytes(path) + content
}

function archiveFileBytes(path: string, bytes: Uint8Array): number {
  // A text type is stored as a draft and a saved copy; invalid UTF-8 is stored once, as bytes, so this may overcount it, never undercount.
  return utf8Bytes(path) + (isTextPath(path) ? 2 : 1) * bytes.byteLength
}

function documentBytes(docs: Iterable<DbDocument>): number {
  let total = 0
  for (const doc of docs) total += utf8Bytes(JSON.stringify(doc))
  return total
}

/**
 * What the site will hold once the archive is imported. In merge mode the
 * database is counted whole on both sides (an upper bound: documents with the
 * same id are replaced, not added).
 */
export function siteBytesAfterImport(site: SiteDoc, archive: SiteArchive, mode: 'replace' | 'merge'): number {
  let total = 0
  for (const [path, bytes] of archive.files) total += archiveFileBytes(path, bytes)
  for (const docs of archive.collections.values()) total += documentBytes(docs)
  if (mode === 'replace') return total
  const files = site.doc.getMap<unknown>('files')
  for (const [path, value] of files.entries()) {
    const record = archive.files.has(path) ? null : readRecord(value)
    if (record) total += recordBytes(path, record)
  }
  for (const collection of site.documents.collections()) total += documentBytes(site.documents.list(collection))
  return total
}

/** Refuse a site that would hold more than `limit` bytes (`SiteImportError`). */
export function checkSiteBytes(bytes: number, limit = MAX_SITE_BYTES): void {
  if (bytes <= limit) return
  // Rounded up, so a site just over the limit does not read as the limit.
  const mib = (Math.ceil(bytes / MiB * 10) / 10).toFixed(1)
  throw new SiteImportError(`the site would hold ${mib} MiB after this import (text files count twice: draft and saved version); a site may hold at most ${limit / MiB} MiB`)
}

import { planUpload } from './upload-plan'
import type { FileStore } from '../vserver/files'

/** A file to upload and its path relative to what was picked or dropped (`folder/a.css`, or `a.css`). */
export interface PickedFile {
  relativePath: string
  file: File
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject))
}

function isFileEntry(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile
}

function isDirectoryEntry(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory
}

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  if (isFileEntry(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject))
    out.push({ relativePath: `${prefix}${entry.name}`, file })
    return
  }
  if (!isDirectoryEntry(entry)) return
  const reader = entry.createReader()
  // readEntries hands out a directory in batches (100 in Chromium) until it returns none.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out)
  }
}

/** The files of a drop, folders walked (their paths keep the dropped folder's name). */
export async function droppedFiles(data: DataTransfer): Promise<PickedFile[]> {
  const entries = [...data.items].map(item => item.webkitGetAsEntry()).filter(entry => entry !== null)
  if (entries.length === 0) return [...data.files].map(file => ({ relativePath: file.name, file }))
  const out: PickedFile[] = []
  for (const entry of entries) await walk(entry, '', out)
  return out
}

/** The files of an `<input type=file>` (a picked folder gives `folder/…` paths). */
export function pickedFiles(input: HTMLInputElement): PickedFile[] {
  return [...(input.files ?? [])].map(file => ({ relativePath: file.webkitRelativePath || file.name, file }))
}

/** How far an upload has come: bytes done of total, over `files` files, writing `current`. */
export interface UploadProgress {
  done: number
  total: number
  files: number
  current: string
}

/**
 * Upload files into the site, reporting progress (null when it ends, done or
 * not): into `folder` when dropped on one, else by the upload plan (a folder
 * laid out as a site replaces it; anything else goes under public/).
 * Returns the paths written.
 */
export async function uploadFiles(files: FileStore, picked: PickedFile[], onProgress: (progress: UploadProgress | null) => void, folder?: string): Promise<string[]> {
  const plan = folder === undefined ? planUpload(picked.map(item => item.relativePath)) : { paths: picked.map(item => (folder ? `${folder}/${item.relativePath}` : item.relativePath)), replacesSite: false }
  const progress: UploadProgress = { done: 0, total: picked.reduce((sum, item) => sum + item.file.size, 0), files: picked.length, current: '' }
  onProgress({ ...progress })
  const written: string[] = []
  try {
    if (plan.replacesSite) for (const file of await files.list()) await files.delete(file.path)
    for (const [i, item] of picked.entries()) {
      progress.current = plan.paths[i] ?? `public/${item.file.name}`
      onProgress({ ...progress })
      await files.write(progress.current, new Uint8Array(await item.file.arrayBuffer()))
      written.push(progress.current)
      progress.done += item.file.size
      onProgress({ ...progress })
    }
  }
  finally {
    onProgress(null)
  }
  return written
}

import { TemplateDetailSchema } from '../../shared/protocol/api'
import type { FileStore } from '../vserver/files'

// The studio writes the files: an answer without a description or tags must not stop a site from being made.
const TemplateFilesSchema = TemplateDetailSchema.pick({ id: true, title: true, files: true })

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), ch => ch.charCodeAt(0))
}

/** Fetch template `id` from the app and write its files into `store`; returns how many files. */
export async function loadTemplate(id: string, store: FileStore, fetcher: typeof fetch = fetch): Promise<number> {
  const response = await fetcher(`/api/templates/${encodeURIComponent(id)}`)
  if (!response.ok) throw new Error(`template "${id}" could not be loaded (HTTP ${response.status})`)
  const parsed = TemplateFilesSchema.safeParse(await response.json())
  if (!parsed.success) throw new Error(`template "${id}" is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  for (const file of parsed.data.files) {
    await store.write(file.path, file.encoding === 'base64' ? decodeBase64(file.content) : file.content)
  }
  return parsed.data.files.length
}

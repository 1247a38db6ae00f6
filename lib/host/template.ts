import { z } from 'zod'
import type { FileStore } from '../vserver/files'

/** GET /api/templates/<id>: a starter site and its files. */
export const TemplateSchema = z.object({
  id: z.string(),
  title: z.string(),
  files: z.array(z.object({ path: z.string(), encoding: z.enum(['utf8', 'base64']), content: z.string() })),
})

/** GET /api/templates: the gallery. */
export const TemplateListSchema = z.array(z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  preview: z.string(),
}))
/** One entry of the gallery. */
export type TemplateSummary = z.infer<typeof TemplateListSchema>[number]

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), ch => ch.charCodeAt(0))
}

/** Fetch template `id` from the app and write its files into `store`; returns how many files. */
export async function loadTemplate(id: string, store: FileStore, fetcher: typeof fetch = fetch): Promise<number> {
  const response = await fetcher(`/api/templates/${encodeURIComponent(id)}`)
  if (!response.ok) throw new Error(`template "${id}" could not be loaded (HTTP ${response.status})`)
  const parsed = TemplateSchema.safeParse(await response.json())
  if (!parsed.success) throw new Error(`template "${id}" is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  for (const file of parsed.data.files) {
    await store.write(file.path, file.encoding === 'base64' ? decodeBase64(file.content) : file.content)
  }
  return parsed.data.files.length
}

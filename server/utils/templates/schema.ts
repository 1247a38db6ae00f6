import { z } from 'zod'

/** A template id: its folder name under templates/, also used in `/api/templates/<id>`. */
export const TemplateIdSchema = z.string()
  .max(64, 'a template id is at most 64 characters')
  .regex(/^[a-z0-9-]+$/, 'a template id is lower-case letters, digits and dashes')

/** `templates/<id>/template.json`: what the gallery shows about a starter site. */
export const TemplateMetaSchema = z.strictObject({
  title: z.string().trim().min(1, 'title is empty').max(60),
  description: z.string().trim().min(1, 'description is empty').max(400),
  tags: z.array(
    z.string().regex(/^[a-z0-9][a-z0-9 -]{0,23}$/, 'a tag is a short lower-case word (letters, digits, spaces, dashes)'),
  ).max(8, 'at most 8 tags'),
  preview: z.string().regex(/^[\w.-]+\.(svg|png|jpe?g|webp)$/, 'preview names an .svg, .png, .jpg or .webp file beside template.json'),
})
/** A valid template.json. */
export type TemplateMeta = z.infer<typeof TemplateMetaSchema>

/** One file of a starter site, as the studio writes it into a new site. */
export interface TemplateFile {
  /** Site-relative, e.g. `routes/posts/[id].get.js`. */
  path: string
  encoding: 'utf8' | 'base64'
  content: string
}

/** A gallery entry: `GET /api/templates` lists these. */
export interface TemplateSummary {
  id: string
  title: string
  description: string
  tags: string[]
  /** The preview picture as a `data:` URL. */
  preview: string
}

/** A template with its files: `GET /api/templates/<id>`. */
export interface TemplateDetail {
  id: string
  title: string
  description: string
  tags: string[]
  files: TemplateFile[]
}

/** Why a template folder was left out of the gallery. */
export interface TemplateProblem {
  id: string
  message: string
}

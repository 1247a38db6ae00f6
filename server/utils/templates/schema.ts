import { z } from 'zod'

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

/** Why a template folder was left out of the gallery. */
export interface TemplateProblem {
  id: string
  message: string
}

import { z } from 'zod'
import { SiteNameSchema } from './site'

// The app's HTTP API (server/api/): what each GET answers, for the Nitro
// handlers to type their answers with and the pages to safeParse them with.
// PROTOCOL.md ("HTTP API") documents the routes.

/** A template id: its folder name under templates/, also used in `/api/templates/<id>`. */
export const TemplateIdSchema = z.string()
  .max(64, 'a template id is at most 64 characters')
  .regex(/^[a-z0-9-]+$/, 'a template id is lower-case letters, digits and dashes')

/** One file of a starter site, as the studio writes it into a new site: text as UTF-8, anything else base64. */
export const TemplateFileSchema = z.object({
  /** Site-relative, e.g. `routes/posts/[id].get.js`. */
  path: z.string().min(1, 'a template file has a path'),
  encoding: z.enum(['utf8', 'base64']),
  content: z.string(),
})
/** One file of a starter site. */
export type TemplateFile = z.infer<typeof TemplateFileSchema>

/** A gallery entry. */
export const TemplateSummarySchema = z.object({
  id: TemplateIdSchema,
  title: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  /** The preview picture as a `data:` URL. */
  preview: z.string(),
})
/** A gallery entry: `GET /api/templates` lists these. */
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>

/** `GET /api/templates`: the gallery, sorted by id. */
export const TemplateListSchema = z.array(TemplateSummarySchema)
/** The gallery. */
export type TemplateList = z.infer<typeof TemplateListSchema>

/** `GET /api/templates/<id>`: a template with its files (no preview). */
export const TemplateDetailSchema = TemplateSummarySchema.omit({ preview: true }).extend({
  files: z.array(TemplateFileSchema),
})
/** A template with its files. */
export type TemplateDetail = z.infer<typeof TemplateDetailSchema>

/** `GET /api/sites/<name>`: whether the name has an owner, and whether a tab serves it now. */
export const SiteNameStatusSchema = z.object({
  name: SiteNameSchema,
  taken: z.boolean(),
  online: z.boolean(),
  /** A free name close to a taken one, e.g. `blog-2`. */
  suggestion: SiteNameSchema.optional(),
})
/** What the landing page learns about a name. */
export type SiteNameStatus = z.infer<typeof SiteNameStatusSchema>

/** `GET /api/join/<code>`: the site with that code, and whether a host tab serves it now. */
export const JoinLookupSchema = z.object({ site: SiteNameSchema, online: z.boolean() })
/** The answer of `GET /api/join/<code>`. */
export type JoinLookup = z.infer<typeof JoinLookupSchema>

/**
 * The body of a refusal (4xx, 5xx): Nitro's JSON for a `createError`, of
 * which clients read `statusMessage`, the reason for people.
 */
export const ApiErrorSchema = z.object({ statusMessage: z.string().min(1) })
/** A refusal's body, as far as clients read it. */
export type ApiError = z.infer<typeof ApiErrorSchema>

import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  ApiErrorSchema, JoinLookupSchema, SiteNameStatusSchema, TemplateDetailSchema, TemplateIdSchema, TemplateListSchema,
} from '../../../../shared/protocol/api'

const summary = { id: 'blog', title: 'Blog', description: 'Posts and comments', tags: ['starter'], preview: 'data:image/svg+xml;base64,PHN2Zy8+' }
const detail = {
  id: 'blog',
  title: 'Blog',
  description: 'Posts and comments',
  tags: ['starter'],
  files: [
    { path: 'public/index.html', encoding: 'utf8', content: '<h1>Hi</h1>' },
    { path: 'public/logo.png', encoding: 'base64', content: 'iVBORw0KGgo=' },
  ],
}

/** The first issue of a refused value, as `path: message`. */
function refusal(schema: z.ZodType, value: unknown): string {
  const parsed = schema.safeParse(value)
  if (parsed.success) throw new Error(`accepted ${JSON.stringify(value)}`)
  const issue = parsed.error.issues[0]
  return `${issue?.path.join('.')}: ${issue?.message}`
}

describe('HTTP API answers', () => {
  it.each<[string, z.ZodType, unknown]>([
    ['the gallery', TemplateListSchema, [summary, { ...summary, id: 'empty', tags: [] }]],
    ['an empty gallery', TemplateListSchema, []],
    ['a template with its files', TemplateDetailSchema, detail],
    ['a free name', SiteNameStatusSchema, { name: 'blog', taken: false, online: false }],
    ['a taken name with a suggestion', SiteNameStatusSchema, { name: 'blog', taken: true, online: true, suggestion: 'blog-2' }],
    ['a join code\'s lesson', JoinLookupSchema, { site: 'class-wall', online: true }],
    ['a refusal', ApiErrorSchema, { statusCode: 404, statusMessage: 'No lesson has the code BCDFGH', message: 'No lesson has the code BCDFGH' }],
  ])('parse %s', (_name, schema, value) => {
    expect(schema.safeParse(value).success).toBe(true)
  })

  it('drops fields it does not know', () => {
    expect(JoinLookupSchema.parse({ site: 'class-wall', online: false, code: 'BCDFGH' })).toEqual({ site: 'class-wall', online: false })
    expect(ApiErrorSchema.parse({ statusCode: 400, statusMessage: 'Bad' })).toEqual({ statusMessage: 'Bad' })
  })

  it.each<[string, z.ZodType, unknown, RegExp]>([
    ['a gallery that is not a list', TemplateListSchema, { templates: [] }, /^: .*expected array/i],
    ['a gallery entry without a preview', TemplateListSchema, [{ ...summary, preview: undefined }], /^0\.preview: /],
    ['a gallery entry with an upper-case id', TemplateListSchema, [{ ...summary, id: 'Blog' }], /^0\.id: a template id is lower-case letters, digits and dashes$/],
    ['a template without files', TemplateDetailSchema, { ...detail, files: undefined }, /^files: /],
    ['a file in an unknown encoding', TemplateDetailSchema, { ...detail, files: [{ path: 'a', encoding: 'gzip', content: '' }] }, /^files\.0\.encoding: /],
    ['a file without a path', TemplateDetailSchema, { ...detail, files: [{ path: '', encoding: 'utf8', content: '' }] }, /^files\.0\.path: a template file has a path$/],
    ['a name status without taken', SiteNameStatusSchema, { name: 'blog', online: false }, /^taken: /],
    ['a name status for a name that is not one', SiteNameStatusSchema, { name: 'Blog', taken: false, online: false }, /^name: a site name uses only lowercase/],
    ['a suggestion that is not a site name', SiteNameStatusSchema, { name: 'blog', taken: true, online: false, suggestion: '-blog' }, /^suggestion: a site name cannot start with "-"$/],
    ['a lookup without online', JoinLookupSchema, { site: 'class-wall' }, /^online: /],
    ['a lookup of a site that is not a site name', JoinLookupSchema, { site: 'x', online: true }, /^site: a site name has at least 3 characters$/],
    ['a refusal without its message', ApiErrorSchema, { statusCode: 500 }, /^statusMessage: /],
    ['a refusal with an empty message', ApiErrorSchema, { statusMessage: '' }, /^statusMessage: /],
  ])('refuse %s', (_name, schema, value, message) => {
    expect(refusal(schema, value)).toMatch(message)
  })
})

describe('TemplateIdSchema', () => {
  it.each(['blog', 'guest-book', 'a1'])('accepts %j', (id) => {
    expect(TemplateIdSchema.safeParse(id).success).toBe(true)
  })

  it.each([
    ['', /lower-case letters/],
    ['../etc', /lower-case letters/],
    ['Blog', /lower-case letters/],
    ['a'.repeat(65), /at most 64 characters/],
  ])('refuses %j', (id, message) => {
    expect(refusal(TemplateIdSchema, id)).toMatch(message)
  })
})

import { useTemplateCatalog } from '../../utils/templates/catalog'
import { TemplateIdSchema, type TemplateDetail } from '../../../shared/protocol/api'

// GET /api/templates/<id>: one starter site with its files, for the studio to copy into a new site.
export default defineEventHandler(async (event): Promise<TemplateDetail> => {
  const id = TemplateIdSchema.safeParse(getRouterParam(event, 'id'))
  if (!id.success) throw createError({ statusCode: 400, statusMessage: `Not a template id: ${id.error.issues[0]?.message ?? 'invalid'}` })
  const template = (await useTemplateCatalog()).get(id.data)
  if (!template) throw createError({ statusCode: 404, statusMessage: `There is no template "${id.data}"` })
  return template
})

import type { TemplateList } from '../../../shared/protocol/api'
import { useTemplateCatalog } from '../../utils/templates/catalog'

// GET /api/templates: the gallery, [{ id, title, description, tags, preview (a data: URL) }] (TemplateListSchema).
export default defineEventHandler(async (): Promise<TemplateList> => {
  const catalog = await useTemplateCatalog()
  return catalog.list()
})

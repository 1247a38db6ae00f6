import { useTemplateCatalog } from '../../utils/templates/catalog'

// GET /api/templates: the gallery, [{ id, title, description, tags, preview (a data: URL) }].
export default defineEventHandler(async () => {
  const catalog = await useTemplateCatalog()
  return catalog.list()
})

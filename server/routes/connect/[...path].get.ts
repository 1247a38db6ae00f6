import { SiteNameSchema } from '../../../shared/protocol/site'
import { siteOrigin } from '../../../shared/site-origin'

// The seed's connect links (/connect/<site>/<path>) keep working: they
// redirect to the site's own origin.
export default defineEventHandler((event) => {
  const rest = getRouterParam(event, 'path') ?? ''
  const [name = '', ...path] = rest.split('/')
  const site = SiteNameSchema.safeParse(name.toLowerCase())
  if (!site.success) throw createError({ statusCode: 404, statusMessage: `"${name}" is not a site name: ${site.error.issues[0]?.message ?? 'invalid'}` })
  const query = getRequestURL(event).search
  const target = `${siteOrigin(site.data, getRequestHost(event), siteOriginPattern())}/${path.join('/')}${query}`
  return sendRedirect(event, target, 302)
})

import type { SiteNameStatus } from '../../../shared/protocol/api'
import { SiteNameSchema } from '../../../shared/protocol/site'
import { enforceLookupRate } from '../../utils/limits/instance'
import { useSignalingHub } from '../../utils/signaling/instance'
import { siteNameStatus } from '../../utils/site-names'

// GET /api/sites/<name>: is the name taken (and by a tab online now)? A taken name comes with a free suggestion.
// Metered per client address (NAME_LOOKUPS_PER_SECOND): 429 past it.
export default defineEventHandler(async (event): Promise<SiteNameStatus> => {
  enforceLookupRate(event, 'names')
  const name = SiteNameSchema.safeParse(getRouterParam(event, 'name'))
  if (!name.success) throw createError({ statusCode: 400, statusMessage: `Not a site name: ${name.error.issues[0]?.message ?? 'invalid'}` })
  const hub = useSignalingHub()
  setResponseHeader(event, 'cache-control', 'no-store')
  return siteNameStatus(name.data, site => hub.siteStatus(site))
})

import { DEFAULT_SITE_ORIGIN, siteFromHost } from '../../shared/site-origin'

/** The site-origin pattern in force (runtime config `public.siteOrigin`, env NUXT_PUBLIC_SITE_ORIGIN). */
export function siteOriginPattern(): string {
  const configured = useRuntimeConfig().public.siteOrigin
  return typeof configured === 'string' && configured.includes('{site}') ? configured : DEFAULT_SITE_ORIGIN
}

/** The site a request is addressed to by its Host header, or null when it is for the app itself. */
export function siteOfRequest(event: Parameters<typeof getRequestHost>[0]): string | null {
  return siteFromHost(getRequestHost(event), siteOriginPattern())
}

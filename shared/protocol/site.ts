import { z } from 'zod'

/** Shortest and longest site name. */
export const SITE_NAME_MIN = 3
export const SITE_NAME_MAX = 40

/**
 * A site name. It becomes a DNS label of the site's own origin
 * (`http://<site>.localhost:<port>`), hence the rules; each rule has its
 * own message so the UI can say exactly what to fix.
 */
export const SiteNameSchema = z.string()
  .min(SITE_NAME_MIN, `a site name has at least ${SITE_NAME_MIN} characters`)
  .max(SITE_NAME_MAX, `a site name has at most ${SITE_NAME_MAX} characters`)
  .regex(/^[a-z0-9-]*$/, 'a site name uses only lowercase letters a-z, digits 0-9 and "-"')
  .regex(/^(?!-)/, 'a site name cannot start with "-"')
  .regex(/(?<!-)$/, 'a site name cannot end with "-"')
  // Browsers read "xn--" labels as punycode and refuse malformed ones; "ab--" is reserved for that.
  .regex(/^(?!..--)/, 'a site name cannot have "--" as its 3rd and 4th characters')

/** A valid site name. */
export type SiteName = z.infer<typeof SiteNameSchema>

/** Why `name` is not a valid site name (the first rule it breaks), or null when it is valid. */
export function siteNameProblem(name: string): string | null {
  const result = SiteNameSchema.safeParse(name)
  if (result.success) return null
  return result.error.issues[0]?.message ?? 'not a valid site name'
}

import type { SiteNameStatus } from '../../shared/protocol/api'
import { SITE_NAME_MAX } from '../../shared/protocol/site'

/** `name` with a numeric suffix that fits the length rule: blog → blog-2, blog-2 → blog-3. */
function withSuffix(name: string, n: number): string {
  const base = name.replace(/-\d+$/, '')
  const suffix = `-${n}`
  return `${base.slice(0, SITE_NAME_MAX - suffix.length).replace(/-+$/, '')}${suffix}`
}

/** The status of `name`; when taken, the first free name among `name-2` … `name-20`. */
export async function siteNameStatus(name: string, status: (site: string) => Promise<{ taken: boolean, online: boolean }>): Promise<SiteNameStatus> {
  const own = await status(name)
  if (!own.taken) return { name, ...own }
  const start = Number(/-(\d+)$/.exec(name)?.[1] ?? 1) + 1
  for (let n = start; n < start + 20; n++) {
    const candidate = withSuffix(name, n)
    if (!(await status(candidate)).taken) return { name, ...own, suggestion: candidate }
  }
  return { name, ...own }
}

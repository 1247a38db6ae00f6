/**
 * Site origins: every visited site gets an origin of its own, so a site can
 * never read the studio's storage or another site's cookies. The pattern is
 * an origin with `{site}` (required) and optionally `{port}` (the port the
 * request came in on), e.g. `http://{site}.localhost:{port}` (the default) or
 * `https://{site}.sites.example.edu`.
 */
export const DEFAULT_SITE_ORIGIN = 'http://{site}.localhost:{port}'

const SITE_RE = '([a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9])'

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function hostPart(pattern: string): string {
  return pattern.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '')
}

/** The site name a request's Host header addresses under `pattern`, or null for the app itself. */
export function siteFromHost(host: string, pattern: string = DEFAULT_SITE_ORIGIN): string | null {
  const parts = hostPart(pattern).split(/(\{site\}|\{port\})/)
  const source = parts.map((part) => {
    if (part === '{site}') return SITE_RE
    if (part === '{port}') return '\\d+'
    return escapeRe(part)
  }).join('')
  // A default port may be left out of the Host header.
  const optionalPort = source.endsWith(':\\d+') ? `${source.slice(0, -4)}(?::\\d+)?` : source
  const match = new RegExp(`^${optionalPort}$`, 'i').exec(host)
  return match?.[1]?.toLowerCase() ?? null
}

/** The origin of `site`, given the Host the request came in on (for `{port}`). */
export function siteOrigin(site: string, requestHost: string, pattern: string = DEFAULT_SITE_ORIGIN): string {
  const port = /:(\d+)$/.exec(requestHost)?.[1]
  const origin = pattern.replace('{site}', site)
  if (port) return origin.replace('{port}', port)
  return origin.replace(/:\{port\}/, '').replace('{port}', '')
}

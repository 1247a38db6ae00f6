import { siteFromHost, siteOrigin } from '../../../shared/site-origin'

function isLoopback(hostname: string): boolean {
  const name = hostname.toLowerCase()
  return name === 'localhost' || name.endsWith('.localhost') || name === '127.0.0.1' || name === '[::1]'
}

/** `host` without its port, and the port ('' when none). */
function splitHost(host: string): { hostname: string, port: string } {
  const match = /^(.*?)(?::(\d+))?$/.exec(host.toLowerCase())
  return { hostname: match?.[1] ?? '', port: match?.[2] ?? '' }
}

function parseOrigin(origin: string): URL | null {
  if (!URL.canParse(origin)) return null
  const url = new URL(origin)
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null
}

/**
 * Whether a WebSocket upgrade with this Origin header may use signaling.
 * Browsers don't apply CORS to WebSockets, so this stops other websites'
 * pages from driving the hub. Allowed: no Origin (not a browser); the
 * request's own host; loopback names (localhost, *.localhost, 127.0.0.1,
 * [::1]) on any port; a subdomain of the request's host on the same port;
 * an origin of a site under the site-origin pattern.
 */
export function isAllowedSignalingOrigin(origin: string | null | undefined, requestHost: string, sitePattern: string): boolean {
  if (origin === null || origin === undefined) return true
  const url = parseOrigin(origin)
  if (!url) return false
  const host = url.host.toLowerCase()
  if (host === requestHost.toLowerCase()) return true
  if (isLoopback(url.hostname)) return true
  const request = splitHost(requestHost)
  if (url.hostname.endsWith(`.${request.hostname}`) && url.port === request.port) return true
  const site = siteFromHost(host, sitePattern)
  return site !== null && siteOrigin(site, requestHost, sitePattern) === url.origin
}

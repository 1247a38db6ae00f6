import { VServerError } from '../types'
import { matchSegments, parseRouteFile, type RouteDef, type Segment } from './pattern'

/** What `RouteTable.match` found for a method and path. */
export type RouteMatch =
  | { kind: 'route', route: RouteDef, params: Record<string, string> }
  /** Routes exist at this path, but none for this method: answer 405 with `Allow: allow.join(', ')`. */
  | { kind: 'method-not-allowed', allow: string[] }
  | { kind: 'none' }

const SEGMENT_RANK: Record<Segment['kind'], number> = { static: 0, param: 1, catchall: 2 }
/** A pattern that ends where another goes on (only a catch-all can) is the more specific one. */
const END_RANK = -1

function segmentRank(segment: Segment | undefined): number {
  return segment ? SEGMENT_RANK[segment.kind] : END_RANK
}

/** 0 when the route's method is the request's, 1 for GET serving HEAD, 2 for a method-less route; -1 when it cannot serve. */
function methodRank(route: RouteDef, method: string): number {
  if (route.method === method) return 0
  if (method === 'HEAD' && route.method === 'GET') return 1
  return route.method === null ? 2 : -1
}

/** Path order: segment by segment, static before `[param]` before `[...catchall]`. */
function comparePaths(a: RouteDef, b: RouteDef): number {
  const length = Math.max(a.segments.length, b.segments.length)
  for (let i = 0; i < length; i++) {
    const difference = segmentRank(a.segments[i]) - segmentRank(b.segments[i])
    if (difference !== 0) return difference
  }
  return 0
}

/** Request path to decoded segments; empty segments (`//`, a trailing `/`) are dropped. */
export function splitRequestPath(pathname: string): string[] {
  return pathname.split('/').filter(part => part !== '').map((part) => {
    try {
      return decodeURIComponent(part)
    }
    catch {
      throw new VServerError(400, `Malformed percent-encoding in the path: ${pathname}`)
    }
  })
}

/**
 * The site's dynamic routes (`routes/**.js`), in precedence order.
 *
 * Precedence, as Nitro's router has it:
 * 1. A file in `public/` wins over any route at the same path (the server asks
 *    the static files first, for GET and HEAD; see `app.ts`).
 * 2. Among routes whose pattern matches, the most specific path wins, segment
 *    by segment: static text, then `[param]`, then `[...catchall]`; a pattern
 *    that ends beats a catch-all that would take nothing.
 * 3. At equal paths: a route for the request's method, then (for HEAD) one for
 *    GET, then a route with no method suffix.
 * 4. When routes match the path but none serves the method: 405 with `Allow`.
 * Two files with the same pattern and method (`a.js` and `a/index.js`): the
 * first by file path wins and `duplicates` names the other.
 */
export class RouteTable {
  readonly routes: readonly RouteDef[]
  /** Route files shadowed by another with the same pattern and method. */
  readonly duplicates: readonly string[]

  constructor(files: readonly string[]) {
    const routes = files.map(parseRouteFile).filter(route => route !== null)
    routes.sort((a, b) => comparePaths(a, b) || (a.method ?? '~').localeCompare(b.method ?? '~') || a.file.localeCompare(b.file))
    const seen = new Set<string>()
    const kept: RouteDef[] = []
    const duplicates: string[] = []
    for (const route of routes) {
      const key = `${route.method ?? '*'} ${route.pattern}`
      if (seen.has(key)) duplicates.push(route.file)
      else kept.push(route)
      seen.add(key)
    }
    this.routes = kept
    this.duplicates = duplicates
  }

  /** The route serving `method` at `pathname` (undecoded, no query). Throws a 400 on a malformed path. */
  match(method: string, pathname: string): RouteMatch {
    const path = splitRequestPath(pathname)
    let best: { route: RouteDef, params: Record<string, string>, rank: number } | null = null
    const allow = new Set<string>()
    for (const route of this.routes) {
      if (best && comparePaths(best.route, route) < 0) break
      const params = matchSegments(route.segments, path)
      if (!params) continue
      const rank = methodRank(route, method)
      if (rank >= 0 && (!best || rank < best.rank)) best = { route, params, rank }
      if (route.method) allow.add(route.method)
    }
    if (best) return { kind: 'route', route: best.route, params: best.params }
    if (allow.size === 0) return { kind: 'none' }
    if (allow.has('GET')) allow.add('HEAD')
    return { kind: 'method-not-allowed', allow: [...allow].sort() }
  }
}

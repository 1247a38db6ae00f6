/** The methods a route file name may end with, as in Nitro: `login.post.js`. */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const
export type RouteMethod = typeof ROUTE_METHODS[number]

/** One segment of a route pattern: text, `[name]`, or `[...name]` (only last). */
export type Segment =
  | { kind: 'static', value: string }
  | { kind: 'param', name: string }
  | { kind: 'catchall', name: string }

/** A route file read as a pattern. `method` null means any method. */
export interface RouteDef {
  /** Site-relative path of the module, e.g. `routes/posts/[id].get.js`. */
  file: string
  segments: Segment[]
  method: RouteMethod | null
  /** The pattern as text, e.g. `/posts/:id`, for logs and the studio. */
  pattern: string
}

const ROUTES_DIR = 'routes/'
const ROUTE_EXTENSIONS = ['.js', '.mjs']

function isMethod(value: string): value is RouteMethod {
  return ROUTE_METHODS.some(method => method === value)
}

function toSegment(part: string): Segment {
  const catchall = /^\[\.\.\.(\w*)\]$/.exec(part)
  if (catchall) return { kind: 'catchall', name: catchall[1] || '_' }
  const param = /^\[(\w+)\]$/.exec(part)
  if (param?.[1]) return { kind: 'param', name: param[1] }
  // Partial brackets (`post-[id]`) are not patterns in Nitro's file router either: the text is literal.
  return { kind: 'static', value: part }
}

function patternText(segments: Segment[]): string {
  const parts = segments.map((segment) => {
    if (segment.kind === 'static') return segment.value
    return segment.kind === 'param' ? `:${segment.name}` : `**:${segment.name}`
  })
  return `/${parts.join('/')}`
}

function splitMethod(name: string): { name: string, method: RouteMethod | null } {
  const dot = name.lastIndexOf('.')
  const suffix = name.slice(dot + 1).toUpperCase()
  if (dot > 0 && isMethod(suffix)) return { name: name.slice(0, dot), method: suffix }
  return { name, method: null }
}

/**
 * The route a file under `routes/` defines, or null for files that are not
 * routes (other extensions, names starting with `-` or `.` as Nuxt's
 * `ignorePrefix`, a catch-all that is not last). `routes/index.js` → `/`, `routes/api/login.post.js` → POST `/api/login`.
 */
export function parseRouteFile(file: string): RouteDef | null {
  if (!file.startsWith(ROUTES_DIR)) return null
  const extension = ROUTE_EXTENSIONS.find(ext => file.endsWith(ext))
  if (!extension) return null
  const parts = file.slice(ROUTES_DIR.length, -extension.length).split('/')
  const { name, method } = splitMethod(parts.pop() ?? '')
  if (name !== 'index') parts.push(name)
  if (parts.some(part => part === '' || part.startsWith('.') || part.startsWith('-'))) return null
  const segments = parts.map(toSegment)
  if (segments.slice(0, -1).some(segment => segment.kind === 'catchall')) return null
  return { file, segments, method, pattern: patternText(segments) }
}

/**
 * Match decoded path segments against a pattern; the params or null. A
 * catch-all takes zero or more segments, joined by `/` (as Nitro's `**`).
 */
export function matchSegments(segments: readonly Segment[], path: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {}
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'catchall') {
      params[segment.name] = path.slice(index).join('/')
      return params
    }
    const part = path[index]
    if (part === undefined) return null
    if (segment.kind === 'static' && segment.value !== part) return null
    if (segment.kind === 'param') params[segment.name] = part
  }
  return segments.length === path.length ? params : null
}

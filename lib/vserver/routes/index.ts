import type { FileStore } from '../files'
import { RouteTable } from './table'

export { parseRouteFile, matchSegments, ROUTE_METHODS } from './pattern'
export type { RouteDef, RouteMethod, Segment } from './pattern'
export { RouteTable, splitRequestPath } from './table'
export type { RouteMatch } from './table'

/**
 * The route table of a site, rebuilt only when the set of files under
 * `routes/` changes (an edit to a file's content does not change the table).
 */
export function createRouteTableLoader(store: FileStore): () => Promise<RouteTable> {
  let cached: { key: string, table: RouteTable } | null = null
  return async () => {
    const paths = (await store.list('routes/')).map(entry => entry.path)
    const key = paths.join('\n')
    if (cached?.key !== key) cached = { key, table: new RouteTable(paths) }
    return cached.table
  }
}

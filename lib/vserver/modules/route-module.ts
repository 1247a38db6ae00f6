import { missingHandlerMessage } from './check'
import { ModuleError } from './errors'
import type { ModuleLoader } from './loader'

/** A route module's default export: called with the request's event. */
export type RouteHandler = (event: unknown) => unknown

/** Load a route file and return its handler; a `ModuleError` when it has none. */
export async function loadRouteHandler(loader: ModuleLoader, file: string): Promise<RouteHandler> {
  const namespace = await loader.load(file)
  const handler = namespace.default
  if (typeof handler !== 'function') {
    const message = handler === undefined ? missingHandlerMessage(file) : `${file}: the default export is not a function; write \`export default defineHandler(async (event) => { … })\``
    throw new ModuleError('export', file, message)
  }
  return (event: unknown): unknown => handler(event)
}

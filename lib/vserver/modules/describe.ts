import { ModuleError } from './errors'
import type { ModuleLoader } from './loader'

/** An error as the author sees it in the request log: what, where, and the stack in site paths. */
export interface AuthorError {
  message: string
  stack?: string
  /** The site file to look at, when known. */
  file?: string
  line?: number
  column?: number
}

/**
 * Describe a thrown value for the author. Stack traces name site files (not
 * `data:` URLs); the place is the first stack frame in a site file, else the
 * route file that was running.
 */
export function describeError(error: unknown, loader: ModuleLoader, routeFile?: string): AuthorError {
  if (error instanceof ModuleError) {
    return { message: error.message, file: error.file, line: error.line, column: error.column }
  }
  if (!(error instanceof Error)) return { message: `A non-Error value was thrown: ${String(error)}`, file: routeFile }
  const stack = error.stack === undefined ? undefined : loader.mapStack(error.stack)
  const place = stack === undefined ? null : loader.locate(stack)
  const message = loader.mapStack(`${error.name}: ${error.message}`)
  return place ? { message, stack, ...place } : { message, stack, file: routeFile }
}

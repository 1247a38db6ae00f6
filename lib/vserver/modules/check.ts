import { ModuleError } from './errors'
import { parseModule } from './parse'
import { specifierProblem } from './specifier'

/** What the editor shows on save: fine, or one problem with its place (1-based line and column). */
export type CheckResult =
  | { ok: true }
  | { ok: false, file: string, line: number, column: number, message: string }

/** The message a route file without a default export gets, at save time and at request time. */
export function missingHandlerMessage(file: string): string {
  return `${file} has no default export: write \`export default defineHandler(async (event) => { … })\``
}

/**
 * Check a site module at save time, without running it: syntax, imports a
 * site can use (relative paths only, static `import()`), and for files under
 * `routes/` a default export. Missing imported files are found at request time.
 */
export function checkRouteFile(source: string, path: string): CheckResult {
  try {
    const parsed = parseModule(source, path)
    for (const ref of parsed.imports) {
      const problem = specifierProblem(ref.specifier)
      if (problem) return { ok: false, file: path, line: ref.line, column: ref.column, message: problem }
    }
    if (path.startsWith('routes/') && !parsed.hasDefaultExport) {
      return { ok: false, file: path, line: 1, column: 1, message: missingHandlerMessage(path) }
    }
    return { ok: true }
  }
  catch (error) {
    if (!(error instanceof ModuleError)) throw error
    return { ok: false, file: error.file, line: error.line ?? 1, column: error.column ?? 1, message: error.message }
  }
}

import { ModuleError } from './errors'

const SCHEME = /^[a-z][a-z\d+.-]*:/i
const MODULE_EXTENSION = /\.m?js$/

/** Why a specifier cannot be imported by a site module, or null when it is a relative path. */
export function specifierProblem(specifier: string): string | null {
  if (specifier.startsWith('./') || specifier.startsWith('../')) return null
  if (specifier.startsWith('/')) {
    return `absolute import '${specifier}' is not supported: import site files by a path relative to this file, like '../lib/util.js'`
  }
  if (SCHEME.test(specifier)) {
    return `URL import '${specifier}' is not supported: a site can only import its own files, by relative path`
  }
  return `bare import '${specifier}' is not supported: a site has no packages; import site files by relative path, like '../lib/util.js'`
}

function directoryOf(file: string): string[] {
  return file.split('/').slice(0, -1)
}

/**
 * Site paths a relative specifier may name, most likely first. Like a bundler
 * (and unlike Node), `./util` finds `./util.js` or `./util/index.js`; only
 * `.js` and `.mjs` files are modules.
 */
export function resolveSpecifier(specifier: string, importer: string, position?: { line: number, column: number }): string[] {
  const problem = specifierProblem(specifier)
  if (problem) throw new ModuleError('import', importer, problem, position)
  const parts = directoryOf(importer)
  for (const part of specifier.split('/')) {
    if (part === '' || part === '.') continue
    if (part !== '..') parts.push(part)
    else if (parts.pop() === undefined) {
      throw new ModuleError('import', importer, `import '${specifier}' points outside the site`, position)
    }
  }
  const path = parts.join('/')
  return MODULE_EXTENSION.test(path) ? [path] : [`${path}.js`, `${path}/index.js`]
}

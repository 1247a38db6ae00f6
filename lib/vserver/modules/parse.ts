import { parse, type ImportExpression, type Program } from 'acorn'
import { z } from 'zod'
import { ModuleError } from './errors'

/** One import of a module: the specifier and where its string literal sits, to be rewritten. */
export interface ImportRef {
  specifier: string
  /** Offsets of the literal (quotes included) in the source. */
  start: number
  end: number
  line: number
  /** 1-based. */
  column: number
  dynamic: boolean
}

/** A parsed site module: its imports, and whether it has a default export. */
export interface ParsedModule {
  imports: ImportRef[]
  hasDefaultExport: boolean
}

/** Acorn's SyntaxError carries `loc` (0-based column) and appends ` (line:column)` to the message. */
const AcornErrorSchema = z.object({
  message: z.string(),
  loc: z.object({ line: z.number(), column: z.number() }),
})

interface Located { start: number, end: number, loc?: { start: { line: number, column: number } } | null }

function positionOf(node: Located): { line: number, column: number } {
  const start = node.loc?.start
  return { line: start?.line ?? 1, column: (start?.column ?? 0) + 1 }
}

function isImportExpression(node: unknown): node is ImportExpression {
  return typeof node === 'object' && node !== null && 'type' in node && node.type === 'ImportExpression'
}

/** Every `import()` expression, anywhere in the tree (they may sit in any function). */
function findImportExpressions(program: Program): ImportExpression[] {
  const found: ImportExpression[] = []
  const stack: unknown[] = [program]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node !== 'object' || node === null) continue
    if (isImportExpression(node)) found.push(node)
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) stack.push(...value)
      else if (typeof value === 'object' && value !== null && 'type' in value) stack.push(value)
    }
  }
  return found
}

function staticSpecifier(expression: ImportExpression, file: string): string {
  const source = expression.source
  if (source.type === 'Literal' && typeof source.value === 'string') return source.value
  const only = source.type === 'TemplateLiteral' && source.expressions.length === 0 ? source.quasis[0]?.value.cooked : undefined
  if (typeof only === 'string') return only
  throw new ModuleError('import', file, 'import() needs a string literal: a site module can only import files the server can find before it runs', positionOf(expression))
}

function dynamicImports(program: Program, file: string): ImportRef[] {
  return findImportExpressions(program).map((expression) => {
    const { start, end } = expression.source
    return { specifier: staticSpecifier(expression, file), start, end, ...positionOf(expression.source), dynamic: true }
  })
}

function staticImports(program: Program): ImportRef[] {
  const refs: ImportRef[] = []
  for (const statement of program.body) {
    const isSourced = statement.type === 'ImportDeclaration' || statement.type === 'ExportAllDeclaration' || statement.type === 'ExportNamedDeclaration'
    const source = isSourced ? statement.source : null
    if (!source || typeof source.value !== 'string') continue
    refs.push({ specifier: source.value, start: source.start, end: source.end, ...positionOf(source), dynamic: false })
  }
  return refs
}

function hasDefaultExport(program: Program): boolean {
  return program.body.some(statement =>
    statement.type === 'ExportDefaultDeclaration'
    || (statement.type === 'ExportNamedDeclaration' && statement.specifiers.some(specifier =>
      specifier.exported.type === 'Identifier' ? specifier.exported.name === 'default' : specifier.exported.value === 'default')))
}

function parseProgram(source: string, file: string): Program {
  try {
    return parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: true })
  }
  catch (error) {
    const acornError = AcornErrorSchema.safeParse(error)
    if (!acornError.success) throw error
    const { message, loc } = acornError.data
    throw new ModuleError('syntax', file, message.replace(/ \(\d+:\d+\)$/, ''), { line: loc.line, column: loc.column + 1 })
  }
}

/** Parse a site module: its imports in source order. Throws a `ModuleError` with line and column on a syntax error. */
export function parseModule(source: string, file: string): ParsedModule {
  const program = parseProgram(source, file)
  const imports = [...staticImports(program), ...dynamicImports(program, file)].sort((a, b) => a.start - b.start)
  return { imports, hasDefaultExport: hasDefaultExport(program) }
}

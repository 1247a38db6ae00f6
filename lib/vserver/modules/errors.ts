/** What went wrong while loading a site module. */
export type ModuleErrorKind = 'syntax' | 'import' | 'cycle' | 'not-found' | 'export'

/** A site module that cannot be loaded, with the place to fix it. `line` is 1-based, `column` 1-based. */
export class ModuleError extends Error {
  readonly kind: ModuleErrorKind
  readonly file: string
  readonly line: number | undefined
  readonly column: number | undefined

  constructor(kind: ModuleErrorKind, file: string, message: string, position?: { line: number, column: number }) {
    super(message)
    this.name = 'ModuleError'
    this.kind = kind
    this.file = file
    this.line = position?.line
    this.column = position?.column
  }

  /** `file:line:column`, or the file alone when there is no position. */
  get location(): string {
    return this.line === undefined ? this.file : `${this.file}:${this.line}:${this.column ?? 1}`
  }
}

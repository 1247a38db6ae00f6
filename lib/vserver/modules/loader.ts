import { bytesToBase64, randomId } from '../crypto'
import type { FileEntry, FileStore } from '../files'
import { ModuleError } from './errors'
import { parseModule, type ImportRef, type ParsedModule } from './parse'
import { resolveSpecifier } from './specifier'

/** Imports a module by URL. The default is the runtime's own `import()`. */
export type ImportModule = (url: string) => Promise<unknown>

/**
 * Turns compiled module source into a URL \`importModule\` can load. The
 * default, a \`data:\` URL, works in Node and in module Workers, but embeds the
 * URLs of its imports, so a file imported along many paths is repeated; in a
 * browser pass \`source => URL.createObjectURL(new Blob([source], { type: 'text/javascript' }))\`.
 */
export type ModuleUrl = (source: string) => string

/** Options of \`ModuleLoader\`. */
export interface ModuleLoaderOptions {
  importModule?: ImportModule
  moduleUrl?: ModuleUrl
}

/** A module namespace: its exports by name. */
export type ModuleNamespace = Record<string, unknown>

const DATA_URL_PREFIX = 'data:text/javascript;base64,'
const DATA_URL_PATTERN = /data:text\/javascript;base64,[\w+/=]+/g
/** `file:line:column` in a V8 (`at f (file:1:2)`) or Firefox/Safari (`f@file:1:2`) frame. */
const FRAME_PATTERN = /([^\s()@]+):(\d+):(\d+)/g
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

const nativeImport: ImportModule = url => import(/* @vite-ignore */ url)
const dataUrl: ModuleUrl = source => DATA_URL_PREFIX + bytesToBase64(encoder.encode(source))

interface Source { etag: string, text: string, parsed: ParsedModule }
interface Compiled { etag: string, depsKey: string, url: string }
interface Evaluated { url: string, namespace: Promise<unknown> }

function isNamespace(value: unknown): value is ModuleNamespace {
  return typeof value === 'object' && value !== null
}

function decodeSource(bytes: Uint8Array, file: string): string {
  try {
    return decoder.decode(bytes)
  }
  catch (error) {
    throw new ModuleError('syntax', file, `${file} is not UTF-8 text (${String(error)})`)
  }
}

/** Replace each import literal with the URL of the module it names; offsets stay valid back to front. */
function rewrite(text: string, imports: readonly ImportRef[], urls: readonly string[]): string {
  let out = text
  for (let i = imports.length - 1; i >= 0; i--) {
    const ref = imports[i]
    const url = urls[i]
    if (ref && url) out = out.slice(0, ref.start) + JSON.stringify(url) + out.slice(ref.end)
  }
  return out
}

/**
 * Loads a site's ES modules from its FileStore. Each file is parsed with
 * acorn, its relative imports are resolved in the store and rewritten to the
 * URLs of their own compiled modules (`data:` by default, see `ModuleUrl`),
 * bottom-up, so the runtime never resolves a site path itself.
 * Compiled modules are cached by file etag; an edit makes a new URL for the
 * file and for its importers only. The namespace an entry file's URL evaluated
 * to is kept with it: \`import()\` of a URL the realm already holds answers
 * the same namespace, but in Chromium it costs milliseconds each time (the
 * bench's profile showed 1.7–3.3 ms of a request's worker time in it). The runtime keeps every module it ever
 * evaluated, so a long-lived realm grows with edits: replace the Worker now
 * and then. A per-loader nonce in each module keeps two loaders (two sites in
 * one realm, or tests) from sharing module instances.
 */
export class ModuleLoader {
  private readonly sources = new Map<string, Source>()
  private readonly compiled = new Map<string, Compiled>()
  private readonly files = new Map<string, string>()
  private readonly evaluated = new Map<string, Evaluated>()
  private readonly nonce = randomId(9)
  private readonly importModule: ImportModule
  private readonly moduleUrl: ModuleUrl

  constructor(private readonly store: FileStore, options: ModuleLoaderOptions = {}) {
    this.importModule = options.importModule ?? nativeImport
    this.moduleUrl = options.moduleUrl ?? dataUrl
  }

  /** Evaluate `file` (and what it imports) and return its namespace. Throws `ModuleError` for what the author must fix. */
  async load(file: string): Promise<ModuleNamespace> {
    const entry = await this.store.stat(file)
    if (!entry) throw new ModuleError('not-found', file, `${file} does not exist`)
    const url = await this.compile(entry, [], new Map())
    let kept = this.evaluated.get(file)
    if (kept?.url !== url) {
      const fresh = { url, namespace: this.evaluate(url, file) }
      this.evaluated.set(file, fresh)
      // A failed evaluation is not kept: the next request imports again (and gets the same error from the runtime, or not, after an edit).
      fresh.namespace.catch(() => {
        if (this.evaluated.get(file) === fresh) this.evaluated.delete(file)
      })
      kept = fresh
    }
    const namespace = await kept.namespace
    if (!isNamespace(namespace)) throw new ModuleError('export', file, `${file} did not load as a module`)
    return namespace
  }

  /** A stack trace with module URLs replaced by the site paths they were compiled from. */
  mapStack(stack: string): string {
    let mapped = stack
    for (const [url, file] of this.files) {
      if (!url.startsWith(DATA_URL_PREFIX)) mapped = mapped.split(url).join(file)
    }
    return mapped.replace(DATA_URL_PATTERN, url => this.files.get(url) ?? '(an older version of a site module)')
  }

  /** The first frame of a mapped stack trace that is in a site file: where the author should look. */
  locate(stack: string): { file: string, line: number, column: number } | null {
    const known = new Set(this.files.values())
    for (const [, file, line, column] of stack.matchAll(FRAME_PATTERN)) {
      if (file && known.has(file)) return { file, line: Number(line), column: Number(column) }
    }
    return null
  }

  private async evaluate(url: string, file: string): Promise<unknown> {
    try {
      return await this.importModule(url)
    }
    catch (error) {
      // Acorn catches nearly every syntax error first; the rest (some early errors) arrive here with no
      // frame in a site module, unlike a SyntaxError thrown by running code (a top-level JSON.parse).
      const compileTime = error instanceof SyntaxError && this.locate(this.mapStack(error.stack ?? '')) === null
      if (compileTime) throw new ModuleError('syntax', file, `${error.message} (in ${file} or a file it imports)`)
      throw error
    }
  }

  /** The URL of `entry` compiled with its imports; `done` holds what this load compiled already (diamonds). */
  private async compile(entry: FileEntry, chain: readonly string[], done: Map<string, string>): Promise<string> {
    const finished = done.get(entry.path)
    if (finished) return finished
    const source = await this.source(entry)
    const path = [...chain, entry.path]
    const urls: string[] = []
    for (const ref of source.parsed.imports) {
      const child = await this.resolve(ref, entry.path)
      const loop = path.indexOf(child.path)
      if (loop >= 0) {
        const cycle = [...path.slice(loop), child.path].join(' → ')
        throw new ModuleError('cycle', entry.path, `import cycle: ${cycle}. Move what both files need into a third file`, ref)
      }
      urls.push(await this.compile(child, path, done))
    }
    const depsKey = urls.join('\n')
    const cached = this.compiled.get(entry.path)
    let url = cached?.url
    if (!url || cached?.etag !== entry.etag || cached.depsKey !== depsKey) {
      url = this.moduleUrl(`${rewrite(source.text, source.parsed.imports, urls)}\n// ${this.nonce}`)
      this.compiled.set(entry.path, { etag: entry.etag, depsKey, url })
      this.files.set(url, entry.path)
    }
    done.set(entry.path, url)
    return url
  }

  private async source(entry: FileEntry): Promise<Source> {
    const cached = this.sources.get(entry.path)
    if (cached?.etag === entry.etag) return cached
    const bytes = await this.store.read(entry.path)
    if (!bytes) throw new ModuleError('not-found', entry.path, `${entry.path} does not exist`)
    const text = decodeSource(bytes, entry.path)
    const source = { etag: entry.etag, text, parsed: parseModule(text, entry.path) }
    this.sources.set(entry.path, source)
    return source
  }

  private async resolve(ref: ImportRef, importer: string): Promise<FileEntry> {
    const candidates = resolveSpecifier(ref.specifier, importer, ref)
    for (const candidate of candidates) {
      const entry = await this.store.stat(candidate)
      if (entry) return entry
    }
    const hint = /\.m?js$/.test(ref.specifier) ? '' : '; a site module can import .js and .mjs files only'
    throw new ModuleError('not-found', importer, `cannot find '${ref.specifier}' (looked for ${candidates.join(', ')})${hint}`, ref)
  }
}

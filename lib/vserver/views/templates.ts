import type { TemplateSpans } from 'mustache'
import type { FileStore } from '../files'
import { VServerError } from '../types'
import { describeParseError } from './parse-errors'
import type { TemplateWriter } from './writer'
import { errorMessage } from '../../../shared/error-message'

/** A view or partial file, parsed. */
export interface Template {
  path: string
  etag: string
  source: string
  /** Names of the partials it includes, in order of first use. */
  partials: string[]
}

function partialNames(tokens: TemplateSpans, into: Set<string> = new Set()): Set<string> {
  for (const token of tokens) {
    if (token[0] === '>') into.add(token[1])
    const children = token[4]
    if (Array.isArray(children)) partialNames(children, into)
  }
  return into
}

/** Parsed templates keyed by path and checked against the file's etag on every use, so an edit shows at once. */
export class TemplateCache {
  private readonly entries = new Map<string, Template>()
  private readonly decoder = new TextDecoder()

  constructor(private readonly files: FileStore, private readonly writer: TemplateWriter) {}

  /** The template at `path`, or null when there is no such file; a Mustache syntax error is a 500 naming the file. */
  async get(path: string): Promise<Template | null> {
    const entry = await this.files.stat(path)
    const cached = this.entries.get(path)
    if (cached && cached.etag === entry?.etag) return cached
    if (cached) this.drop(cached)
    const bytes = entry && await this.files.read(path)
    if (!entry || !bytes) return null
    const source = this.decoder.decode(bytes)
    const template: Template = { path, etag: entry.etag, source, partials: [...partialNames(this.parse(source, path))] }
    this.entries.set(path, template)
    return template
  }

  private parse(source: string, path: string): TemplateSpans {
    try {
      return this.writer.parse(source)
    }
    catch (error) {
      const message = errorMessage(error)
      throw new VServerError(500, describeParseError(path, source, message))
    }
  }

  private drop(template: Template): void {
    this.entries.delete(template.path)
    this.writer.forget(template.source)
  }
}

import Mustache, { type OpeningAndClosingTags, type PartialsOrLookupFn, type RenderOptions, type TemplateSpans } from 'mustache'
import { VServerError } from '../types'

const MAX_CACHED = 512

/**
 * A Mustache writer with a cache of its own, so a site's templates never fill
 * the module-wide cache of `Mustache.parse` (keyed by content, it would keep
 * every version of every file ever rendered). Sources of current files are
 * dropped by `forget` when their file changes; other entries (partials
 * re-indented by Mustache) are bounded by `MAX_CACHED`. It also stops a
 * partial that includes itself without end after `maxDepth` levels.
 */
export class TemplateWriter extends Mustache.Writer {
  private readonly cache = new Map<string, TemplateSpans>()
  private depth = 0

  constructor(private readonly maxDepth: number) {
    super()
    // Disable the inherited cache; `parse` below caches instead.
    Reflect.set(this, 'templateCache', undefined)
  }

  override parse(template: string, tags?: OpeningAndClosingTags): TemplateSpans {
    if (tags) return super.parse(template, tags)
    const cached = this.cache.get(template)
    if (cached) return cached
    const tokens: TemplateSpans = super.parse(template)
    if (this.cache.size >= MAX_CACHED) this.cache.clear()
    this.cache.set(template, tokens)
    return tokens
  }

  // Rendering is synchronous, so one counter per writer sees one render at a time.
  override renderPartial(token: string[], context: Mustache.Context, partials?: PartialsOrLookupFn, config?: OpeningAndClosingTags | RenderOptions): string {
    if (this.depth >= this.maxDepth) {
      throw new VServerError(500, `partial "${token[1] ?? ''}" nests deeper than ${this.maxDepth} levels while rendering: a partial that includes itself needs a section that ends`)
    }
    this.depth++
    try {
      return super.renderPartial(token, context, partials, config)
    }
    finally {
      this.depth--
    }
  }

  /** Drop the tokens of a source that is no longer current. */
  forget(template: string): void {
    this.cache.delete(template)
  }
}

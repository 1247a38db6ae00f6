import Mustache from 'mustache'
import type { FileStore } from '../files'
import { VServerError } from '../types'
import { viewPath } from './names'
import { DEFAULT_MAX_PARTIAL_DEPTH, loadPartials } from './partials'
import { TemplateCache, type Template } from './templates'
import { TemplateWriter } from './writer'

/** Options of `createViewRenderer`. */
export interface ViewRendererOptions {
  /** The layout view, or false for none. Default: `layout` when `views/layout.mustache` exists. */
  layout?: string | false
  /** How deeply partials may nest, when loading and when rendering a recursive partial (default 20). */
  maxPartialDepth?: number
}

/** Renders a site's Mustache views. */
export interface ViewRenderer {
  /** Render `views/<view>.mustache` with `data`, inside the layout unless `data.layout` is false. */
  render(view: string, data?: object): Promise<string>
}

const DEFAULT_LAYOUT = 'layout'

function layoutChoice(data: object, fallback: string | false | undefined): string | false | undefined {
  const chosen: unknown = Reflect.get(data, 'layout')
  if (chosen === undefined) return fallback
  if (chosen === false || typeof chosen === 'string') return chosen
  throw new VServerError(500, `data.layout must be a view name or false, got ${typeof chosen}`)
}

/**
 * Mustache views from a site's files (`views/**.mustache`): partials from
 * `views/` or `views/partials/`, an optional layout that gets the view as
 * `{{{body}}}`. Templates are parsed once per file version (etag). Missing
 * files and syntax errors are 500s that name the file.
 */
export function createViewRenderer(files: FileStore, options: ViewRendererOptions = {}): ViewRenderer {
  const maxDepth = options.maxPartialDepth ?? DEFAULT_MAX_PARTIAL_DEPTH
  const writer = new TemplateWriter(maxDepth)
  const templates = new TemplateCache(files, writer)

  async function required(name: string, what: string): Promise<Template> {
    const path = viewPath(name)
    const template = await templates.get(path)
    if (!template) throw new VServerError(500, `${what} "${name}" not found: there is no file ${path}`)
    return template
  }

  async function layoutOf(data: object, view: Template): Promise<Template | null> {
    const choice = layoutChoice(data, options.layout)
    if (choice === false) return null
    const layout = choice === undefined ? await templates.get(viewPath(DEFAULT_LAYOUT)) : await required(choice, 'layout')
    return layout && layout.path !== view.path ? layout : null
  }

  function renderOne(template: Template, context: Mustache.Context, partials: Map<string, Template>): string {
    return writer.render(template.source, context, name => partials.get(name)?.source)
  }

  return {
    async render(view, data = {}) {
      const main = await required(view, 'view')
      const layout = await layoutOf(data, main)
      const partials = await loadPartials(templates, layout ? [main, layout] : [main], maxDepth)
      const context = new Mustache.Context(data)
      const body = renderOne(main, context, partials)
      return layout ? renderOne(layout, context.push({ body }), partials) : body
    },
  }
}

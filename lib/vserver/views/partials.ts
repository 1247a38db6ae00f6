import { VServerError } from '../types'
import { partialPaths } from './names'
import type { Template, TemplateCache } from './templates'

/** How deeply partials may nest (distinct ones when loading, any when rendering). */
export const DEFAULT_MAX_PARTIAL_DEPTH = 20

async function loadPartial(templates: TemplateCache, name: string, includedBy: string): Promise<Template> {
  const [flat, nested] = partialPaths(name)
  const template = await templates.get(flat) ?? await templates.get(nested)
  if (!template) throw new VServerError(500, `partial "${name}" (included by ${includedBy}) not found: there is no ${flat} or ${nested}`)
  return template
}

/** `views/post.mustache > header > nav`: how a partial was reached. */
function chain(name: string, parent: Map<string, string>): string {
  const names = [name]
  for (let at = parent.get(name); at !== undefined; at = parent.get(at)) names.unshift(at)
  return names.join(' > ')
}

/**
 * Load every partial the roots include, and the partials those include,
 * level by level, each name once (so a partial that includes itself loads
 * once; at render time it recurses as deep as its data). More than
 * `maxDepth` levels of distinct partials is a 500 naming the chain.
 */
export async function loadPartials(templates: TemplateCache, roots: Template[], maxDepth: number): Promise<Map<string, Template>> {
  const found = new Map<string, Template>()
  // Partial name -> what first included it: a partial name, or a root's path.
  const parent = new Map<string, string>()
  const enqueue = (names: string[], by: string, level: string[]) => {
    for (const name of names) {
      if (found.has(name) || parent.has(name)) continue
      parent.set(name, by)
      level.push(name)
    }
  }
  let level: string[] = []
  for (const root of roots) enqueue(root.partials, root.path, level)
  for (let depth = 1; level.length > 0; depth++) {
    if (depth > maxDepth) throw new VServerError(500, `partials nest deeper than ${maxDepth} levels: ${chain(level[0] ?? '', parent)}`)
    const loaded = await Promise.all(level.map(async name => ({ name, template: await loadPartial(templates, name, parent.get(name) ?? '') })))
    const next: string[] = []
    for (const { name, template } of loaded) found.set(name, template)
    for (const { name, template } of loaded) enqueue(template.partials, name, next)
    level = next
  }
  return found
}

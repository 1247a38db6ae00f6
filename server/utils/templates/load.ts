import { readTemplateBytes, splitTemplateKey, type RawTemplateFile, type TemplateStore } from './files'
import type { TemplateDetail, TemplateList } from '../../../shared/protocol/api'
import type { TemplateProblem } from './schema'
import { checkTemplate, type LoadedTemplate } from './validate'
import { errorMessage } from '../../../shared/error-message'

/** The gallery: the valid templates, and why the others were left out. */
export interface TemplateCatalog {
  /** Valid templates, sorted by id. */
  list(): TemplateList
  /** A valid template with its files, or undefined. */
  get(id: string): TemplateDetail | undefined
  /** One line per problem of every invalid template. */
  readonly problems: TemplateProblem[]
}

/** Where to report invalid templates (a tagged logger, or a recording one in tests). */
export interface TemplateLog {
  warn(message: string): void
}

async function readFolders(store: TemplateStore): Promise<Map<string, RawTemplateFile[]>> {
  const folders = new Map<string, RawTemplateFile[]>()
  for (const key of await store.getKeys()) {
    const split = splitTemplateKey(key)
    if (!split) continue
    const files = folders.get(split.id) ?? []
    files.push({ path: split.path, bytes: await readTemplateBytes(store, key) })
    folders.set(split.id, files)
  }
  return folders
}


/**
 * Load every template folder from `store` (keys `<id>:<path with : for />`)
 * and check each one. An invalid template is left out and every problem is
 * reported through `log` naming the template; the others are still offered.
 */
export async function loadTemplateCatalog(store: TemplateStore, log?: TemplateLog): Promise<TemplateCatalog> {
  const templates = new Map<string, LoadedTemplate>()
  const problems: TemplateProblem[] = []
  const folders = await readFolders(store)
  for (const id of [...folders.keys()].sort()) {
    let check
    try {
      check = checkTemplate(id, folders.get(id) ?? [])
    }
    catch (error) {
      check = { ok: false as const, problems: [`could not be checked: ${errorMessage(error)}`] }
    }
    if (check.ok) templates.set(id, check.template)
    else problems.push(...check.problems.map(message => ({ id, message })))
  }
  for (const problem of problems) log?.warn(`template "${problem.id}" is left out of the gallery: ${problem.message}`)
  return {
    list: () => [...templates.values()].map(template => template.summary),
    get: id => templates.get(id)?.detail,
    problems,
  }
}

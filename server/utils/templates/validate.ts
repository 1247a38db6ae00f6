import { checkRouteFile } from '../../../lib/vserver/modules/check'
import { normalizeSitePath } from '../../../lib/vserver/paths'
import { decodeUtf8, toTemplateFile, type RawTemplateFile } from './files'
import { TemplateIdSchema, type TemplateDetail, type TemplateSummary } from '../../../shared/protocol/api'
import { TemplateMetaSchema, type TemplateMeta } from './schema'
import { errorMessage } from '../../../shared/error-message'

/** A template that passed every check: what both API routes answer with. */
export interface LoadedTemplate {
  summary: TemplateSummary
  detail: TemplateDetail
}

/** A template, or every reason it cannot be offered. */
export type TemplateCheck = { ok: true, template: LoadedTemplate } | { ok: false, problems: string[] }

const META_FILE = 'template.json'
const SITE_FOLDERS = ['public/', 'routes/', 'views/', 'lib/']
const ENTRY = /^(public\/index\.html|routes\/index(\.get)?\.js)$/
const PREVIEW_TYPES: Record<string, string> = { svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' }

function parseMeta(file: RawTemplateFile | undefined, problems: string[]): TemplateMeta | null {
  if (!file) {
    problems.push(`there is no ${META_FILE}`)
    return null
  }
  const text = decodeUtf8(file.bytes)
  let json: unknown
  try {
    json = JSON.parse(text ?? '')
  }
  catch (error) {
    problems.push(`${META_FILE} is not JSON: ${errorMessage(error)}`)
    return null
  }
  const meta = TemplateMetaSchema.safeParse(json)
  if (meta.success) return meta.data
  for (const issue of meta.error.issues) problems.push(`${META_FILE}: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  return null
}

function previewUrl(meta: TemplateMeta, files: RawTemplateFile[], problems: string[]): string {
  const file = files.find(f => f.path === meta.preview)
  if (!file) {
    problems.push(`${META_FILE}: preview: there is no file ${meta.preview} beside it`)
    return ''
  }
  const type = PREVIEW_TYPES[meta.preview.slice(meta.preview.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream'
  return `data:${type};base64,${Buffer.from(file.bytes).toString('base64')}`
}

function checkSiteFile(file: RawTemplateFile, problems: string[]): void {
  try {
    if (normalizeSitePath(file.path) !== file.path) problems.push(`${file.path}: not a plain site path`)
  }
  catch (error) {
    problems.push(`${file.path}: ${errorMessage(error)}`)
    return
  }
  if (!/^(routes|lib)\/.*\.m?js$/.test(file.path)) return
  const checked = checkRouteFile(decodeUtf8(file.bytes) ?? '', file.path)
  if (!checked.ok) problems.push(`${checked.file}:${checked.line}:${checked.column}: ${checked.message}`)
}

function siteFiles(files: RawTemplateFile[], preview: string | undefined, problems: string[]): RawTemplateFile[] {
  const site: RawTemplateFile[] = []
  for (const file of files) {
    if (file.path === META_FILE || file.path === preview) continue
    if (!SITE_FOLDERS.some(folder => file.path.startsWith(folder))) {
      problems.push(`${file.path}: site files go under ${SITE_FOLDERS.join(', ')}`)
      continue
    }
    checkSiteFile(file, problems)
    site.push(file)
  }
  if (!site.some(file => ENTRY.test(file.path))) problems.push('there is no home page: add public/index.html or routes/index.js')
  return site.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/**
 * Check one template folder: its id, template.json against the schema, the
 * preview picture beside it, site files only under public/, routes/, views/,
 * lib/, a home page, and route and lib modules that parse.
 */
export function checkTemplate(id: string, files: RawTemplateFile[]): TemplateCheck {
  const problems: string[] = []
  const idCheck = TemplateIdSchema.safeParse(id)
  if (!idCheck.success) problems.push(`the folder name "${id}" is not a template id: ${idCheck.error.issues[0]?.message ?? 'invalid'}`)
  const meta = parseMeta(files.find(f => f.path === META_FILE), problems)
  const preview = meta ? previewUrl(meta, files, problems) : ''
  const site = siteFiles(files, meta?.preview, problems)
  if (!meta || problems.length) return { ok: false, problems }
  const { title, description, tags } = meta
  return {
    ok: true,
    template: {
      summary: { id, title, description, tags, preview },
      detail: { id, title, description, tags, files: site.map(file => toTemplateFile(file.path, file.bytes)) },
    },
  }
}

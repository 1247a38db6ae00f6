import { z } from 'zod'
import { checkId } from '../vserver/db/ids'
import { checkSize, isPlainObject, toJsonObject } from '../vserver/db/json'
import type { DbDocument } from '../vserver/db/types'
import { VServerError } from '../vserver/types'
import { isCollectionName } from './db-entries'
import type { SiteSettingsValues } from './settings'
import { TIME_LIMIT_RANGE } from './settings'
import { MAX_SANDBOX_ORIGINS, SandboxOriginSchema } from '../../shared/protocol/sandbox'
import { errorMessage } from '../../shared/error-message'

/** Why an archive was refused; nothing was changed. */
export class SiteImportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SiteImportError'
  }
}

/** The manifest format this version writes and reads. */
export const SITE_FORMAT = { format: 'peerserver-site', version: 1 } as const

const ManifestSchema = z.object({ format: z.literal(SITE_FORMAT.format), version: z.number().int().min(1) })
const SettingsSchema = z.object({
  timeLimitSeconds: z.number().min(TIME_LIMIT_RANGE.min).max(TIME_LIMIT_RANGE.max).optional(),
  liveReload: z.boolean().optional(),
  allowedOrigins: z.array(SandboxOriginSchema).max(MAX_SANDBOX_ORIGINS).optional(),
})

const strictDecoder = new TextDecoder('utf-8', { fatal: true })

function problem(error: z.ZodError): string {
  const issue = error.issues[0]
  return `${issue?.path.join('.') || 'the value'}: ${issue?.message ?? 'invalid'}`
}

/** The JSON in an entry, or a SiteImportError naming it. */
export function parseJsonEntry(name: string, bytes: Uint8Array): unknown {
  try {
    const value: unknown = JSON.parse(strictDecoder.decode(bytes))
    return value
  }
  catch (error) {
    const reason = errorMessage(error)
    throw new SiteImportError(`${name} is not valid JSON (${reason})`)
  }
}

/** Check the manifest: an exported site of a version this code reads. */
export function checkManifest(name: string, bytes: Uint8Array): void {
  const parsed = ManifestSchema.safeParse(parseJsonEntry(name, bytes))
  if (!parsed.success) throw new SiteImportError(`${name} is not a PeerServer site manifest (${problem(parsed.error)})`)
  if (parsed.data.version > SITE_FORMAT.version) {
    throw new SiteImportError(`${name}: this site was saved in format version ${parsed.data.version}; this PeerServer reads version ${SITE_FORMAT.version}`)
  }
}

/** The settings of an archive. */
export function parseSettings(name: string, bytes: Uint8Array): Partial<SiteSettingsValues> {
  const parsed = SettingsSchema.safeParse(parseJsonEntry(name, bytes))
  if (!parsed.success) throw new SiteImportError(`${name} holds invalid settings (${problem(parsed.error)})`)
  return parsed.data
}

function parseDocument(name: string, item: unknown, index: number): DbDocument {
  const id = isPlainObject(item) ? item._id : undefined
  if (typeof id !== 'string' || id === '') throw new SiteImportError(`${name}: item ${index} is not a document (an object with a string _id)`)
  try {
    const where = `${name}: item ${index}`
    const doc = { ...toJsonObject(item, where), _id: checkId(id, where) }
    checkSize(doc, where)
    return doc
  }
  catch (error) {
    if (error instanceof VServerError) throw new SiteImportError(error.message)
    throw error
  }
}

/** A collection file `.peerserver/db/<name>.json`: a JSON array of documents with unique string `_id`s. */
export function parseCollection(name: string, file: string, bytes: Uint8Array): { collection: string, docs: DbDocument[] } {
  const collection = file.endsWith('.json') ? file.slice(0, -'.json'.length) : ''
  if (!isCollectionName(collection)) {
    throw new SiteImportError(`${name}: a database file must be named <collection>.json, with 1–64 letters, digits, "_" or "-"`)
  }
  const value = parseJsonEntry(name, bytes)
  if (!Array.isArray(value)) throw new SiteImportError(`${name} must hold a JSON array of documents`)
  const seen = new Set<string>()
  const docs = value.map((item: unknown, index) => {
    const doc = parseDocument(name, item, index)
    if (seen.has(doc._id)) throw new SiteImportError(`${name}: _id "${doc._id}" appears twice`)
    seen.add(doc._id)
    return doc
  })
  return { collection, docs }
}
